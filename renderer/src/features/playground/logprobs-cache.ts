import type { TokenLogprob } from '@shared/ipc/domains/chat'

/**
 * Log probabilities of this session's answers, by message id (the request
 * id). Kept beside the conversation rather than in it: a few thousand token
 * records per answer would swell the saved draft and History for a view
 * that is only looked at now. Bounded; the oldest answers drop out.
 */
const MAX_ANSWERS = 64
const cache = new Map<string, TokenLogprob[]>()

export function rememberLogprobs(messageId: string, tokens: readonly TokenLogprob[]): void {
  if (!tokens.length) return
  cache.delete(messageId)
  cache.set(messageId, tokens.slice())
  while (cache.size > MAX_ANSWERS) cache.delete(cache.keys().next().value!)
}

export function logprobsFor(messageId: string): TokenLogprob[] | undefined {
  return cache.get(messageId)
}
