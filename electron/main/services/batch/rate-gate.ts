import type { RateLimitState } from '@shared/ipc/domains/models'

/**
 * How a batch avoids retry storms. One gate is shared by every worker:
 * - a 429 closes the gate for everyone until the server's reset (or a
 *   backoff when it gives none), instead of each request retrying on its own;
 * - it also halves how many requests may be in flight, once per pause, so
 *   several 429s arriving together do not collapse it to nothing;
 * - successes raise the limit again by one per `current limit` successes
 *   (additive increase), up to what the user asked for;
 * - rate-limit headers that show a window already exhausted close the gate
 *   until that window resets, before the server has to refuse anything.
 */

export interface RateGateOptions {
  maxConcurrency: number
  /** Backoff for a 429 that gives no wait: base × 2^(n−1), capped. */
  baseBackoffMs?: number
  maxBackoffMs?: number
  random?: () => number
}

export interface PauseDecision {
  /** When the gate opens again (epoch ms). */
  until: number
  waitMs: number
  /** Where the wait came from. */
  source: 'server' | 'backoff' | 'headers'
}

export class RateGate {
  private limit: number
  private pausedUntil = 0
  private successesSinceChange = 0
  private consecutive429 = 0
  private lastRateLimitedAt = -Infinity
  private readonly base: number
  private readonly cap: number
  private readonly random: () => number

  constructor(private readonly opts: RateGateOptions) {
    this.limit = opts.maxConcurrency
    this.base = opts.baseBackoffMs ?? 1000
    this.cap = opts.maxBackoffMs ?? 30_000
    this.random = opts.random ?? Math.random
  }

  /** Requests allowed in flight now. */
  get concurrency(): number {
    return this.limit
  }

  /** Epoch ms the gate opens, or null when open at `now`. */
  pausedAt(now: number): number | null {
    return this.pausedUntil > now ? this.pausedUntil : null
  }

  /**
   * A request was refused with 429. `serverWaitMs` is what the server asked
   * for (retry-after / reset), undefined when it did not say.
   */
  onRateLimited(now: number, serverWaitMs: number | undefined): PauseDecision {
    this.consecutive429++
    this.lastRateLimitedAt = now
    this.successesSinceChange = 0
    const backoff = Math.min(this.cap, this.base * 2 ** (this.consecutive429 - 1))
    // Half fixed, half random, so two apps sharing a key do not come back in step.
    const jittered = backoff / 2 + (backoff / 2) * this.random()
    const waitMs = serverWaitMs !== undefined ? Math.max(serverWaitMs, 250) : jittered
    const until = Math.max(this.pausedUntil, now + waitMs)
    // Only a 429 that closes an open gate halves; the others of the same burst were already in flight.
    if (this.pausedUntil <= now) this.limit = Math.max(1, Math.floor(this.limit / 2))
    this.pausedUntil = until
    return { until, waitMs: until - now, source: serverWaitMs !== undefined ? 'server' : 'backoff' }
  }

  /**
   * A request that was sent at `sentAt` succeeded. Requests sent before the
   * last 429 say nothing about whether the lowered limit is safe, so they do
   * not raise it.
   */
  onSuccess(sentAt: number): void {
    if (sentAt < this.lastRateLimitedAt) return
    this.consecutive429 = 0
    if (this.limit >= this.opts.maxConcurrency) return
    this.successesSinceChange++
    if (this.successesSinceChange >= this.limit) {
      this.limit++
      this.successesSinceChange = 0
    }
  }

  /**
   * Fresh rate-limit headers: if a window has nothing left, wait for its
   * reset. Returns the pause it caused, if any.
   */
  onHeaders(state: RateLimitState, now: number): PauseDecision | null {
    let until = 0
    for (const w of state.windows) {
      // Day windows that are exhausted are left to the 429 path: waiting hours silently would look like a hang.
      if (w.remaining === 0 && w.resetsAt !== null && w.resetsAt > now && !w.window.endsWith('day')) until = Math.max(until, w.resetsAt)
    }
    if (until <= now || until <= this.pausedUntil) return null
    this.pausedUntil = until
    return { until, waitMs: until - now, source: 'headers' }
  }
}
