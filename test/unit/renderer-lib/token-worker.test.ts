import { answerCount } from '@renderer/lib/tokens/count-request'
import type { TokenizerFamily } from '@renderer/lib/tokens/families'
import { countPrompt, loadTokenCounter } from '@renderer/lib/tokens/tokenizers'
import { describe, expect, it } from 'vitest'

/*
 * The token worker's one handler (lib/tokens/count-request.ts), run here
 * without the Worker around it: the count it answers is the in-thread
 * countPrompt's, for every family, and a tokenizer that cannot load is an
 * error answer naming why, never a thrown error that would kill the worker.
 */

const parts = [
  { text: 'You are terse.', message: true },
  { text: 'The quick brown fox jumps over the lazy dog. '.repeat(40), message: true },
  { text: '[{"type":"function","function":{"name":"weather"}}]', message: false },
]

describe('the token worker', () => {
  it('answers each request with the prompt count of its family, template overhead included', async () => {
    const families: TokenizerFamily[] = ['o200k_harmony', 'o200k_base', 'llama3', 'qwen3']
    for (const [i, family] of families.entries()) {
      const expected = countPrompt(await loadTokenCounter(family), family, parts)
      expect(await answerCount({ id: i + 1, family, parts })).toEqual({ id: i + 1, tokens: expected })
      // Again, from its cache, after an edit to one part: the same figure as counting afresh.
      const edited = [...parts.slice(0, 2), { text: 'edited', message: true }]
      expect(await answerCount({ id: 100 + i, family, parts: edited })).toEqual({
        id: 100 + i,
        tokens: countPrompt(await loadTokenCounter(family), family, edited),
      })
    }
  }, 60_000)

  it('answers an error, with its id, when the family has no tokenizer', async () => {
    const reply = await answerCount({ id: 7, family: 'no-such-family' as TokenizerFamily, parts })
    expect(reply.id).toBe(7)
    expect('error' in reply && reply.error.length > 0).toBe(true)
  })
})
