import { parseRateLimitHeaders, RateLimitStore } from '@main/services/cerebras/rate-limits'
import { describe, expect, it } from 'vitest'

const NOW = 1_800_000_000_000

describe('rate-limit headers', () => {
  it('parses the documented six and the minute/hour/day variants, floats included', () => {
    const windows = parseRateLimitHeaders(
      new Headers({
        'x-ratelimit-limit-requests-day': '14400',
        'x-ratelimit-remaining-requests-day': '14397',
        'x-ratelimit-reset-requests-day': '33011.382867097855',
        'x-ratelimit-limit-tokens-minute': '60000',
        'x-ratelimit-remaining-tokens-minute': '58000',
        'x-ratelimit-reset-tokens-minute': '11.382867097855',
        'x-ratelimit-limit-requests-minute': '30',
        'x-ratelimit-remaining-tokens-hour': '900000',
      }),
      NOW,
    )
    const by = Object.fromEntries(windows.map((w) => [w.window, w]))
    expect(Object.keys(by).sort()).toEqual(['requests-day', 'requests-minute', 'tokens-hour', 'tokens-minute'])
    expect(by['requests-day']).toEqual({ window: 'requests-day', limit: 14400, remaining: 14397, resetSeconds: 33011.382867097855, resetsAt: NOW + 33_011_383 })
    expect(by['requests-minute']).toEqual({ window: 'requests-minute', limit: 30, remaining: null, resetSeconds: null, resetsAt: null })
    expect(parseRateLimitHeaders(new Headers({ 'x-ratelimit-limit-tokens-minute': 'lots' }), NOW)).toEqual([])
  })

  it('keeps one state per model, merges windows, and tells subscribers', () => {
    const store = new RateLimitStore()
    const heard: string[] = []
    const off = store.subscribe((s) => heard.push(`${s.model}:${s.windows.length}`))
    store.update('a', new Headers({ 'x-ratelimit-remaining-requests-day': '5' }), NOW)
    store.update('a', new Headers({ 'x-ratelimit-remaining-tokens-minute': '7' }), NOW + 1)
    store.update('b', new Headers({ 'content-type': 'text/plain' }), NOW)
    expect(heard).toEqual(['a:1', 'a:2'])
    expect(store.get('a')?.windows.map((w) => [w.window, w.remaining])).toEqual([
      ['requests-day', 5],
      ['tokens-minute', 7],
    ])
    expect(store.get('b')).toBeUndefined()
    off()
    store.update('a', new Headers({ 'x-ratelimit-remaining-requests-day': '4' }), NOW + 2)
    expect(heard).toHaveLength(2)
    expect(store.all().map((s) => s.model)).toEqual(['a'])
  })
})
