import type { RateLimitState, RateLimitWindow, RateLimitWindowName } from '@shared/ipc/domains/models'
import { createStore } from 'zustand/vanilla'

/**
 * The latest rate-limit figures Cerebras sent, per model, fed by
 * `ratelimit:changed` events (and `ratelimit:get` at start). Kept outside
 * the app store: it changes with every response.
 */

export interface RateLimitsState {
  byModel: Record<string, RateLimitState>
  /** The model whose headers arrived last. */
  latest: string | null
}

export const rateLimitStore = createStore<RateLimitsState>(() => ({ byModel: {}, latest: null }))

export function recordRateLimits(state: RateLimitState): void {
  const current = rateLimitStore.getState()
  const previous = current.byModel[state.model]
  if (previous && previous.updatedAt > state.updatedAt) return
  rateLimitStore.setState({
    byModel: { ...current.byModel, [state.model]: state },
    latest: !current.latest || state.updatedAt >= (current.byModel[current.latest]?.updatedAt ?? 0) ? state.model : current.latest,
  })
}

export function windowOf(state: RateLimitState | undefined, name: RateLimitWindowName): RateLimitWindow | undefined {
  return state?.windows.find((w) => w.window === name)
}

/** Seconds until `w` resets as of `now`, never negative; null when unknown. */
export function secondsToReset(w: RateLimitWindow | undefined, now: number): number | null {
  if (!w || w.resetsAt === null) return null
  return Math.max(0, (w.resetsAt - now) / 1000)
}

/**
 * What is left of a window as of `now`: once its reset time has passed the
 * figures we hold are stale, so it counts as full again.
 */
export function remainingNow(w: RateLimitWindow | undefined, now: number): number | null {
  if (!w || w.remaining === null) return null
  if (w.resetsAt !== null && now >= w.resetsAt && w.limit !== null) return w.limit
  return w.remaining
}
