import type { Usage } from '../ipc/domains/chat'

/*
 * What a finished request cost, from the tokens the server reported: the one
 * formula the playground, Compare, batches and History use.
 *
 * Cached prompt tokens (usage.prompt_tokens_details.cached_tokens) are priced
 * at the input rate. Cerebras publishes no separate price for them: its price
 * list has one input and one output price per model (docs/cerebras-api.md,
 * the public model list's pricing.prompt / pricing.completion), and its
 * prompt-caching page (inference-docs.cerebras.ai/capabilities/prompt-caching)
 * presents caching as a latency gain (lower TTFT), with no discount. Its rate
 * limits do treat them apart (an uncached-token limit beside the total one),
 * which is not a price. Should Cerebras publish a cached price, it goes here.
 */

/** The share of the input price a cached prompt token costs on Cerebras: the full price (no published discount). */
export const CACHED_INPUT_PRICE_FACTOR = 1

/** Tooltip words for the above, shown wherever cached tokens are priced. */
export const CACHED_PRICE_NOTE =
  'Cached prompt tokens are priced at the input rate: Cerebras publishes no discount for them (caching lowers latency, not price).'

export interface TokenRates {
  inputPer1M: number | null
  outputPer1M: number | null
}

/** Prompt tokens the server served from its cache (0 when it did not say; never more than the prompt). */
export function cachedPromptTokens(usage: Pick<Usage, 'prompt_tokens' | 'prompt_tokens_details'>): number {
  const cached = usage.prompt_tokens_details?.cached_tokens
  if (typeof cached !== 'number' || !Number.isFinite(cached) || cached <= 0) return 0
  return Math.min(cached, usage.prompt_tokens)
}

/** USD for the tokens in `usage` at `rates`; null when a price is unknown. */
export function usageCostUsd(rates: TokenRates, usage: Pick<Usage, 'prompt_tokens' | 'completion_tokens' | 'prompt_tokens_details'>): number | null {
  const { inputPer1M, outputPer1M } = rates
  if (inputPer1M === null || outputPer1M === null) return null
  const cached = cachedPromptTokens(usage)
  const uncached = usage.prompt_tokens - cached
  return (uncached * inputPer1M + cached * inputPer1M * CACHED_INPUT_PRICE_FACTOR + usage.completion_tokens * outputPer1M) / 1_000_000
}
