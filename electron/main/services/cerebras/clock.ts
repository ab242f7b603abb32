/**
 * Time, timers and randomness for the transport, injected so tests can
 * check retry spacing and countdowns without waiting.
 */
export interface Clock {
  /** Monotonic milliseconds, for durations. */
  now(): number
  /** Wall-clock epoch milliseconds, for timestamps shown to the user. */
  wallNow(): number
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Run `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void
  /** Uniform in [0, 1), for jitter. */
  random(): number
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal))
      const onAbort = () => {
        clearTimeout(timer)
        reject(abortReason(signal!))
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  },
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms))
    return () => clearTimeout(t)
  },
  random: () => Math.random(),
}
