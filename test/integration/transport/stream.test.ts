import { FAKE_FAST_MODEL } from '@main/services/demo/fake-cerebras/fake-models'
import type { ChatDone } from '@shared/ipc/domains/chat'
import { describe, expect } from 'vitest'

import { chatBodyOfSize } from '../../fake-cerebras/prompt-corpus'
import { it, Recorder, runStream, userRequest } from './harness'

describe('streaming a chat completion from the fake Cerebras server', () => {
  it('emits deltas then exactly one done, and the deltas add up to exactly what the server sent', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('gpt-oss-120b'))
    const seq = rec.sequence(requestId)
    expect(seq.at(-1)).toBe('chat:done')
    expect(seq.filter((e) => e === 'chat:done' || e === 'chat:error')).toHaveLength(1)
    expect(seq.slice(0, -1).every((e) => e === 'chat:delta')).toBe(true)

    const sent = h.fake.chatRequests[0].sent
    const got = rec.text(requestId)
    expect(got.content).toBe(sent.content)
    expect(got.reasoning).toBe(sent.reasoning)
    expect(got.reasoning.length).toBeGreaterThan(0)

    // Sequence numbers have no gaps.
    expect(rec.of('chat:delta', requestId).map((d) => d.seq)).toEqual(rec.of('chat:delta', requestId).map((_, i) => i))

    const done = end.payload as ChatDone
    expect(done.finishReason).toBe('stop')
    expect(done.completionId).toMatch(/^chatcmpl-/)
    expect(done.usage?.completion_tokens).toBe(60)
    expect(done.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0)
    expect(done.timeInfo?.completion_time).toBeGreaterThan(0)
  })

  it('carries log probabilities when asked: one per content token, in order, with the deltas', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId } = await runStream(h, rec, userRequest(FAKE_FAST_MODEL, 'hi', { max_completion_tokens: 40, logprobs: true }))
    const tokens = rec.of('chat:delta', requestId).flatMap((d) => d.logprobs ?? [])
    expect(tokens.length).toBe(40)
    expect(tokens.map((t) => t.token).join('')).toBe(h.fake.chatRequests[0].sent.content)
    expect(tokens.every((t) => t.logprob <= 0)).toBe(true)
    // Without the switch there are none.
    const rec2 = new Recorder()
    const second = await runStream(h, rec2, userRequest(FAKE_FAST_MODEL, 'hi', { max_completion_tokens: 40 }))
    expect(rec2.of('chat:delta', second.requestId).some((d) => d.logprobs)).toBe(false)
  })

  it('never sends the same text twice: every delta carries only new text', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId } = await runStream(h, rec, userRequest(FAKE_FAST_MODEL, 'hi', { max_completion_tokens: 50 }))
    const deltas = rec.of('chat:delta', requestId)
    const total = deltas.reduce((n, d) => n + (d.content?.length ?? 0), 0)
    expect(total).toBe(h.fake.chatRequests[0].sent.content.length)
    expect(rec.of('chat:done', requestId)[0]).not.toHaveProperty('content')
  })

  it('coalesces: at most one delta per ~16 ms for a request', async ({ startHarness }) => {
    // 600 tokens at 20k tok/s take ~30 ms: many tokens per frame.
    const h = await startHarness({ fake: { ttftMs: 5, tokensPerSecond: 6000, replyTokens: 600 } })
    const rec = new Recorder()
    const { requestId } = await runStream(h, rec, userRequest(FAKE_FAST_MODEL, 'hi', { max_completion_tokens: 600 }))
    const times = rec.events.filter((e) => e.event === 'chat:delta').map((e) => e.at)
    expect(times.length).toBeGreaterThan(2)
    expect(times.length).toBeLessThan(600 / 4)
    // While streaming, deltas are at least a frame apart; the last one is the
    // remainder, flushed together with the done event.
    for (let i = 1; i < times.length - 1; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(15.9)
    const seq = rec.sequence(requestId)
    expect(seq.slice(-2)).toEqual(['chat:delta', 'chat:done'])
    expect(rec.text(requestId).content).toBe(h.fake.chatRequests[0].sent.content)
  })

  it('reports honest metrics: client and server figures, nothing invented', async ({ harness: h }) => {
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('gpt-oss-120b'))
    const m = (end.payload as ChatDone).metrics
    expect(m.ttftMs).toBeGreaterThan(0)
    expect(m.clientTotalMs).toBeGreaterThanOrEqual(m.ttftMs!)
    expect(m.contentChunks).toBe(60)
    const ti = (end.payload as ChatDone).timeInfo!
    expect(m.serverDecodeTokensPerSec).toBeCloseTo(60 / ti.completion_time!, 0)
    expect(m.serverTotalMs).toBeCloseTo(ti.total_time! * 1000, 3)
    expect(m.networkOverheadMs).toBeCloseTo(m.clientTotalMs! - m.serverTotalMs!, 3)
    expect(m.clientTokensPerSec).toBeCloseTo((60 / m.clientTotalMs!) * 1000, 0)
    expect(m.attempts).toBe(1)
    expect(m.request?.encoding).toBe('json')
  })

  it('sends large prompts as msgpack+gzip, which the server decodes to the same request', async ({ harness: h }) => {
    const rec = new Recorder()
    const big = chatBodyOfSize(100 * 1024, FAKE_FAST_MODEL)
    const { end } = await runStream(h, rec, { request: { model: FAKE_FAST_MODEL, messages: big.messages, max_completion_tokens: 20 } })
    const got = h.fake.chatRequests[0]
    expect(got.format).toBe('msgpack')
    expect(got.gzip).toBe(true)
    expect(got.contentType).toBe('application/vnd.msgpack')
    expect(got.body?.messages).toEqual(big.messages)
    expect(got.body?.stream_options).toEqual({ include_usage: true })
    const stats = (end.payload as ChatDone).metrics.request!
    expect(stats.encoding).toBe('msgpack+gzip')
    expect(stats.wireBytes).toBe(got.wireBytes)
    expect(stats.bytesSaved).toBe(stats.jsonBytes - stats.wireBytes)
    expect(stats.wireBytes / stats.jsonBytes).toBeLessThan(0.4)
  })

  it('honours the compression switches', async ({ harness: h }) => {
    const rec = new Recorder()
    const big = chatBodyOfSize(50 * 1024, FAKE_FAST_MODEL)
    h.settings.compression = { msgpack: false, gzip: true }
    await runStream(h, rec, { request: { model: FAKE_FAST_MODEL, messages: big.messages, max_completion_tokens: 5 } })
    h.settings.compression = { msgpack: true, gzip: false }
    await runStream(h, rec, { request: { model: FAKE_FAST_MODEL, messages: big.messages, max_completion_tokens: 5 } })
    h.settings.compression = { msgpack: false, gzip: false }
    await runStream(h, rec, { request: { model: FAKE_FAST_MODEL, messages: big.messages, max_completion_tokens: 5 } })
    expect(h.fake.chatRequests.map((r) => [r.format, r.gzip])).toEqual([
      ['json', true],
      ['msgpack', false],
      ['json', false],
    ])
  })

  it('streams tool calls, with arguments arriving in pieces, and finishes with tool_calls', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(
      h,
      rec,
      userRequest('gpt-oss-120b', 'look up the weather in Paris', {
        tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object' } } }],
        tool_choice: 'required',
      }),
    )
    const parts = rec.of('chat:delta', requestId).flatMap((d) => d.toolCalls ?? [])
    const args = parts.map((p) => p.arguments ?? '').join('')
    expect(args).toBe(h.fake.chatRequests[0].sent.toolArguments)
    expect(JSON.parse(args)).toEqual({ query: 'look up the weather in Paris', limit: 3 })
    expect(parts.find((p) => p.name)?.name).toBe('search')
    expect((end.payload as ChatDone).finishReason).toBe('tool_calls')
  })

  it('accepts a stream that ends with data: [DONE]', async ({ startHarness }) => {
    const h = await startHarness({ fake: { ttftMs: 5, tokensPerSecond: 20_000, replyTokens: 30, sendDoneMarker: true } })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest(FAKE_FAST_MODEL))
    expect(end.event).toBe('chat:done')
    expect(rec.text(requestId).content).toBe(h.fake.chatRequests[0].sent.content)
  })

  it('records rate-limit headers per model and emits ratelimit:changed', async ({ harness: h }) => {
    const rec = new Recorder()
    await runStream(h, rec, userRequest(FAKE_FAST_MODEL))
    const changed = rec.of('ratelimit:changed')
    expect(changed).toHaveLength(1)
    const windows = Object.fromEntries(changed[0].windows.map((w) => [w.window, w]))
    expect(windows['requests-day'].limit).toBe(14_400)
    expect(windows['requests-day'].remaining).toBe(14_399)
    expect(windows['tokens-minute'].resetSeconds).toBeGreaterThan(0)
    expect(Number.isInteger(windows['tokens-minute'].resetSeconds)).toBe(false)
    const state = await h.handlers['ratelimit:get']({ model: FAKE_FAST_MODEL }, rec)
    expect(state.states[0].model).toBe(FAKE_FAST_MODEL)
    expect((await h.handlers['ratelimit:get']({ model: 'gpt-oss-120b' }, rec)).states).toEqual([])
  })

  it('runs requests to two models side by side, each with its own stream', async ({ harness: h }) => {
    const rec = new Recorder()
    const [a, b] = await Promise.all([
      h.handlers['chat:start'](userRequest('fake-fast', 'same prompt'), rec),
      h.handlers['chat:start'](userRequest('fake-slow', 'same prompt'), rec),
    ])
    await Promise.all([rec.finished(a.requestId), rec.finished(b.requestId)])
    expect(rec.sequence(a.requestId).at(-1)).toBe('chat:done')
    expect(rec.sequence(b.requestId).at(-1)).toBe('chat:done')
    const byModel = Object.fromEntries(h.fake.chatRequests.map((r) => [r.body?.model as string, r.sent.content]))
    expect(rec.text(a.requestId).content).toBe(byModel['fake-fast'])
    expect(rec.text(b.requestId).content).toBe(byModel['fake-slow'])
  })
})
