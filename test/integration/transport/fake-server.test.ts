import { gzipSync } from 'node:zlib'

import { FakeCerebras, type FakeCerebrasOptions } from '@main/services/demo/fake-cerebras/server'
import { pack } from 'msgpackr'
import { describe, expect, test } from 'vitest'

/** The fake server itself: it must behave like Cerebras, or the client tests prove nothing. */

const body = { model: 'fake-fast', messages: [{ role: 'user', content: 'héllo' }], max_completion_tokens: 20 }
const auth = { authorization: 'Bearer csk-x' }

/**
 * `fake`: one server shared by the file, its recorded requests, fault
 * counters and rate-limit usage forgotten before each test; `base` its base
 * URL; `post` a chat request to it. `startFake(opts)` starts a server of a
 * test's own, stopped when the test ends.
 */
const it = test
  .extend('fake', { scope: 'file' }, async ({}, { onCleanup }) => {
    const fake = new FakeCerebras({ ttftMs: 2, tokensPerSecond: 50_000, replyTokens: 20 })
    await fake.start()
    onCleanup(() => fake.stop())
    return fake
  })
  .extend('base', { scope: 'file' }, async ({ fake }) => fake.baseUrl)
  .extend('post', { scope: 'file' }, async ({ base }) => async (data: BodyInit, headers: Record<string, string>) => {
    const res = await fetch(`${base}/chat/completions`, { method: 'POST', body: data, headers: { ...auth, ...headers } })
    return { res, json: (await res.json()) as Record<string, unknown> }
  })
  .extend('freshFake', { auto: true }, async ({ fake }) => fake.reset())
  .extend('startFake', async ({}, { onCleanup }) => {
    const started: FakeCerebras[] = []
    onCleanup(async () => {
      for (const f of started) await f.stop()
    })
    return async (opts: FakeCerebrasOptions): Promise<FakeCerebras> => {
      const f = new FakeCerebras(opts)
      started.push(f)
      await f.start()
      return f
    }
  })

describe('request bodies', () => {
  it('decodes JSON, msgpack, gzip and msgpack+gzip to the same request', async ({ fake, post }) => {
    const json = JSON.stringify(body)
    const variants: [BodyInit, Record<string, string>][] = [
      [json, { 'content-type': 'application/json' }],
      [new Uint8Array(pack(body)), { 'content-type': 'application/vnd.msgpack' }],
      [new Uint8Array(gzipSync(json)), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
      [new Uint8Array(gzipSync(pack(body))), { 'content-type': 'application/vnd.msgpack', 'content-encoding': 'gzip' }],
    ]
    for (const [data, headers] of variants) {
      const { res, json: out } = await post(data, headers)
      expect(res.status).toBe(200)
      expect(out.object).toBe('chat.completion')
    }
    expect(fake.chatRequests.map((r) => [r.format, r.gzip])).toEqual([
      ['json', false],
      ['msgpack', false],
      ['json', true],
      ['msgpack', true],
    ])
    for (const r of fake.chatRequests) expect(r.body).toEqual(body)
  })

  it('answers 400 when the bytes do not match the declared encoding', async ({ post }) => {
    const json = JSON.stringify(body)
    const cases: [BodyInit, Record<string, string>, RegExp][] = [
      [json, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, /not valid gzip/],
      [json, { 'content-type': 'application/vnd.msgpack' }, /not valid MessagePack|must be an object/],
      [new Uint8Array(pack(body)), { 'content-type': 'application/json' }, /not valid JSON/],
      [new Uint8Array(gzipSync(pack(body))), { 'content-type': 'application/json', 'content-encoding': 'gzip' }, /not valid JSON/],
    ]
    for (const [data, headers, message] of cases) {
      const { res, json: out } = await post(data, headers)
      expect(res.status).toBe(400)
      expect(out.message).toMatch(message)
      expect(out.type).toBe('invalid_request_error')
    }
  })

  it('rejects unknown fields as Cerebras does', async ({ post }) => {
    const { res, json } = await post(JSON.stringify({ ...body, foo: 1 }), { 'content-type': 'application/json' })
    expect(res.status).toBe(400)
    expect(json).toMatchObject({ param: 'foo', message: 'Unrecognized request argument supplied: foo' })
  })

  it('no Authorization header: 403 {"detail":"Not authenticated"}', async ({ base }) => {
    const res = await fetch(`${base}/chat/completions`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ detail: 'Not authenticated' })
  })
})

describe('streams', () => {
  it('streams Cerebras-shaped chunks: role first, usage and time_info with finish_reason in a non-empty choices array, no [DONE]', async ({ base }) => {
    const res = await fetch(`${base}/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, model: 'gpt-oss-120b', stream: true }),
    })
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(res.headers.get('inference-id')).toMatch(/^chatcmpl-/)
    const text = await res.text()
    expect(text).not.toContain('[DONE]')
    expect(text).not.toMatch(/^event:/m)
    const chunks = text
      .split('\n\n')
      .filter(Boolean)
      .map((e) => JSON.parse(e.replace(/^data: /, '')))
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant' })
    expect(chunks.some((c) => typeof c.choices[0].delta.reasoning === 'string')).toBe(true)
    const last = chunks.at(-1)
    expect(last.choices).toHaveLength(1)
    expect(last.choices[0].finish_reason).toBe('stop')
    expect(last.usage.completion_tokens).toBe(20)
    expect(Object.keys(last.time_info).sort()).toEqual(['completion_time', 'created', 'prompt_time', 'queue_time', 'total_time'])
    expect(chunks.at(-2).choices[0].delta).toEqual({})
    expect(chunks.slice(0, -1).every((c) => !('usage' in c))).toBe(true)
  })

  it('answers n > 1 with that many choices, whole and streamed (choice events interleaved, each choice finishing)', async ({ base, post }) => {
    const { json } = await post(JSON.stringify({ ...body, n: 3 }), { 'content-type': 'application/json' })
    const choices = json.choices as Array<{ index: number; message: { content: string } }>
    expect(choices.map((c) => c.index)).toEqual([0, 1, 2])
    expect(new Set(choices.map((c) => c.message.content)).size).toBe(1)

    const res = await fetch(`${base}/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, n: 2, stream: true }),
    })
    const events = (await res.text())
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as { choices: Array<{ index: number; delta: { content?: string }; finish_reason: string | null }> })
    const text = (i: number) => events.flatMap((e) => e.choices.filter((c) => c.index === i).map((c) => c.delta.content ?? '')).join('')
    expect(text(0).length).toBeGreaterThan(0)
    expect(text(1)).toBe(text(0))
    for (const i of [0, 1]) expect(events.some((e) => e.choices.some((c) => c.index === i && c.finish_reason))).toBe(true)
  })

  it('splits some events across network writes', async ({ startFake }) => {
    const slow = await startFake({ ttftMs: 1, tokensPerSecond: 400, replyTokens: 40, tickMs: 2 })
    const url = slow.baseUrl
    const res = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true, max_completion_tokens: 40 }),
    })
    const reader = res.body!.getReader()
    let splitReads = 0
    const parts: Buffer[] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(Buffer.from(value))
      if (!Buffer.from(value).toString('latin1').endsWith('\n\n')) splitReads++
    }
    expect(splitReads).toBeGreaterThan(0)
    // Put back together, the bytes are the exact stream.
    const events = Buffer.concat(parts).toString('utf8').split('\n\n').filter(Boolean)
    const text = events
      .map((e) => JSON.parse(e.slice(6)))
      .map((c) => c.choices[0].delta.content ?? '')
      .join('')
    expect(text).toBe(slow.chatRequests[0].sent.content)
  })

  it('sends rate-limit headers on every chat response, errors included', async ({ base }) => {
    const ok = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const limited = await fetch(`${base}/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'x-fake-fault': '429' },
      body: JSON.stringify(body),
    })
    for (const res of [ok, limited]) {
      for (const name of [
        'limit-requests-day',
        'remaining-requests-day',
        'reset-requests-day',
        'limit-tokens-minute',
        'remaining-tokens-minute',
        'reset-tokens-minute',
      ]) {
        expect(res.headers.get(`x-ratelimit-${name}`)).not.toBeNull()
      }
    }
    expect(Number(ok.headers.get('x-ratelimit-remaining-requests-day'))).toBe(14_399)
    expect(Number(limited.headers.get('x-ratelimit-remaining-requests-day'))).toBe(14_398)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after-ms')).toBe('1250')
    expect(limited.headers.get('retry-after')).toBe('2')
    expect(await limited.json()).toMatchObject({ type: 'too_many_requests_error', code: 'request_quota_exceeded' })
  })

  it('applies a fault only `times` times, then answers normally', async ({ base }) => {
    const send = () =>
      fetch(`${base}/chat/completions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'x-fake-fault': '500?times=2' },
        body: JSON.stringify(body),
      })
    expect([(await send()).status, (await send()).status, (await send()).status]).toEqual([500, 500, 200])
  })

  it('answers a retired model with 404 model_not_found and serves both model lists', async ({ fake, base, post }) => {
    const { res, json } = await post(JSON.stringify({ ...body, model: 'llama-3.3-70b' }), { 'content-type': 'application/json' })
    expect(res.status).toBe(404)
    expect(json).toEqual({
      message: 'Model llama-3.3-70b does not exist or you do not have access to it.',
      type: 'not_found_error',
      param: 'model',
      code: 'model_not_found',
    })
    const list = await (await fetch(`${base}/models`, { headers: auth })).json()
    expect(list.object).toBe('list')
    expect(list.data[0]).toMatchObject({ object: 'model' })
    const missing = await fetch(`${fake.origin}/public/v1/models/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ detail: "Model 'nope' not found or not publicly available" })
  })
})
