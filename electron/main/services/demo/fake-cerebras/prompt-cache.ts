import { createHash } from 'node:crypto'

import { type ChatBody, contentText } from './request-body'

/**
 * Cerebras's prompt cache as the fake plays it, so the app can be tried with
 * `usage.prompt_tokens_details.cached_tokens` above 0. As Cerebras describes
 * it (inference-docs.cerebras.ai/capabilities/prompt-caching): automatic,
 * prefix matching in 128-token blocks, shared within an organization (here:
 * one API key), kept at least 5 minutes. A request whose prompt begins with
 * whole blocks an earlier request sent gets those blocks counted as cached;
 * the first differing block ends the match.
 *
 * Tokens are the fake's usual estimate (~4 characters each, see
 * estimatePromptTokens), so a block is 512 characters of the prompt as sent:
 * tools first, then each message's role and text.
 */

export const CACHE_BLOCK_TOKENS = 128
const CHARS_PER_TOKEN = 4
const BLOCK_CHARS = CACHE_BLOCK_TOKENS * CHARS_PER_TOKEN
export const CACHE_TTL_MS = 5 * 60_000
/** Blocks remembered at most (oldest dropped first), so a long-running demo stays small. */
const MAX_BLOCKS = 20_000

export class FakePromptCache {
  /** Chained hash of a prompt's first n blocks (with its scope) → when it expires. */
  private readonly blocks = new Map<string, number>()

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Prompt tokens served from the cache for this request; its blocks are remembered for later ones. */
  use(scope: string, body: ChatBody, promptTokens: number): number {
    const text = promptText(body)
    const whole = Math.floor(Math.min(text.length / CHARS_PER_TOKEN, promptTokens) / CACHE_BLOCK_TOKENS)
    const now = this.now()
    let hash = createHash('sha256').update(scope).digest('hex')
    let hits = 0
    let matching = true
    for (let i = 0; i < whole; i++) {
      hash = createHash('sha256')
        .update(hash)
        .update(text.slice(i * BLOCK_CHARS, (i + 1) * BLOCK_CHARS))
        .digest('hex')
      const expires = this.blocks.get(hash)
      if (matching && expires !== undefined && expires > now) hits++
      else matching = false
      // Refreshed or added at the end of the order, so the oldest go first.
      this.blocks.delete(hash)
      this.blocks.set(hash, now + CACHE_TTL_MS)
    }
    while (this.blocks.size > MAX_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!)
    return Math.min(promptTokens, hits * CACHE_BLOCK_TOKENS)
  }

  clear(): void {
    this.blocks.clear()
  }
}

/** The prompt as the cache sees it: tool definitions, then each message in order. */
function promptText(body: ChatBody): string {
  const parts: string[] = []
  if (Array.isArray(body.tools) && body.tools.length) parts.push(JSON.stringify(body.tools))
  for (const m of body.messages) parts.push(`${m.role}\u0000${contentText(m.content)}\u0000`)
  return parts.join('')
}
