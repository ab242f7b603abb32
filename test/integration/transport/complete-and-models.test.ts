import { RETIRED_MODEL } from '@main/services/demo/fake-cerebras/fake-models'
import { WaferError } from '@shared/ipc/errors'
import { describe, expect } from 'vitest'

import { FastForwardClock } from '../../support/test-clocks'
import { it, Recorder, userRequest } from './harness'

describe('chat:complete (no streaming)', () => {
  it('returns the whole message, usage, server timings, and no TTFT (there is no first token to time)', async ({ harness: h }) => {
    const rec = new Recorder()
    const result = await h.handlers['chat:complete'](userRequest('gpt-oss-120b'), rec)
    const sent = h.fake.chatRequests[0].sent
    expect(result.message.content).toBe(sent.content)
    expect(result.message.reasoning).toBe(sent.reasoning)
    expect(result.finishReason).toBe('stop')
    expect(result.usage?.completion_tokens).toBe(60)
    expect(result.metrics.ttftMs).toBeNull()
    expect(result.metrics.gapP50Ms).toBeNull()
    expect(result.metrics.clientTotalMs).toBeGreaterThan(0)
    // Tokens/s is still known without streaming: usage over the client's total time.
    expect(result.metrics.clientTokensPerSec).toBeCloseTo((60 / result.metrics.clientTotalMs!) * 1000, 0)
    expect(result.metrics.serverDecodeTokensPerSec).toBeGreaterThan(0)
    expect(h.fake.chatRequests[0].body?.stream).toBe(false)
  })

  it('returns log probabilities when asked', async ({ harness: h }) => {
    const result = await h.handlers['chat:complete'](userRequest('fake-fast', 'hi', { max_completion_tokens: 30, logprobs: true }), new Recorder())
    expect(result.logprobs?.map((t) => t.token).join('')).toBe(result.message.content)
  })

  it('returns a tool call whole', async ({ harness: h }) => {
    const result = await h.handlers['chat:complete'](
      userRequest('fake-fast', 'find flights', { tools: [{ type: 'function', function: { name: 'flights' } }], tool_choice: 'required' }),
      new Recorder(),
    )
    expect(result.finishReason).toBe('tool_calls')
    expect(result.message.toolCalls[0].function).toEqual({ name: 'flights', arguments: '{"query":"find flights","limit":3}' })
  })

  it('retries a 429 with countdown events, then answers', async ({ startHarness }) => {
    const clock = new FastForwardClock()
    const h = await startHarness({ clock })
    const rec = new Recorder()
    const result = await h.handlers['chat:complete']({ ...userRequest('fault/429?times=1&retry_after_ms=2000'), requestId: 'c1' }, rec)
    expect(result.metrics.attempts).toBe(2)
    expect(rec.of('chat:retry', 'c1').map((r) => r.remainingMs)).toEqual([2000, 1000])
    expect(clock.sleeps).toEqual([1000, 1000])
  })

  it('throws a WaferError with the recovery hint for a retired model', async ({ harness: h }) => {
    const err = await Promise.resolve(h.handlers['chat:complete'](userRequest(RETIRED_MODEL), new Recorder())).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WaferError)
    expect((err as WaferError).code).toBe('model_not_found')
    expect((err as WaferError).details?.hint).toMatchObject({ suggestedReplacement: 'gpt-oss-120b' })
  })

  it('throws a network error when the connection drops', async ({ harness: h }) => {
    const err = await Promise.resolve(h.handlers['chat:complete'](userRequest('fault/drop?model=fake-fast'), new Recorder())).catch((e: unknown) => e)
    expect((err as WaferError).code).toBe('network')
    // One retry for a network failure.
    expect(h.fake.chatRequests).toHaveLength(2)
  })

  it('can be aborted', async ({ startHarness }) => {
    const h = await startHarness({ fake: { tokensPerSecond: 100, replyTokens: 200 } })
    const rec = new Recorder()
    const pending = Promise.resolve(h.handlers['chat:complete']({ ...userRequest('gpt-oss-120b'), requestId: 'slow' }, rec)).catch((e: unknown) => e)
    while (h.fake.chatRequests.length === 0) await new Promise((r) => setTimeout(r, 5))
    expect((await h.handlers['chat:abort']({ requestId: 'slow' }, rec)).aborted).toBe(true)
    expect(((await pending) as WaferError).code).toBe('aborted')
  })
})

describe('models:list and models:public', () => {
  it('lists the models this key can call, cached with the time it was fetched', async ({ harness: h }) => {
    const rec = new Recorder()
    const first = await h.handlers['models:list']({}, rec)
    expect(first.fromCache).toBe(false)
    expect(first.source).toBe(h.baseUrl)
    expect(first.models.map((m) => m.id)).toEqual(expect.arrayContaining(['gpt-oss-120b', 'fake-fast', 'fake-slow']))
    expect(first.models.find((m) => m.id === 'gpt-oss-120b')).toMatchObject({ ownedBy: 'OpenAI' })
    const second = await h.handlers['models:list']({}, rec)
    expect(second.fromCache).toBe(true)
    expect(second.fetchedAt).toBe(first.fetchedAt)
    const forced = await h.handlers['models:list']({ force: true }, rec)
    expect(forced.fromCache).toBe(false)
    expect(h.fake.received.filter((r) => r.path === '/v1/models')).toHaveLength(2)
  })

  it('models:list needs a key; models:public does not', async ({ harness: h }) => {
    h.apiKey.value = undefined
    const rec = new Recorder()
    const err = await Promise.resolve(h.handlers['models:list']({}, rec)).catch((e: unknown) => e)
    expect((err as WaferError).code).toBe('auth')
    const pub = await h.handlers['models:public']({}, rec)
    expect(pub.source).toBe(`${h.fake.origin}/public/v1/models`)
    const gpt = pub.models.find((m) => m.id === 'gpt-oss-120b')!
    expect(gpt).toMatchObject({
      contextLength: 131_072,
      maxCompletionTokens: 40_960,
      pricing: { prompt: '0.00000035', completion: '0.00000075' },
      promptPer1M: 0.35,
      completionPer1M: 0.75,
      deprecated: false,
      preview: false,
    })
    expect(gpt.capabilities).toContain('reasoning')
    expect(pub.models.find((m) => m.id === 'zai-glm-4.7')?.preview).toBe(true)
    expect(pub.models.some((m) => m.id === RETIRED_MODEL)).toBe(false)
    expect((await h.handlers['models:public']({}, rec)).fromCache).toBe(true)
  })

  it('a refused key on models:list is an auth error', async ({ startHarness }) => {
    const h = await startHarness({ fake: { apiKeys: ['csk-other'] } })
    const err = await Promise.resolve(h.handlers['models:list']({}, new Recorder())).catch((e: unknown) => e)
    expect((err as WaferError).code).toBe('auth')
  })
})
