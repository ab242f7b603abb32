import { backoffMs, DEFAULT_RETRY_POLICY, quotaKind, retryDelay, serverWaitMs } from '@main/services/cerebras/retry-policy'
import { describe, expect, it } from 'vitest'

const h = (o: Record<string, string>) => new Headers(o)
const NOW = Date.parse('2026-11-21T12:00:00Z')

describe('what the server asked us to wait', () => {
  it('prefers retry-after-ms, then retry-after, then the named quota reset', () => {
    const all = { 'retry-after-ms': '1500', 'retry-after': '3', 'x-ratelimit-reset-tokens-minute': '4.5' }
    expect(serverWaitMs(h(all), 'tokens', NOW)).toBe(1500)
    expect(serverWaitMs(h({ 'retry-after': '3', 'x-ratelimit-reset-tokens-minute': '4.5' }), 'tokens', NOW)).toBe(3000)
    expect(serverWaitMs(h({ 'x-ratelimit-reset-tokens-minute': '4.5', 'x-ratelimit-reset-requests-day': '33011.382867097855' }), 'tokens', NOW)).toBe(4500)
    expect(serverWaitMs(h({ 'x-ratelimit-reset-tokens-minute': '4.5', 'x-ratelimit-reset-requests-day': '33011.382867097855' }), 'requests', NOW)).toBeCloseTo(
      33_011_382.87,
      1,
    )
  })
  it('reads retry-after as an HTTP date too', () => {
    expect(serverWaitMs(h({ 'retry-after': new Date(NOW + 7000).toUTCString() }), 'unknown', NOW)).toBe(7000)
  })
  it('without a named quota, uses the soonest reset of an exhausted window', () => {
    const headers = h({
      'x-ratelimit-remaining-tokens-minute': '0',
      'x-ratelimit-reset-tokens-minute': '12.5',
      'x-ratelimit-remaining-requests-day': '10',
      'x-ratelimit-reset-requests-day': '2.0',
    })
    expect(serverWaitMs(headers, 'unknown', NOW)).toBe(12_500)
    expect(serverWaitMs(h({}), 'unknown', NOW)).toBeUndefined()
    expect(serverWaitMs(h({ 'retry-after': 'soon' }), 'unknown', NOW)).toBeUndefined()
  })
  it('knows which quota a 429 is about', () => {
    expect(quotaKind('token_quota_exceeded', null)).toBe('tokens')
    expect(quotaKind(null, 'too_many_tokens_error')).toBe('tokens')
    expect(quotaKind('request_quota_exceeded', null)).toBe('requests')
    expect(quotaKind('queue_exceeded', null)).toBe('requests')
    expect(quotaKind(null, null)).toBe('unknown')
  })
})

describe('how long to wait', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxBackoffMs: 8000 }
  it('backs off exponentially with equal jitter, capped', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(500)
    expect(backoffMs(1, policy, () => 0.999999)).toBeCloseTo(1000, 2)
    expect(backoffMs(3, policy, () => 0.5)).toBe(3000)
    expect(backoffMs(10, policy, () => 1)).toBe(8000)
  })
  it('never waits less than the server asked, nor less than the backoff', () => {
    expect(retryDelay(1, 1500, policy, () => 0.5)).toEqual({ retry: true, waitMs: 1500, source: 'server' })
    expect(retryDelay(3, 1500, policy, () => 0.5)).toEqual({ retry: true, waitMs: 3000, source: 'backoff' })
    expect(retryDelay(1, undefined, policy, () => 0.5)).toEqual({ retry: true, waitMs: 750, source: 'backoff' })
  })
  it('does not retry when the server asks for longer than the policy allows', () => {
    expect(retryDelay(1, 86_399_000, policy, () => 0.5)).toEqual({ retry: false, waitMs: 0, source: 'server', serverWaitMs: 86_399_000 })
  })
})
