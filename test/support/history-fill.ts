import type { ChatMessage } from '@shared/ipc/domains/chat'
import type { RunInput } from '@shared/ipc/domains/history'
import { seededRng } from '@shared/stats/seeded-rng'

/**
 * Made-up saved runs as the playground writes them: chats of several turns,
 * where run k of a chat sent the k user turns and the k − 1 answers before
 * it. Words come from a fixed pseudo-random vocabulary, so a search for one
 * of them hits a realistic share of runs, and the same seed always gives the
 * same runs.
 */

/** A small deterministic PRNG (mulberry32, shared/stats): the same seed, the same history. */
export const prng = seededRng

const SYLLABLES = ['ka', 'lo', 'mi', 'ner', 'tos', 'vu', 'ra', 'pel', 'quo', 'sin', 'dar', 'fe', 'gim', 'hal', 'jor', 'wen', 'zy', 'bri', 'cat', 'ost']

/** A vocabulary of `size` distinct made-up words (two or three syllables). */
export function vocabulary(size = 4000): string[] {
  const words = new Set<string>()
  const rand = prng(7)
  while (words.size < size) {
    const n = 2 + Math.floor(rand() * 2)
    let w = ''
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)]
    words.add(w)
  }
  return [...words]
}

export interface ChatShape {
  /** Turns in each chat: from 1 to this many (uniform). */
  maxTurns: number
  /** Words in each user turn. */
  promptWords: number
  /** Words in each answer. */
  answerWords: number
}

/** Runs in chats, newest last, ending at `endAt` one second apart; `count` runs in all. */
export function* chatRuns(count: number, shape: ChatShape, opts: { seed?: number; endAt?: number; idPrefix?: string } = {}): Generator<RunInput> {
  const rand = prng(opts.seed ?? 1)
  const words = vocabulary()
  // Zipf-like: a few words are everywhere, most are rare, as in real text.
  const word = () => words[Math.floor(words.length * rand() ** 3)]
  const text = (n: number) => Array.from({ length: n }, word).join(' ')
  const endAt = opts.endAt ?? Date.UTC(2026, 0, 1)
  const prefix = opts.idPrefix ?? 'gen'
  let made = 0
  for (let chat = 0; made < count; chat++) {
    const turns = 1 + Math.floor(rand() * shape.maxTurns)
    const messages: ChatMessage[] = []
    for (let t = 0; t < turns && made < count; t++) {
      messages.push({ role: 'user', content: text(shape.promptWords) })
      const answer = text(shape.answerWords)
      const completion = Math.round(shape.answerWords * 1.3)
      yield {
        id: `${prefix}-${chat}-${t}`,
        source: 'playground',
        startedAt: endAt - (count - made) * 1000,
        request: { model: chat % 3 === 0 ? 'llama3.1-8b' : 'gpt-oss-120b', messages: [...messages] },
        response: { content: answer, reasoning: null, toolCalls: [], finishReason: 'stop', completionId: null },
        usage: {
          prompt_tokens: messages.length * shape.promptWords,
          completion_tokens: completion,
          total_tokens: messages.length * shape.promptWords + completion,
        },
        metrics: null,
        status: 'ok',
        costUsd: 0.0001,
      }
      messages.push({ role: 'assistant', content: answer })
      made++
    }
  }
}
