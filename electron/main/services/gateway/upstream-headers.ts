import type { TriedTarget } from './http-errors'

/** Says which targets a request tried when fallback ran (on answers and on errors). */
export const HEADER_FALLBACK_TRIED = 'x-wafer-fallback-tried'

/**
 * The upstream's headers a client of the gateway gets as they came: the
 * rate-limit figures and retry hints its SDK and gauges read, and the
 * completion's inference id. Nothing else of the upstream's goes through.
 */
const PASSED = /^(?:x-ratelimit-[a-z0-9-]+|retry-after|retry-after-ms|inference-id)$/

export function passedHeaders(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  headers?.forEach((value, name) => {
    if (PASSED.test(name)) out[name] = value
  })
  return out
}

/** `primary: 503 service_unavailable; secondary: ok`, kept to what a header may carry. */
export function triedHeader(tried: readonly TriedTarget[]): Record<string, string> {
  const value = tried
    .map((t) => `${t.target}: ${t.outcome}`)
    .join('; ')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 1_000)
  return { [HEADER_FALLBACK_TRIED]: value }
}
