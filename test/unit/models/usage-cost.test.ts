import { CACHED_INPUT_PRICE_FACTOR, cachedPromptTokens, usageCostUsd } from '@shared/catalog/usage-cost'
import { describe, expect, it } from 'vitest'

/* What a run cost, from the server's usage, with cached prompt tokens priced as Cerebras prices them. */

const rates = { inputPer1M: 0.35, outputPer1M: 0.75 }

describe('usage cost', () => {
  it('prices prompt and completion tokens at the model’s rates', () => {
    expect(usageCostUsd(rates, { prompt_tokens: 1000, completion_tokens: 2000 })).toBeCloseTo((1000 * 0.35 + 2000 * 0.75) / 1e6, 12)
  })

  it('prices cached prompt tokens at the input rate, since Cerebras publishes no discount for them', () => {
    expect(CACHED_INPUT_PRICE_FACTOR).toBe(1)
    const cached = { prompt_tokens: 1000, completion_tokens: 2000, prompt_tokens_details: { cached_tokens: 768 } }
    expect(usageCostUsd(rates, cached)).toBeCloseTo(usageCostUsd(rates, { prompt_tokens: 1000, completion_tokens: 2000 })!, 15)
  })

  it('reads cached tokens only as the server reported them, never more than the prompt', () => {
    expect(cachedPromptTokens({ prompt_tokens: 1000, prompt_tokens_details: { cached_tokens: 768 } })).toBe(768)
    expect(cachedPromptTokens({ prompt_tokens: 100, prompt_tokens_details: { cached_tokens: 768 } })).toBe(100)
    expect(cachedPromptTokens({ prompt_tokens: 100 })).toBe(0)
    expect(cachedPromptTokens({ prompt_tokens: 100, prompt_tokens_details: {} })).toBe(0)
  })

  it('is unknown when a price is', () => {
    expect(usageCostUsd({ inputPer1M: null, outputPer1M: 0.75 }, { prompt_tokens: 1, completion_tokens: 1 })).toBeNull()
  })
})
