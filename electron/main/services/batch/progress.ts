/**
 * The estimated time left for a batch: the average pace so far (wall time
 * per finished cell, which already reflects concurrency and any rate-limit
 * waits) times the cells left, plus what is left of a current pause. Null
 * until enough cells have finished for the pace to mean something.
 */
export function estimateRemainingMs(opts: {
  startedAt: number
  now: number
  finished: number
  remaining: number
  pausedUntil: number | null
  /** Finished cells needed before estimating. */
  minSamples?: number
}): number | null {
  const { startedAt, now, finished, remaining, pausedUntil } = opts
  if (remaining === 0) return 0
  if (finished < (opts.minSamples ?? 2)) return null
  const elapsed = Math.max(0, now - startedAt)
  const pause = pausedUntil !== null && pausedUntil > now ? pausedUntil - now : 0
  return Math.round((elapsed / finished) * remaining + pause)
}
