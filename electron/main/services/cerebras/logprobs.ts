import type { TokenLogprob } from '@shared/ipc/domains/chat'

/**
 * The tokens of a choice's `logprobs.content` (OpenAI's shape, which
 * Cerebras uses), or null when there are none. Malformed entries are
 * skipped rather than failing the answer they came with.
 */
export function parseLogprobs(raw: unknown): TokenLogprob[] | null {
  const content = (raw as { content?: unknown } | null | undefined)?.content
  if (!Array.isArray(content) || content.length === 0) return null
  const out: TokenLogprob[] = []
  for (const t of content as Array<Record<string, unknown>>) {
    if (!t || typeof t.token !== 'string' || typeof t.logprob !== 'number') continue
    const top = Array.isArray(t.top_logprobs)
      ? (t.top_logprobs as Array<Record<string, unknown>>)
          .filter((x) => x && typeof x.token === 'string' && typeof x.logprob === 'number')
          .map((x) => ({ token: x.token as string, logprob: x.logprob as number }))
      : []
    out.push(top.length ? { token: t.token, logprob: t.logprob, top } : { token: t.token, logprob: t.logprob })
  }
  return out.length ? out : null
}
