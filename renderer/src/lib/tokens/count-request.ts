import type { TokenizerFamily } from './families'
import { CachedCounter, countPrompt, loadTokenCounter, type PromptPart } from './tokenizers'

/**
 * The token worker's protocol and its one handler, free of the Worker
 * global so it is tested under Node: a request names the family and the
 * prompt's parts; the answer is the prompt's token count (chat template
 * overhead included) or why it could not be counted.
 */

export interface CountRequest {
  id: number
  family: TokenizerFamily
  parts: readonly PromptPart[]
}

export type CountReply = { id: number; tokens: number } | { id: number; error: string }

/** One cache per family, kept for the worker's life: re-counting after an edit only tokenizes what changed. */
const cached = new Map<TokenizerFamily, CachedCounter>()

export async function answerCount(req: CountRequest): Promise<CountReply> {
  try {
    let counter = cached.get(req.family)
    if (!counter) cached.set(req.family, (counter = new CachedCounter(await loadTokenCounter(req.family))))
    return { id: req.id, tokens: countPrompt(counter, req.family, req.parts) }
  } catch (err) {
    return { id: req.id, error: err instanceof Error ? err.message : String(err) }
  }
}
