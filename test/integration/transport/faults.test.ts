import { MISSING_KEY_MESSAGE } from '@main/services/cerebras/cerebras-services'
import { systemClock } from '@main/services/cerebras/clock'
import { RETIRED_MODEL } from '@main/services/demo/fake-cerebras/fake-models'
import type { ChatDone, ChatError } from '@shared/ipc/domains/chat'
import { WaferError } from '@shared/ipc/errors'
import { describe, expect } from 'vitest'

import { chatBodyOfSize } from '../../fake-cerebras/prompt-corpus'
import { FastForwardClock } from '../../support/test-clocks'
import { it, Recorder, runStream, userRequest } from './harness'

/**
 * Every scripted fault of the fake server, seen from the user's side: the
 * events they get, the text they keep, the message they read, and the
 * retries made (spacing checked on the injected clock).
 */

const errorOf = (end: { payload: unknown }) => (end.payload as ChatError).error
const spacing = (times: number[]) => times.slice(1).map((t, i) => t - times[i])

describe('errors that end a request before it streams', () => {
  it('404 model_not_found on a retired model: a recovery hint with callable models and the replacement', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest(RETIRED_MODEL))
    expect(rec.sequence(requestId)).toEqual(['chat:error'])
    const err = errorOf(end)
    expect(err.code).toBe('model_not_found')
    expect(err.message).toContain(`Model ${RETIRED_MODEL} does not exist`)
    expect(err.message).toContain('was retired on 2026-05-27; use gpt-oss-120b instead')
    expect(err.message).toContain('This key can call: gpt-oss-120b')
    const hint = err.details!.hint as { availableModels: string[]; suggestedReplacement: string; deprecation: { retiresOn: string } }
    expect(hint.availableModels).toContain('fake-fast')
    expect(hint.availableModels).not.toContain(RETIRED_MODEL)
    expect(hint.suggestedReplacement).toBe('gpt-oss-120b')
    expect(hint.deprecation.retiresOn).toBe('2026-05-27')
    expect(h.fake.chatRequests).toHaveLength(1)
    // The app keeps working: the next request succeeds.
    const next = await runStream(h, rec, userRequest('fake-fast'))
    expect(next.end.event).toBe('chat:done')
  })

  it('404 for an unknown model still says what this key can call', async ({ harness: h }) => {
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('fault/model_not_found'))
    const err = errorOf(end)
    expect(err.code).toBe('model_not_found')
    expect(err.message).toMatch(/Try gpt-oss-120b\. This key can call: /)
  })

  it('401: check your API key, with a link to Settings, and no retry', async ({ harness: h }) => {
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('fault/401'))
    const err = errorOf(end)
    expect(err.code).toBe('auth')
    expect(err.message).toBe('Cerebras refused the API key (401: Wrong API Key). Check your API key in Settings.')
    expect(err.details).toMatchObject({ action: 'open-settings', section: 'api-key', status: 401, apiCode: 'wrong_api_key' })
    expect(h.fake.chatRequests).toHaveLength(1)
  })

  it('403 {"detail":"Not authenticated"}: the same advice', async ({ harness: h }) => {
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('fault/403'))
    const err = errorOf(end)
    expect(err.code).toBe('auth')
    expect(err.message).toBe('Cerebras refused the API key (403: Not authenticated). Check your API key in Settings.')
  })

  it('a key the server does not know gives 401', async ({ startHarness }) => {
    const h = await startHarness({ fake: { apiKeys: ['csk-the-right-one'] } })
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('fake-fast'))
    expect(errorOf(end).code).toBe('auth')
  })

  it('no key at all: chat:start fails at once with a clear auth error and sends nothing', async ({ harness: h }) => {
    h.apiKey.value = undefined
    const rec = new Recorder()
    const err = await Promise.resolve(h.handlers['chat:start'](userRequest('fake-fast'), rec)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WaferError)
    expect((err as WaferError).code).toBe('auth')
    expect((err as WaferError).message).toBe(MISSING_KEY_MESSAGE)
    expect((err as WaferError).message).toMatch(/Settings/)
    expect(h.fake.received).toHaveLength(0)
    expect(rec.events).toHaveLength(0)
  })

  it('context_length_exceeded: says the limit and the current length', async ({ harness: h }) => {
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('fault/context_length?current=196699&limit=131072'))
    const err = errorOf(end)
    expect(err.code).toBe('context_length_exceeded')
    expect(err.message).toContain('196,699 tokens')
    expect(err.message).toContain('at most 131,072')
    expect(err.details).toMatchObject({ current: 196_699, limit: 131_072 })
  })

  it('a real context overflow on the fake model is reported the same way', async ({ harness: h }) => {
    const rec = new Recorder()
    const body = chatBodyOfSize(200 * 1024, 'fake-fast')
    const { end } = await runStream(h, rec, { request: { model: 'fake-fast', messages: body.messages } })
    const err = errorOf(end)
    expect(err.code).toBe('context_length_exceeded')
    expect(err.details?.limit).toBe(32_768)
    // What was sent is still reported.
    expect((end.payload as ChatError).metrics.request?.encoding).toBe('msgpack+gzip')
  })

  it('duplicate request ids and n > 1 are refused before anything is sent', async ({ startHarness }) => {
    const h = await startHarness({ fake: { tokensPerSecond: 50, replyTokens: 50 } })
    const rec = new Recorder()
    await h.handlers['chat:start']({ ...userRequest('gpt-oss-120b'), requestId: 'same-id' }, rec)
    const dup = await Promise.resolve(h.handlers['chat:start']({ ...userRequest('gpt-oss-120b'), requestId: 'same-id' }, rec)).catch((e: WaferError) => e)
    expect((dup as WaferError).code).toBe('conflict')
    const n = await Promise.resolve(h.handlers['chat:start'](userRequest('gpt-oss-120b', 'x', { n: 2 }), rec)).catch((e: WaferError) => e)
    expect((n as WaferError).code).toBe('bad_request')
    await h.handlers['chat:abort']({ requestId: 'same-id' }, rec)
  })
})

describe('rate limits (429)', () => {
  it('retries honouring retry-after-ms, with a visible countdown, then succeeds', async ({ startHarness }) => {
    const clock = new FastForwardClock()
    const h = await startHarness({ clock })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/429?times=2&retry_after_ms=1500'))
    expect(end.event).toBe('chat:done')
    expect(h.fake.chatRequests).toHaveLength(3)

    const retries = rec.of('chat:retry', requestId)
    expect(retries.map((r) => [r.attempt, r.remainingMs])).toEqual([
      [1, 1500],
      [1, 1000],
      [2, 1500],
      [2, 1000],
    ])
    expect(retries.every((r) => r.reason === 'rate_limited' && r.waitMs === 1500 && r.maxRetries === 3)).toBe(true)
    expect(retries[0].message).toBe('Rate limited by Cerebras; retry 1 of 3 in 2 s')
    // Retries come after the deltas? No: all retry events precede the first delta.
    const seq = rec.sequence(requestId)
    expect(seq.lastIndexOf('chat:retry')).toBeLessThan(seq.indexOf('chat:delta'))

    // Spacing on the injected clock: each retry waited exactly what the server asked.
    for (const gap of spacing(h.attemptTimes)) expect(gap).toBeGreaterThanOrEqual(1500)
    expect(clock.sleeps).toEqual([500, 1000, 500, 1000])
    const m = (end.payload as ChatDone).metrics
    expect(m.attempts).toBe(3)
    expect(m.retryWaitMs).toBe(3000)
    expect(rec.text(requestId).content).toBe(h.fake.chatRequests[2].sent.content)
  })

  it('honours retry-after in seconds when there is no retry-after-ms', async ({ startHarness }) => {
    const clock = new FastForwardClock()
    const h = await startHarness({ clock })
    const rec = new Recorder()
    const { requestId } = await runStream(h, rec, userRequest('fault/429?times=1&retry_after=3'))
    expect(rec.of('chat:retry', requestId)[0].waitMs).toBe(3000)
    expect(spacing(h.attemptTimes)[0]).toBeGreaterThanOrEqual(3000)
  })

  it('honours x-ratelimit-reset-tokens-minute (float seconds) for a token quota', async ({ startHarness }) => {
    const clock = new FastForwardClock()
    const h = await startHarness({ clock })
    const rec = new Recorder()
    const { requestId } = await runStream(h, rec, userRequest('fault/429?times=1&code=token_quota_exceeded&reset_tokens_minute=2.25'))
    expect(rec.of('chat:retry', requestId)[0].waitMs).toBe(2250)
  })

  it('uses capped exponential backoff with jitter when the server asks for less', async ({ startHarness }) => {
    // random() = 0.5: equal jitter gives 3/4 of the exponential delay.
    const clock = new FastForwardClock(() => 0.5)
    const h = await startHarness({ clock, retryPolicy: { baseDelayMs: 1000, maxBackoffMs: 3000, maxRateLimitRetries: 4 } })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/429?times=4&retry_after_ms=10'))
    expect(end.event).toBe('chat:done')
    const waits = rec
      .of('chat:retry', requestId)
      .filter((r) => r.remainingMs === r.waitMs)
      .map((r) => r.waitMs)
    expect(waits).toEqual([750, 1500, 2250, 2250])
    const gaps = spacing(h.attemptTimes)
    waits.forEach((w, i) => expect(gaps[i]).toBeGreaterThanOrEqual(w))
  })

  it('gives up after the configured number of retries and says when the quota resets', async ({ startHarness }) => {
    const clock = new FastForwardClock()
    const h = await startHarness({ clock })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, { ...userRequest('fault/429'), retry: { maxRateLimitRetries: 2 } })
    expect(h.fake.chatRequests).toHaveLength(3)
    expect(rec.of('chat:retry', requestId).filter((r) => r.remainingMs === r.waitMs)).toHaveLength(2)
    const err = errorOf(end)
    expect(err.code).toBe('rate_limited')
    expect(err.message).toBe(
      'Cerebras rate limit reached for fault/429: request quota. It resets in 2 s. (Requests per minute limit exceeded - too many requests sent.)',
    )
    expect((end.payload as ChatError).metrics.attempts).toBe(3)
  })

  it('does not wait out a daily quota (Retry-After: 86399): fails at once and says when it resets', async ({ startHarness }) => {
    const clock = new FastForwardClock()
    const h = await startHarness({ clock })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/429?code=token_quota_exceeded&retry_after=86399'))
    expect(rec.of('chat:retry', requestId)).toHaveLength(0)
    expect(clock.sleeps).toEqual([])
    const err = errorOf(end)
    expect(err.code).toBe('rate_limited')
    expect(err.message).toContain('token quota. It resets in 24 h.')
    expect(err.details?.resetSeconds).toBe(86_399)
  })

  it('can be stopped while waiting to retry', async ({ startHarness }) => {
    const h = await startHarness({ clock: systemClock })
    const rec = new Recorder()
    const { requestId } = await h.handlers['chat:start'](userRequest('fault/429?retry_after_ms=30000'), rec)
    while (rec.of('chat:retry', requestId).length === 0) await new Promise((r) => setTimeout(r, 5))
    expect((await h.handlers['chat:abort']({ requestId }, rec)).aborted).toBe(true)
    // The error is already out when abort returns.
    expect(rec.sequence(requestId)).toEqual(['chat:retry', 'chat:error'])
    expect(errorOf(rec.events.at(-1)!).code).toBe('aborted')
    expect(h.fake.chatRequests).toHaveLength(1)
  })
})

describe('server errors and network failures: one retry', () => {
  it('500 once: one retry after a backoff, then the answer', async ({ startHarness }) => {
    const clock = new FastForwardClock()
    const h = await startHarness({ clock })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/500?times=1'))
    expect(end.event).toBe('chat:done')
    const retries = rec.of('chat:retry', requestId)
    expect(retries[0]).toMatchObject({ reason: 'server_error', attempt: 1, maxRetries: 1, waitMs: 750 })
    expect(spacing(h.attemptTimes)[0]).toBeGreaterThanOrEqual(750)
  })

  it('500 every time: exactly one retry, then a clear error', async ({ harness: h }) => {
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('fault/500'))
    expect(h.fake.chatRequests).toHaveLength(2)
    const err = errorOf(end)
    expect(err.code).toBe('upstream')
    expect(err.message).toBe('Cerebras had a server error (500): Internal server error')
  })

  it('503 honours its retry-after', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/503?times=1&retry_after=2'))
    expect(end.event).toBe('chat:done')
    expect(rec.of('chat:retry', requestId)[0].waitMs).toBe(2000)
  })

  it('503 every time: one retry, then the error', async ({ harness: h }) => {
    const rec = new Recorder()
    const { end } = await runStream(h, rec, userRequest('fault/503'))
    expect(h.fake.chatRequests).toHaveLength(2)
    expect(errorOf(end).message).toBe('Cerebras had a server error (503): Service temporarily unavailable')
  })

  it('a server that cannot be reached: one retry, then a network error naming the cause', async ({ harness: h }) => {
    const port = h.fake.port
    await h.fake.stop()
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fake-fast'))
    expect(rec.of('chat:retry', requestId).map((r) => r.reason)).toEqual(['network'])
    const err = errorOf(end)
    expect(err.code).toBe('network')
    expect(err.message).toMatch(/^Could not reach Cerebras: .*ECONNREFUSED.*Check your connection and the base URL in Settings\.$/)
    expect(port).toBeGreaterThan(0)
  })
})

describe('faults in the middle of a stream: the text received is kept', () => {
  it('an error chunk mid-stream: one error event, partial text kept exactly, no retry', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/midstream_error?after=12&model=fake-fast'))
    expect(rec.sequence(requestId).filter((e) => e !== 'chat:delta')).toEqual(['chat:error'])
    const sent = h.fake.chatRequests[0].sent.content
    expect(sent.length).toBeGreaterThan(0)
    expect(rec.text(requestId).content).toBe(sent)
    const ev = end.payload as ChatError
    expect(ev.received.contentChars).toBe(sent.length)
    expect(ev.error.code).toBe('upstream')
    expect(ev.error.message).toBe(
      'The stream failed part-way: Cerebras had a server error (500): Error during generation: the model server failed. The text received so far is kept.',
    )
    expect(ev.metrics.ttftMs).toBeGreaterThan(0)
    // Broken streams have no tokens/s: the server never said how many tokens there were.
    expect(ev.metrics.clientTokensPerSec).toBeNull()
    expect(ev.metrics.serverDecodeTokensPerSec).toBeNull()
    expect(h.fake.chatRequests).toHaveLength(1)
  })

  it('an error chunk before any text: retried once, since the user has seen nothing yet', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/midstream_error?after=0&times=1&model=fake-fast'))
    expect(end.event).toBe('chat:done')
    expect(rec.of('chat:retry', requestId)).toHaveLength(1)
    expect(rec.text(requestId).content).toBe(h.fake.chatRequests[1].sent.content)
  })

  it('a dropped connection: a network error event and the partial text kept', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/drop?after=20&model=fake-fast'))
    const sent = h.fake.chatRequests[0].sent.content
    expect(rec.text(requestId).content).toBe(sent)
    expect(sent.split(' ').length).toBeGreaterThanOrEqual(20)
    const err = errorOf(end)
    expect(err.code).toBe('network')
    expect(err.message).toMatch(/^The connection dropped while the reply was streaming \(.+\)\. The text received so far is kept\.$/)
    expect(rec.sequence(requestId).filter((e) => e === 'chat:done' || e === 'chat:error')).toEqual(['chat:error'])
  })

  it('a malformed chunk: stops there with a clear error, text before it kept', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/malformed?after=5&model=fake-fast'))
    const before = h.fake.chatRequests[0].beforeFault!.content
    expect(before.split(' ')).toHaveLength(5)
    expect(rec.text(requestId).content).toBe(before)
    expect(rec.text(requestId).content).not.toContain('brok')
    const err = errorOf(end)
    expect(err.code).toBe('upstream')
    expect(err.message).toMatch(
      /^The server sent a chunk that is not valid JSON \(".*"\), so the reply was stopped there\. The text received so far is kept\.$/,
    )
  })

  it('a stream that ends without its final chunk is an error, not a silent success', async ({ harness: h }) => {
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/end_early?after=8&model=fake-fast'))
    expect(rec.text(requestId).content).toBe(h.fake.chatRequests[0].sent.content)
    expect(errorOf(end)).toMatchObject({ code: 'network', message: 'The stream ended before the reply was finished. The text received so far is kept.' })
  })

  it('a stalled stream is given up after the idle timeout, text kept', async ({ startHarness }) => {
    const h = await startHarness({ idleTimeoutMs: 400 })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/stall?after=6&model=fake-fast'))
    expect(rec.text(requestId).content).toBe(h.fake.chatRequests[0].sent.content)
    expect(errorOf(end).message).toBe('No data from Cerebras for under a second, so the request was stopped. The text received so far is kept.')
  })

  it('a slow drip streams every token as it comes and finishes normally', async ({ startHarness }) => {
    const h = await startHarness({ headers: { 'x-fake-tokens': '6' } })
    const rec = new Recorder()
    const { requestId, end } = await runStream(h, rec, userRequest('fault/slow_drip?gap_ms=60&model=fake-fast'))
    expect(end.event).toBe('chat:done')
    const deltas = rec.of('chat:delta', requestId)
    // 60 ms apart is slower than a frame: no batching, about one delta per token
    // (two may share a read if this machine stalls).
    expect(deltas.length).toBeGreaterThanOrEqual(5)
    expect(rec.text(requestId).content).toBe(h.fake.chatRequests[0].sent.content)
    const m = (end.payload as ChatDone).metrics
    expect(m.gapP50Ms).toBeGreaterThanOrEqual(40)
    expect(m.clientTokensPerSec).not.toBeNull()
  })
})

describe('stopping a request', () => {
  it('abort takes effect at once and keeps what was received', async ({ startHarness }) => {
    const h = await startHarness({ headers: { 'x-fake-tokens': '200' } })
    const rec = new Recorder()
    const { requestId } = await h.handlers['chat:start'](userRequest('fault/slow_drip?gap_ms=20&model=fake-fast'), rec)
    while (rec.of('chat:delta', requestId).length < 2) await new Promise((r) => setTimeout(r, 5))
    const result = await h.handlers['chat:abort']({ requestId }, rec)
    expect(result.aborted).toBe(true)
    // Already terminated when abort returns.
    const seq = rec.sequence(requestId)
    expect(seq.at(-1)).toBe('chat:error')
    const ev = rec.of('chat:error', requestId)[0]
    expect(ev.error.code).toBe('aborted')
    expect(ev.received.contentChars).toBe(rec.text(requestId).content.length)
    expect(h.fake.chatRequests[0].sent.content.startsWith(rec.text(requestId).content)).toBe(true)
    // Nothing more arrives after the error: the connection is gone, and nothing came meanwhile.
    await expect.poll(() => h.fake.chatRequests[0].clientClosed).toBe(true)
    expect(rec.sequence(requestId)).toEqual(seq)
    expect((await h.handlers['chat:abort']({ requestId }, rec)).aborted).toBe(false)
  })

  it('stops the request when the caller has gone (emit throws)', async ({ startHarness }) => {
    const h = await startHarness({ headers: { 'x-fake-tokens': '200' } })
    let calls = 0
    const gone = {
      via: 'web' as const,
      emit() {
        calls++
        if (calls > 1) throw new Error('window destroyed')
      },
    }
    await h.handlers['chat:start'](userRequest('fault/slow_drip?gap_ms=20&model=fake-fast'), gone)
    for (let i = 0; i < 100 && !h.fake.chatRequests[0]?.clientClosed; i++) await new Promise((r) => setTimeout(r, 10))
    expect(h.fake.chatRequests[0].clientClosed).toBe(true)
  })
})

describe('servers that refuse encoded bodies', () => {
  it('415: resent once as JSON, and that base URL gets JSON from then on', async ({ startHarness }) => {
    const h = await startHarness({ fake: { rejectEncoded: 415 } })
    const rec = new Recorder()
    const big = chatBodyOfSize(20 * 1024, 'fake-fast')
    const first = await runStream(h, rec, { request: { model: 'fake-fast', messages: big.messages, max_completion_tokens: 10 } })
    expect(first.end.event).toBe('chat:done')
    expect(h.fake.chatRequests.map((r) => [r.status, r.format])).toEqual([
      [415, null],
      [200, 'json'],
    ])
    expect((first.end.payload as ChatDone).metrics.request).toMatchObject({ encoding: 'json', fellBackToJson: true, bytesSaved: 0 })
    expect(h.services.client.memory.has(h.baseUrl)).toBe(true)

    await runStream(h, rec, { request: { model: 'fake-fast', messages: big.messages, max_completion_tokens: 10 } })
    expect(h.fake.chatRequests).toHaveLength(3)
    expect(h.fake.chatRequests[2].format).toBe('json')
    expect(h.fake.chatRequests[2].status).toBe(200)
  })

  it('400 to an encoded body is retried as JSON too; a 400 about the request itself is not', async ({ startHarness }) => {
    const h = await startHarness({ fake: { rejectEncoded: 400 } })
    const rec = new Recorder()
    const big = chatBodyOfSize(20 * 1024, 'fake-fast')
    const { end } = await runStream(h, rec, { request: { model: 'fake-fast', messages: big.messages, max_completion_tokens: 10 } })
    expect(end.event).toBe('chat:done')
    expect(h.fake.chatRequests.map((r) => r.status)).toEqual([400, 200])
  })
})
