import { createEncodingFetch, JsonOnlyMemory, REQUEST_ID_HEADER } from '@main/services/cerebras/encoding-fetch'
import type { RequestBodyStats } from '@shared/ipc/domains/chat'
import { describe, expect, it } from 'vitest'

/** A fetch that answers from a script and records what it was sent. */
function scripted(answers: ((init: RequestInit) => Response)[]) {
  const calls: { url: string; headers: Headers; body: unknown }[] = []
  const fetchImpl = (async (url: string, init: RequestInit = {}) => {
    calls.push({ url, headers: new Headers(init.headers), body: init.body })
    const next = answers.shift()
    if (!next) throw new Error('unexpected request')
    return next(init)
  }) as typeof fetch
  return { fetchImpl, calls }
}

const BASE = 'http://127.0.0.1:9/v1'
const big = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'lorem ipsum dolor '.repeat(800) }] })
const ok = () => new Response('{}', { status: 200 })
const json400 = (body: object) => () => new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } })

function setup(answers: ((init: RequestInit) => Response)[], memory = new JsonOnlyMemory()) {
  const { fetchImpl, calls } = scripted(answers)
  const stats: RequestBodyStats[] = []
  const f = createEncodingFetch({
    fetch: fetchImpl,
    baseUrl: BASE,
    getCompression: () => ({ msgpack: true, gzip: true }),
    memory,
    lookup: (id) => (id === 'r1' ? { onBodyStats: (s) => stats.push(s) } : undefined),
  })
  const send = (body = big, path = '/chat/completions') =>
    f(`${BASE}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: 'r1', authorization: 'Bearer k' } })
  return { send, calls, stats, memory, f }
}

describe('the encoding fetch', () => {
  it('encodes chat bodies, keeps other headers, and does not send the request-id header', async () => {
    const { send, calls, stats } = setup([ok])
    await send()
    expect(calls[0].headers.get('content-type')).toBe('application/vnd.msgpack')
    expect(calls[0].headers.get('content-encoding')).toBe('gzip')
    expect(calls[0].headers.get('authorization')).toBe('Bearer k')
    expect(calls[0].headers.has(REQUEST_ID_HEADER)).toBe(false)
    expect(stats[0]).toMatchObject({ encoding: 'msgpack+gzip', fellBackToJson: false })
    expect(stats[0].bytesSaved).toBe(stats[0].jsonBytes - stats[0].wireBytes)
  })

  it('leaves other endpoints alone', async () => {
    const { f, calls } = setup([ok])
    await f(`${BASE}/models`, { method: 'GET', headers: { [REQUEST_ID_HEADER]: 'r1' } })
    expect(calls[0].body).toBeUndefined()
    expect(calls[0].headers.has(REQUEST_ID_HEADER)).toBe(false)
  })

  it('on 415 resends once as JSON and remembers the base URL', async () => {
    const { send, calls, stats, memory } = setup([() => new Response('unsupported', { status: 415 }), ok, ok])
    const res = await send()
    expect(res.status).toBe(200)
    expect(calls[1].headers.get('content-type')).toBe('application/json')
    expect(calls[1].headers.has('content-encoding')).toBe(false)
    expect(calls[1].body).toBe(big)
    expect(stats[0]).toMatchObject({ encoding: 'json', fellBackToJson: true, bytesSaved: 0 })
    expect(memory.has(BASE)).toBe(true)
    await send()
    expect(calls[2].headers.get('content-type')).toBe('application/json')
    expect(calls).toHaveLength(3)
  })

  it('does not resend a 400 that is about the request itself', async () => {
    const { send, calls, memory } = setup([json400({ message: 'Current length is 9 while limit is 8', code: 'context_length_exceeded', param: 'messages' })])
    const res = await send()
    expect(res.status).toBe(400)
    expect(((await res.json()) as { code: string }).code).toBe('context_length_exceeded')
    expect(calls).toHaveLength(1)
    expect(memory.has(BASE)).toBe(false)
  })

  it('does not remember JSON-only when the JSON retry fails the same way', async () => {
    const { send, calls, memory } = setup([json400({ message: 'bad body' }), json400({ message: 'bad body' })])
    const res = await send()
    expect(res.status).toBe(400)
    expect(calls).toHaveLength(2)
    expect(memory.has(BASE)).toBe(false)
  })

  it('never re-encodes what is already JSON below the threshold', async () => {
    const { send, calls } = setup([() => new Response('nope', { status: 415 })])
    const small = JSON.stringify({ model: 'm', messages: [] })
    const res = await send(small)
    expect(res.status).toBe(415)
    expect(calls).toHaveLength(1)
    expect(calls[0].body).toBe(small)
  })
})
