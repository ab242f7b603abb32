/**
 * Runs queued work once per animation frame: however many stream deltas
 * arrive between two frames, the DOM is written once. Tests pass a manual
 * scheduler and step frames themselves.
 */
export interface FrameScheduler {
  /** Ask for `flush` to run on the next frame (several requests before it still run it once). */
  request(flush: () => void): void
}

export function animationFrameScheduler(): FrameScheduler {
  let pending: (() => void) | null = null
  let handle: number | null = null
  return {
    request(flush) {
      pending = flush
      if (handle !== null) return
      const raf =
        typeof requestAnimationFrame === 'function'
          ? requestAnimationFrame
          : (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 16) as unknown as number
      handle = raf(() => {
        handle = null
        const run = pending
        pending = null
        run?.()
      })
    },
  }
}

/** A scheduler driven by hand, for tests. */
export class ManualFrames implements FrameScheduler {
  private queued: (() => void) | null = null
  requests = 0
  request(flush: () => void): void {
    this.requests++
    this.queued = flush
  }
  get pending(): boolean {
    return this.queued !== null
  }
  /** Run the queued frame, if any. */
  frame(): void {
    const run = this.queued
    this.queued = null
    run?.()
  }
}
