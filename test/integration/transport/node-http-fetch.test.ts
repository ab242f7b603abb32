import http from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'

import { createNodeHttpFetch } from '@main/services/cerebras/node-http-fetch'
import { describe, expect, test } from 'vitest'

/** What the route server saw of each request. */
interface Seen {
  method: string
  headers: http.IncomingHttpHeaders
  body: string
  raw: Buffer
}

/**
 * A small server whose routes each show one thing a fetch must get right,
 * shared by the file: `base` its URL, `seen` the requests it received,
 * `sockets` the sockets it has had (to tell a reused connection from a new one).
 */
const it = test
  .extend('routeServer', { scope: 'file' }, async ({}, { onCleanup }) => {
    const seen: Seen[] = []
    const sockets = new Set<unknown>()
    const doomed = new WeakSet<object>()
    const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
      sockets.add(req.socket)
      // Plays a server that closes a kept-alive connection just as the client reuses it.
      if (doomed.has(req.socket)) return req.socket.destroy()
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      seen.push({ method: req.method!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), raw: Buffer.concat(chunks) })
      const url = new URL(req.url!, 'http://x')
      switch (url.pathname) {
        case '/echo':
          res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] })
          return res.end(JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString('utf8') }))
        case '/stream': {
          // Three SSE events, a pause between each, so the body really arrives in pieces.
          res.writeHead(200, { 'content-type': 'text/event-stream' })
          for (let i = 0; i < 3; i++) {
            res.write(`data: ${i}\n\n`)
            await new Promise((r) => setTimeout(r, 20))
          }
          return res.end()
        }
        case '/hang':
          res.writeHead(200, { 'content-type': 'text/event-stream' })
          res.write('data: first\n\n')
          return // never ends
        case '/gzip':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          return res.end(zlib.gzipSync(JSON.stringify({ ok: 'unzipped' })))
        case '/redirect':
          res.writeHead(307, { location: '/echo' })
          return res.end()
        case '/pause': {
          // Silent for longer than the agent's idle-socket timeout, mid-answer.
          res.writeHead(200, { 'content-type': 'text/event-stream' })
          res.write('data: before\n\n')
          await new Promise((r) => setTimeout(r, 300))
          return res.end('data: after\n\n')
        }
        case '/doom-next':
          doomed.add(req.socket)
          return res.end('ok')
        case '/no-content':
          res.writeHead(204)
          return res.end()
        case '/slow-headers':
          return setTimeout(() => res.end('late'), 2_000)
        default:
          res.writeHead(404)
          return res.end('nope')
      }
    }
    const server = http.createServer((req, res) => void answer(req, res))
    server.keepAliveTimeout = 5_000
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    onCleanup(async () => {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    })
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, sockets }
  })
  .extend('base', { scope: 'file' }, async ({ routeServer }) => routeServer.base)
  .extend('seen', { scope: 'file' }, async ({ routeServer }) => routeServer.seen)
  .extend('sockets', { scope: 'file' }, async ({ routeServer }) => routeServer.sockets)

const nodeFetch = createNodeHttpFetch()

describe('node:http fetch', () => {
  it('sends method, headers and body, and returns status, all header values and the body', async ({ base, seen }) => {
    const res = await nodeFetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k' }, body: '{"x":1}' })
    expect(res.status).toBe(201)
    expect(res.ok).toBe(true)
    expect(res.headers.get('x-multi')).toBe('a, b')
    expect(await res.json()).toEqual({ method: 'POST', body: '{"x":1}' })
    const last = seen.at(-1)!
    expect(last.headers.authorization).toBe('Bearer k')
    expect(last.headers['content-length']).toBe('7')
  })

  it('sends a binary body byte for byte', async ({ base, seen }) => {
    const bytes = new Uint8Array([0x82, 0xa1, 0x61, 0x01, 0xff, 0x00])
    await (await nodeFetch(`${base}/echo`, { method: 'POST', body: bytes })).text()
    expect([...seen.at(-1)!.raw]).toEqual([...bytes])
    expect(seen.at(-1)!.headers['content-length']).toBe('6')
  })

  it('streams the body as it arrives, not at the end', async ({ base }) => {
    const res = await nodeFetch(`${base}/stream`)
    const reader = res.body!.getReader()
    const first = await reader.read()
    // The first event is readable while the server is still writing the rest.
    expect(new TextDecoder().decode(first.value)).toBe('data: 0\n\n')
    let rest = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      rest += new TextDecoder().decode(value)
    }
    expect(rest).toBe('data: 1\n\ndata: 2\n\n')
  })

  it('reuses kept-alive connections', async ({ base, sockets }) => {
    sockets.clear()
    for (let i = 0; i < 5; i++) await (await nodeFetch(`${base}/echo`, { method: 'POST', body: String(i) })).text()
    expect(sockets.size).toBe(1)
  })

  it('retries once on a fresh connection when a reused one turns out to be closed', async ({ base }) => {
    const f = createNodeHttpFetch()
    await (await f(`${base}/doom-next`)).text()
    const res = await f(`${base}/echo`, { method: 'POST', body: 'after' })
    expect(await res.json()).toEqual({ method: 'POST', body: 'after' })
  })

  it('the idle-socket timeout closes only idle sockets, never a quiet answer in progress', async ({ base }) => {
    const f = createNodeHttpFetch({ idleSocketMs: 100 })
    const res = await f(`${base}/pause`)
    expect(await res.text()).toBe('data: before\n\ndata: after\n\n')
  })

  it('decompresses an answer that arrives gzipped anyway, and does not ask for compression', async ({ base, seen }) => {
    const res = await nodeFetch(`${base}/gzip`)
    expect(await res.json()).toEqual({ ok: 'unzipped' })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(seen.at(-1)!.headers['accept-encoding']).toBeUndefined()
  })

  it('does not follow redirects (an API key must not go where a 3xx points)', async ({ base, seen }) => {
    const n = seen.length
    const res = await nodeFetch(`${base}/redirect`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(307)
    expect(res.headers.get('location')).toBe('/echo')
    expect(seen.length).toBe(n + 1)
  })

  it('gives 204 a null body', async ({ base }) => {
    const res = await nodeFetch(`${base}/no-content`)
    expect(res.status).toBe(204)
    expect(res.body).toBeNull()
  })

  it('rejects at once when the signal is already aborted, with its reason', async ({ base }) => {
    const c = new AbortController()
    const reason = new Error('stop')
    c.abort(reason)
    await expect(nodeFetch(`${base}/echo`, { signal: c.signal })).rejects.toBe(reason)
  })

  it('an abort before the headers rejects the call; without a reason it is an AbortError', async ({ base }) => {
    const c = new AbortController()
    const p = nodeFetch(`${base}/slow-headers`, { signal: c.signal })
    setTimeout(() => c.abort(), 30)
    await expect(p).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('an abort mid-body fails the body read', async ({ base }) => {
    const c = new AbortController()
    const res = await nodeFetch(`${base}/hang`, { signal: c.signal })
    const reader = res.body!.getReader()
    await reader.read()
    c.abort(new Error('client went away'))
    await expect(reader.read()).rejects.toThrow()
  })

  it('a refused connection is a TypeError with the cause, like fetch', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    await expect(nodeFetch(`http://127.0.0.1:${port}/x`)).rejects.toMatchObject({ name: 'TypeError', cause: { code: 'ECONNREFUSED' } })
  })

  it('hands inputs it does not handle to the fallback fetch', async ({ base }) => {
    const calls: unknown[] = []
    const f = createNodeHttpFetch({ fallback: (async (input: unknown) => (calls.push(input), new Response('fallback'))) as typeof fetch })
    const req = new Request(`${base}/echo`)
    expect(await (await f(req)).text()).toBe('fallback')
    expect(await (await f(`${base}/echo`, { method: 'POST', body: new Blob(['x']) })).text()).toBe('fallback')
    expect(calls).toHaveLength(2)
  })
})
