import type { TokenBudgetConfig } from '../schema'
import { isAscii } from '../text/normalize'
import type { ChatRequest, PolicyResult } from './types'

/**
 * Token estimate without the model's tokenizer (not available in the app):
 * about four ASCII characters per token, one token per non-ASCII character
 * (CJK and emoji tokenize densely), plus the chat template's few tokens per
 * message. Linear in the text.
 */
export function estimateTokens(text: string): number {
  if (isAscii(text)) return Math.ceil(text.length / 4)
  let ascii = 0
  let other = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) ascii++
    else if (c < 0xdc00 || c > 0xdfff) other++ // count a surrogate pair once
  }
  return Math.ceil(ascii / 4) + other
}

export const TOKENS_PER_MESSAGE = 4
export const TOKENS_PER_REQUEST = 3

export function estimatePromptTokens(req: ChatRequest): number {
  let n = TOKENS_PER_REQUEST
  for (const m of req.messages) n += TOKENS_PER_MESSAGE + estimateTokens(m.content ?? '')
  return n
}

export interface BudgetOutcome {
  result: Omit<PolicyResult, 'time_ms' | 'policy' | 'status'>
  /** The max_completion_tokens to send (changed when clamped). */
  maxCompletionTokens: number | null | undefined
}

export function evaluateBudget(cfg: TokenBudgetConfig, req: ChatRequest): BudgetOutcome {
  const action = cfg.action ?? 'clamp'
  // Only prompt and total limits need the prompt's size (a pass over every message).
  const prompt = cfg.max_prompt_tokens !== undefined || cfg.max_total_tokens !== undefined ? estimatePromptTokens(req) : 0
  const requested = req.max_completion_tokens ?? null
  if (cfg.max_prompt_tokens !== undefined && prompt > cfg.max_prompt_tokens) {
    return {
      result: {
        verdict: 'block',
        code: 'budget_exceeded',
        findings: [],
        message: `prompt is about ${prompt} tokens, over the limit of ${cfg.max_prompt_tokens}`,
      },
      maxCompletionTokens: requested,
    }
  }
  let cap = Infinity
  if (cfg.max_completion_tokens !== undefined) cap = cfg.max_completion_tokens
  if (cfg.max_total_tokens !== undefined) cap = Math.min(cap, cfg.max_total_tokens - prompt)
  if (cap <= 0) {
    return {
      result: {
        verdict: 'block',
        code: 'budget_exceeded',
        findings: [],
        message: `prompt is about ${prompt} tokens, leaving no room under max_total_tokens ${cfg.max_total_tokens}`,
      },
      maxCompletionTokens: requested,
    }
  }
  if (cap === Infinity || (requested !== null && requested <= cap)) {
    return { result: { verdict: 'allow', findings: [] }, maxCompletionTokens: req.max_completion_tokens }
  }
  if (requested !== null && action === 'block') {
    return {
      result: {
        verdict: 'block',
        code: 'budget_exceeded',
        findings: [],
        message: `max_completion_tokens ${requested} is over the limit of ${cap}`,
      },
      maxCompletionTokens: requested,
    }
  }
  // Missing (the server would reserve its maximum): filling it in changes
  // nothing the user wrote, so the verdict stays allow; lowering one does.
  return {
    result: {
      verdict: requested === null ? 'allow' : 'redact',
      findings: [],
      message:
        requested === null
          ? `max_completion_tokens set to ${cap} (Cerebras reserves it up front)`
          : `max_completion_tokens lowered from ${requested} to ${cap}`,
      changes: { max_completion_tokens: { from: requested, to: cap } },
    },
    maxCompletionTokens: cap,
  }
}
