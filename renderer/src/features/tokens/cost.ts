import { findModel } from '../../../../shared/catalog'
import { mergedModel } from '../models/catalog-store'
import type { PublicModel } from '../../../../shared/ipc/domains/models'
import type { Usage } from '../../../../shared/ipc/domains/chat'

/**
 * Prices and limits for a model: the live public catalog when main could
 * fetch it, else the bundled snapshot. Null fields mean "not published" and
 * are shown as "—", never guessed.
 */

export interface ModelFacts {
  inputPer1M: number | null
  outputPer1M: number | null
  contextLength: number | null
  /** A smaller context on the free tier, when published. */
  freeContextLength: number | null
  maxCompletionTokens: number | null
  source: 'live' | 'catalog' | 'unknown'
}

export function modelFacts(modelId: string, live?: readonly PublicModel[] | null): ModelFacts {
  return withUserPrices(modelId, publishedFacts(modelId, live))
}

/** Prices the user set on the Models screen (for tier-billed models with no public price) win. */
function withUserPrices(modelId: string, facts: ModelFacts): ModelFacts {
  const pricing = mergedModel(modelId)?.pricing
  if (pricing?.input?.from !== 'user' && pricing?.output?.from !== 'user') return facts
  return {
    ...facts,
    inputPer1M: pricing.input?.from === 'user' ? pricing.input.value : facts.inputPer1M,
    outputPer1M: pricing.output?.from === 'user' ? pricing.output.value : facts.outputPer1M,
  }
}

function publishedFacts(modelId: string, live?: readonly PublicModel[] | null): ModelFacts {
  const catalog = findModel(modelId)
  const fromLive = live?.find((m) => m.id === modelId)
  if (fromLive) {
    return {
      inputPer1M: fromLive.promptPer1M ?? catalog?.pricing.inputPer1M ?? null,
      outputPer1M: fromLive.completionPer1M ?? catalog?.pricing.outputPer1M ?? null,
      contextLength: fromLive.contextLength ?? catalog?.contextLength.paid ?? catalog?.contextLength.free ?? null,
      freeContextLength: catalog?.contextLength.free ?? null,
      maxCompletionTokens: fromLive.maxCompletionTokens ?? catalog?.maxOutputTokens.paid ?? catalog?.maxOutputTokens.free ?? null,
      source: 'live',
    }
  }
  if (catalog) {
    return {
      inputPer1M: catalog.pricing.inputPer1M,
      outputPer1M: catalog.pricing.outputPer1M,
      contextLength: catalog.contextLength.paid ?? catalog.contextLength.free,
      freeContextLength: catalog.contextLength.free,
      maxCompletionTokens: catalog.maxOutputTokens.paid ?? catalog.maxOutputTokens.free,
      source: 'catalog',
    }
  }
  return { inputPer1M: null, outputPer1M: null, contextLength: null, freeContextLength: null, maxCompletionTokens: null, source: 'unknown' }
}

export function costUsd(facts: ModelFacts, promptTokens: number, completionTokens: number): number | null {
  if (facts.inputPer1M === null || facts.outputPer1M === null) return null
  return (promptTokens * facts.inputPer1M + completionTokens * facts.outputPer1M) / 1_000_000
}

/** What a finished run cost, from the tokens the server reported. */
export function runCostUsd(facts: ModelFacts, usage: Usage | null): number | null {
  if (!usage) return null
  return costUsd(facts, usage.prompt_tokens, usage.completion_tokens)
}

export function formatUsd(usd: number | null): string {
  if (usd === null) return '—'
  if (usd === 0) return '$0'
  if (usd < 0.0001) return `$${usd.toExponential(1)}`
  if (usd < 0.01) return `$${usd.toFixed(5)}`
  return `$${usd.toFixed(4)}`
}
