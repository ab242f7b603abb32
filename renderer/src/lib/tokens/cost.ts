import { findModel } from '@shared/catalog'
import { usageCostUsd } from '@shared/catalog/usage-cost'
import type { Usage } from '@shared/ipc/domains/chat'
import type { PublicModel } from '@shared/ipc/domains/models'

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

/** Per-1M prices the user set on the Models screen, for models billed by tier plans. */
export type UserPriceLookup = (modelId: string) => { inputPer1M?: number; outputPer1M?: number } | undefined

let userPrices: UserPriceLookup = () => undefined

/** The Models screen's catalog store registers its lookup here (kept as a hook so this module stays free of the store). */
export function setUserPriceLookup(lookup: UserPriceLookup): void {
  userPrices = lookup
}

/** The user's own prices win over published ones. */
function withUserPrices(modelId: string, facts: ModelFacts): ModelFacts {
  const own = userPrices(modelId)
  if (!own) return facts
  return { ...facts, inputPer1M: own.inputPer1M ?? facts.inputPer1M, outputPer1M: own.outputPer1M ?? facts.outputPer1M }
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

/** What a finished run cost, from the tokens the server reported (cached prompt tokens as Cerebras prices them, see usage-cost.ts). */
export function runCostUsd(facts: ModelFacts, usage: Usage | null): number | null {
  return usage ? usageCostUsd(facts, usage) : null
}
