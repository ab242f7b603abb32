import { limitsFromHeaders, matchTier, PUBLISHED_TIERS, tierLimitsFor } from '@shared/catalog/tiers'
import type { RateLimitState } from '@shared/ipc/domains/models'
import { describe, expect, it } from 'vitest'

const state = (model: string, windows: Array<[RateLimitState['windows'][number]['window'], number | null]>): RateLimitState => ({
  model,
  updatedAt: 0,
  windows: windows.map(([window, limit]) => ({ window, limit, remaining: null, resetSeconds: null, resetsAt: null })),
})

describe('published tier limits', () => {
  it('lists free, developer and enterprise, each with its source and date', () => {
    expect(PUBLISHED_TIERS.map((t) => t.id)).toEqual(['free', 'developer', 'enterprise'])
    for (const t of PUBLISHED_TIERS) expect(t.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('gives a model its own row over the tier defaults, and null where nothing is published', () => {
    expect(tierLimitsFor('free', 'gpt-oss-120b')).toEqual({
      requestsPerMinute: 30,
      requestsPerHour: 900,
      requestsPerDay: 14_400,
      tokensPerMinute: 60_000,
      tokensPerHour: 1_000_000,
      tokensPerDay: 1_000_000,
    })
    expect(tierLimitsFor('free', 'qwen-3-coder-480b')).toMatchObject({ requestsPerMinute: 10, requestsPerDay: 100, tokensPerDay: 1_000_000 })
    expect(tierLimitsFor('developer', 'gpt-oss-120b')).toMatchObject({ requestsPerMinute: 1000, tokensPerMinute: 1_000_000, tokensPerDay: null })
    expect(Object.values(tierLimitsFor('enterprise', 'gpt-oss-120b')).every((v) => v === null)).toBe(true)
  })

  it('reads the user’s own limits from the rate-limit headers and names the tier they match', () => {
    const free = state('gpt-oss-120b', [
      ['requests-day', 14_400],
      ['tokens-minute', 60_000],
    ])
    expect(limitsFromHeaders(free)).toMatchObject({ requestsPerDay: 14_400, tokensPerMinute: 60_000, requestsPerMinute: null })
    expect(matchTier(free)).toBe('free')
    expect(matchTier(state('gpt-oss-120b', [['tokens-minute', 1_000_000]]))).toBe('developer')
    expect(matchTier(state('gpt-oss-120b', [['tokens-minute', 123]]))).toBeNull()
    expect(matchTier(state('gpt-oss-120b', []))).toBeNull()
  })
})
