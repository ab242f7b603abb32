/**
 * When to retry a failed Cerebras call and how long to wait. 429s honour
 * what the server says (retry-after-ms, retry-after, x-ratelimit-reset-*),
 * never waiting less than it asks, on top of capped exponential backoff
 * with jitter. 5xx and connection failures get one retry.
 */

export interface RetryPolicy {
  /** Retries for 429 before giving up. */
  maxRateLimitRetries: number
  /** Retries for 5xx, 408 and connection failures. */
  maxServerRetries: number
  /** Backoff for the first retry; doubles each time. */
  baseDelayMs: number
  /** Cap on the backoff (not on what the server asks for). */
  maxBackoffMs: number
  /**
   * A server asking for a longer wait than this (e.g. Retry-After: 86399 for
   * a daily token quota) is not retried: the user is told when it resets.
   */
  maxServerWaitMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRateLimitRetries: 3,
  maxServerRetries: 1,
  baseDelayMs: 1000,
  maxBackoffMs: 20_000,
  maxServerWaitMs: 60_000,
}

type HeaderSource = Pick<Headers, 'get'>

function positiveNumber(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === '') return undefined
  const n = Number(raw)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

/** Which quota a 429 is about, from its error code/type. */
export type QuotaKind = 'tokens' | 'requests' | 'unknown'

export function quotaKind(code: string | null | undefined, type: string | null | undefined): QuotaKind {
  if (code === 'token_quota_exceeded' || type === 'too_many_tokens_error') return 'tokens'
  if (code === 'request_quota_exceeded' || code === 'queue_exceeded' || type === 'too_many_requests_error') return 'requests'
  return 'unknown'
}

const RESET_ORDER: Record<QuotaKind, string[]> = {
  tokens: ['tokens-minute', 'tokens-hour', 'tokens-day'],
  requests: ['requests-minute', 'requests-hour', 'requests-day'],
  unknown: [],
}

/**
 * How long the server asked us to wait, in ms, or undefined if it did not
 * say. retry-after-ms wins, then retry-after (seconds or an HTTP date), then
 * the reset of the quota the error names, then the soonest reset of a
 * window that is exhausted.
 */
export function serverWaitMs(headers: HeaderSource, kind: QuotaKind, wallNow: number): number | undefined {
  const ms = positiveNumber(headers.get('retry-after-ms'))
  if (ms !== undefined) return ms
  const retryAfter = headers.get('retry-after')
  const seconds = positiveNumber(retryAfter)
  if (seconds !== undefined) return seconds * 1000
  if (retryAfter) {
    const date = Date.parse(retryAfter)
    if (Number.isFinite(date)) return Math.max(0, date - wallNow)
  }
  for (const window of RESET_ORDER[kind]) {
    const reset = positiveNumber(headers.get(`x-ratelimit-reset-${window}`))
    if (reset !== undefined) return reset * 1000
  }
  let soonest: number | undefined
  for (const window of ['requests-minute', 'tokens-minute', 'requests-hour', 'tokens-hour', 'requests-day', 'tokens-day']) {
    const remaining = positiveNumber(headers.get(`x-ratelimit-remaining-${window}`))
    const reset = positiveNumber(headers.get(`x-ratelimit-reset-${window}`))
    if (remaining === 0 && reset !== undefined) soonest = Math.min(soonest ?? Infinity, reset * 1000)
  }
  return soonest
}

/**
 * Backoff for retry number `attempt` (1-based): the capped exponential
 * delay, with "equal jitter" (half fixed, half random) so clients that
 * failed together do not retry together.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return exp / 2 + (exp / 2) * random()
}

export interface RetryDecision {
  retry: boolean
  waitMs: number
  /** Where the wait came from. */
  source: 'server' | 'backoff'
  /** Set when not retrying because the server asked for too long a wait. */
  serverWaitMs?: number
}

/** The wait before retry `attempt`: at least what the server asked, at least the backoff. */
export function retryDelay(attempt: number, hintMs: number | undefined, policy: RetryPolicy, random: () => number): RetryDecision {
  if (hintMs !== undefined && hintMs > policy.maxServerWaitMs) {
    return { retry: false, waitMs: 0, source: 'server', serverWaitMs: hintMs }
  }
  const backoff = backoffMs(attempt, policy, random)
  if (hintMs !== undefined && hintMs >= backoff) return { retry: true, waitMs: Math.ceil(hintMs), source: 'server' }
  return { retry: true, waitMs: Math.ceil(backoff), source: 'backoff' }
}

/** Statuses worth one more try: timeouts, conflicts and server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status >= 500
}
