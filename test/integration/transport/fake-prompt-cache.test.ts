import { CACHE_BLOCK_TOKENS } from '@main/services/demo/fake-cerebras/prompt-cache'
import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { describe, expect, test } from 'vitest'

/*
 * The fake plays Cerebras's prompt cache: a request that repeats a prompt
 * prefix an earlier one sent (whole 128-token blocks, same key and model)
 * reports those tokens in usage.prompt_tokens_details.cached_tokens, streamed
 * or not; anything else reports 0.
 */

const it = test.extend('fake', { scope: 'file' }, async ({}, { onCleanup }) => {
  const fake = new FakeCerebras({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 20 })
  await fake.start()
  onCleanup(() => fake.stop())
  return fake
})

/** ~600 prompt tokens of a system prompt that stays the same across turns. */
const SYSTEM = Array.from({ length: 60 }, (_, i) => `Rule ${i}: answer briefly and cite the source.`).join(' ')

async function usageOf(fake: FakeCerebras, messages: { role: string; content: string }[], opts: { key?: string; stream?: boolean; model?: string } = {}) {
  const res = await fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.key ?? 'csk-cache'}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: opts.model ?? 'fake-fast', messages, stream: opts.stream ?? false }),
  })
  expect(res.status).toBe(200)
  if (!opts.stream) return ((await res.json()) as { usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } } }).usage
  const events = (await res.text()).split('\n').filter((l) => l.startsWith('data: {'))
  return (JSON.parse(events.at(-1)!.slice(6)) as { usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } } }).usage
}

describe('the fake prompt cache', () => {
  it('reports 0 the first time and the repeated prefix, in whole blocks, the next', async ({ fake }) => {
    fake.reset()
    const first = await usageOf(fake, [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'What is rule 3?' },
    ])
    expect(first.prompt_tokens).toBeGreaterThan(4 * CACHE_BLOCK_TOKENS)
    expect(first.prompt_tokens_details.cached_tokens).toBe(0)

    // The next turn repeats the system prompt and the first question: their whole blocks are cached.
    const second = await usageOf(
      fake,
      [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'What is rule 3?' },
        { role: 'assistant', content: 'Answer briefly and cite the source.' },
        { role: 'user', content: 'And rule 4?' },
      ],
      { stream: true },
    )
    const cached = second.prompt_tokens_details.cached_tokens
    expect(cached).toBeGreaterThanOrEqual(4 * CACHE_BLOCK_TOKENS)
    expect(cached % CACHE_BLOCK_TOKENS).toBe(0)
    expect(cached).toBeLessThan(second.prompt_tokens)
  })

  it('matches from the start only, per key and per model', async ({ fake }) => {
    fake.reset()
    const messages = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'Hello' },
    ]
    await usageOf(fake, messages)
    expect((await usageOf(fake, messages)).prompt_tokens_details.cached_tokens).toBeGreaterThan(0)
    // One character different at the start: no block matches.
    expect((await usageOf(fake, [{ role: 'system', content: `x${SYSTEM}` }, messages[1]])).prompt_tokens_details.cached_tokens).toBe(0)
    // Another organisation's key, or another model, has its own cache.
    expect((await usageOf(fake, messages, { key: 'csk-other' })).prompt_tokens_details.cached_tokens).toBe(0)
    expect((await usageOf(fake, messages, { model: 'fake-slow' })).prompt_tokens_details.cached_tokens).toBe(0)
  })

  it('caches nothing for a prompt shorter than one block, and forgets on reset', async ({ fake }) => {
    fake.reset()
    const short = [{ role: 'user', content: 'Hi there' }]
    await usageOf(fake, short)
    expect((await usageOf(fake, short)).prompt_tokens_details.cached_tokens).toBe(0)
    const long = [{ role: 'system', content: SYSTEM }]
    await usageOf(fake, long)
    fake.reset()
    expect((await usageOf(fake, long)).prompt_tokens_details.cached_tokens).toBe(0)
  })
})
