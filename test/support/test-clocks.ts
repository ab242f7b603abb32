import type { Clock } from '../../electron/main/services/cerebras/clock'

/**
 * Clocks for transport tests. ManualClock is fully virtual: time moves only
 * when a test advances it. FastForwardClock keeps real timers (so a real
 * server and sockets work) but makes every sleep instant while moving its
 * own time forward, and records each sleep, so retry spacing can be checked
 * exactly without waiting for it.
 */

export class ManualClock implements Clock {
  private t = 0
  private wall = 1_800_000_000_000
  private timers: { at: number; fn: () => void; id: number }[] = []
  private nextId = 1
  readonly sleeps: number[] = []
  constructor(private readonly rand: () => number = () => 0.5) {}

  now(): number {
    return this.t
  }
  wallNow(): number {
    return this.wall + this.t
  }
  random(): number {
    return this.rand()
  }
  setTimer(fn: () => void, ms: number): () => void {
    const id = this.nextId++
    this.timers.push({ at: this.t + Math.max(0, ms), fn, id })
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id)
    }
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const cancel = this.setTimer(resolve, ms)
      signal?.addEventListener('abort', () => {
        cancel()
        reject(signal.reason)
      })
    })
  }
  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const until = this.t + ms
    for (;;) {
      const due = this.timers.filter((x) => x.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!due) break
      this.timers = this.timers.filter((x) => x !== due)
      this.t = due.at
      due.fn()
    }
    this.t = until
  }
  get pendingTimers(): number {
    return this.timers.length
  }
}

export class FastForwardClock implements Clock {
  private offset = 0
  /** Every sleep asked for, in order. */
  readonly sleeps: number[] = []
  constructor(private readonly rand: () => number = () => 0.5) {}

  now(): number {
    return performance.now() + this.offset
  }
  wallNow(): number {
    return Date.now() + this.offset
  }
  random(): number {
    return this.rand()
  }
  setTimer(fn: () => void, ms: number): () => void {
    const t = setTimeout(fn, Math.max(0, ms))
    return () => clearTimeout(t)
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      setImmediate(() => {
        if (signal?.aborted) return reject(signal.reason)
        this.offset += ms
        resolve()
      })
    })
  }
}
