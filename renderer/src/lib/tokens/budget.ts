import { fmtInt } from '../format'
import type { ModelFacts } from './cost'

/**
 * Warnings before sending: a request longer than the context window, a
 * max_completion_tokens above the model's output limit, and one that does
 * not fit in the tokens left this minute (Cerebras reserves
 * max_completion_tokens, or the model's maximum when unset, up front, so a
 * large value gets early 429s).
 */

export interface BudgetInput {
  promptTokens: number | null
  maxCompletionTokens: number | null
  facts: ModelFacts
  /** Tokens-per-minute left per the latest headers; null when unknown. */
  tpmRemaining: number | null
  tpmResetSeconds: number | null
}

export interface BudgetWarning {
  id: 'context' | 'free-context' | 'max-output' | 'tpm'
  level: 'warn' | 'danger'
  message: string
}

const fmt = fmtInt

export function budgetWarnings(i: BudgetInput): BudgetWarning[] {
  const out: BudgetWarning[] = []
  const { facts } = i
  const reserved = i.maxCompletionTokens ?? facts.maxCompletionTokens
  if (i.promptTokens !== null && reserved !== null) {
    const total = i.promptTokens + reserved
    if (facts.contextLength !== null && total > facts.contextLength) {
      out.push({
        id: 'context',
        level: 'danger',
        message: `Prompt (≈${fmt(i.promptTokens)}) + max_completion_tokens (${fmt(reserved)}${i.maxCompletionTokens === null ? ', the model maximum' : ''}) = ${fmt(total)} tokens, more than the ${fmt(facts.contextLength)}-token context window. Shorten the conversation or lower max_completion_tokens.`,
      })
    } else if (facts.freeContextLength !== null && total > facts.freeContextLength) {
      out.push({
        id: 'free-context',
        level: 'warn',
        message: `${fmt(total)} tokens is more than the free tier's ${fmt(facts.freeContextLength)}-token context; it fits only on a paid plan.`,
      })
    }
  }
  if (i.maxCompletionTokens !== null && facts.maxCompletionTokens !== null && i.maxCompletionTokens > facts.maxCompletionTokens) {
    out.push({
      id: 'max-output',
      level: 'warn',
      message: `max_completion_tokens ${fmt(i.maxCompletionTokens)} is above this model's published output limit (${fmt(facts.maxCompletionTokens)}).`,
    })
  }
  if (i.tpmRemaining !== null && reserved !== null) {
    const needed = (i.promptTokens ?? 0) + reserved
    if (needed > i.tpmRemaining) {
      const reset = i.tpmResetSeconds !== null ? ` The minute resets in ${Math.ceil(i.tpmResetSeconds)} s.` : ''
      out.push({
        id: 'tpm',
        level: 'warn',
        message: `Cerebras reserves max_completion_tokens up front: this request needs ≈${fmt(needed)} tokens but only ${fmt(i.tpmRemaining)} are left this minute, so it may get a 429.${reset} Lower max_completion_tokens${i.maxCompletionTokens === null ? ' (unset means the model maximum)' : ''}.`,
      })
    }
  }
  return out
}
