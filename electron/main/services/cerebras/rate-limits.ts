import { type RateLimitState, type RateLimitWindow, RateLimitWindowName } from '@shared/ipc/domains/models'

/**
 * Cerebras's x-ratelimit-{limit,remaining,reset}-{requests,tokens}-{minute,hour,day}
 * headers, kept per model so the renderer can show quotas before sending.
 */

const WINDOWS: readonly RateLimitWindowName[] = RateLimitWindowName.options

type HeaderSource = Pick<Headers, 'get'>

function numberHeader(headers: HeaderSource, name: string): number | null {
  const raw = headers.get(name)
  if (raw === null || raw.trim() === '') return null
  const n = Number(raw)
  return Number.isFinite(n) ? n : null
}

/** The windows present in these headers; empty when the server sent none. */
export function parseRateLimitHeaders(headers: HeaderSource, wallNow: number): RateLimitWindow[] {
  const out: RateLimitWindow[] = []
  for (const window of WINDOWS) {
    const limit = numberHeader(headers, `x-ratelimit-limit-${window}`)
    const remaining = numberHeader(headers, `x-ratelimit-remaining-${window}`)
    const resetSeconds = numberHeader(headers, `x-ratelimit-reset-${window}`)
    if (limit === null && remaining === null && resetSeconds === null) continue
    out.push({
      window,
      limit,
      remaining,
      resetSeconds,
      resetsAt: resetSeconds === null ? null : Math.round(wallNow + resetSeconds * 1000),
    })
  }
  return out
}

export type RateLimitListener = (state: RateLimitState) => void

/** The latest figures per model. Subscribers hear every update that carried headers. */
export class RateLimitStore {
  private readonly states = new Map<string, RateLimitState>()
  private readonly listeners = new Set<RateLimitListener>()

  /** Record the headers of a response for `model`; returns the new state, or undefined if there were none. */
  update(model: string, headers: HeaderSource, wallNow: number): RateLimitState | undefined {
    const windows = parseRateLimitHeaders(headers, wallNow)
    if (windows.length === 0) return undefined
    // Keep windows this response did not mention (e.g. hour limits only sent sometimes).
    const previous = this.states.get(model)
    const merged = new Map((previous?.windows ?? []).map((w) => [w.window, w]))
    for (const w of windows) merged.set(w.window, w)
    const state: RateLimitState = {
      model,
      updatedAt: wallNow,
      windows: WINDOWS.filter((n) => merged.has(n)).map((n) => merged.get(n)!),
    }
    this.states.set(model, state)
    for (const l of this.listeners) {
      try {
        l(state)
      } catch {
        // A failing subscriber must not break the request that carried the headers.
      }
    }
    return state
  }

  get(model: string): RateLimitState | undefined {
    return this.states.get(model)
  }

  all(): RateLimitState[] {
    return [...this.states.values()]
  }

  /** Forget every figure (they came from an endpoint no longer in use, e.g. the demo). */
  clear(): void {
    this.states.clear()
  }

  subscribe(listener: RateLimitListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
