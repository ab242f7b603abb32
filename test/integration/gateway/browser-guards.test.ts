import http from 'node:http'

import { describe, expect } from 'vitest'

import { gatewayTest, gatewayWith, policyYaml, sharedGateway, target } from './harness'

// A web page the user visits must not be able to use the gateway (and the key
// behind it): not by posting to it (Origin), not by rebinding its own name to
// 127.0.0.1 (Host).
const ALLOWED = 'http://localhost:5173'

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** A raw request to the gateway on `port`, so Host and Origin are exactly what a browser would send. */
function rawRequest(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const chatBody = JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }] })

/**
 * `gw`: one gateway for the file, two origins allowed; `port` its port;
 * `request(...)` a raw request to it; `chat(headers)` a chat request.
 */
const it = gatewayTest({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 5 })
  .extend(
    'gw',
    { scope: 'file' },
    sharedGateway((upstream) => policyYaml(target('primary', 'fake-fast', upstream), '[pii-detector]'), {
      allowOrigins: [ALLOWED, 'https://Tools.Example.com/'],
    }),
  )
  .extend('port', { scope: 'file' }, async ({ gw }) => Number(new URL(gw.url).port))
  .extend(
    'request',
    { scope: 'file' },
    async ({ port }) =>
      (method: string, path: string, headers: Record<string, string>, body?: string) =>
        rawRequest(port, method, path, headers, body),
  )
  .extend(
    'chat',
    { scope: 'file' },
    async ({ port, request }) =>
      (headers: Record<string, string>) =>
        request('POST', '/v1/chat/completions', { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers }, chatBody),
  )

describe('Origin: requests from web pages', () => {
  it('refuses a cross-site POST (a simple request, no preflight) with 403, before anything goes upstream', async ({ fake, chat }) => {
    fake.reset()
    const r = await chat({ origin: 'https://evil.example' })
    expect(r.status).toBe(403)
    expect(JSON.parse(r.body)).toMatchObject({ error: { type: 'permission_error', code: 'origin_not_allowed' } })
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
    expect(fake.received).toHaveLength(0)
  })

  it('refuses the opaque origin of sandboxed frames and files (Origin: null)', async ({ chat }) => {
    expect((await chat({ origin: 'null' })).status).toBe(403)
  })

  it('refuses other origins on every route, GET included', async ({ port, request }) => {
    for (const path of ['/healthz', '/v1/models', '/wafer/config']) {
      expect((await request('GET', path, { host: `127.0.0.1:${port}`, origin: 'https://evil.example' })).status).toBe(403)
    }
  })

  it('answers an allowed origin, with the CORS headers its page needs', async ({ chat }) => {
    const r = await chat({ origin: ALLOWED })
    expect(r.status).toBe(200)
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED)
    expect(r.headers.vary).toMatch(/origin/i)
    expect(r.headers['access-control-expose-headers']).toContain('x-wafer-policy-verdict')
    // A page reads the upstream's rate-limit figures and inference id the gateway passes on.
    const exposed = String(r.headers['access-control-expose-headers']).split(', ')
    const passed = Object.keys(r.headers).filter((h) => /^(x-ratelimit-|inference-id|retry-after)/.test(h))
    expect(passed).toContain('inference-id')
    expect(exposed).toEqual(expect.arrayContaining(passed))
    // Allowed origins are compared as browsers send them (lower case, no trailing slash).
    expect((await chat({ origin: 'https://tools.example.com' })).status).toBe(200)
  })

  it('answers the preflight of an allowed origin, and refuses others with 403', async ({ port, request }) => {
    const preflight = (origin: string) =>
      request('OPTIONS', '/v1/chat/completions', {
        host: `localhost:${port}`,
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-stainless-os',
      })
    const ok = await preflight(ALLOWED)
    expect(ok.status).toBe(204)
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED)
    expect(ok.headers['access-control-allow-methods']).toContain('POST')
    expect(ok.headers['access-control-allow-headers']).toContain('x-stainless-os')
    const refused = await preflight('https://evil.example')
    expect(refused.status).toBe(403)
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers clients that send no Origin (SDKs, curl) as before', async ({ chat }) => {
    expect((await chat({})).status).toBe(200)
  })
})

describe('Host: DNS rebinding', () => {
  it.for([
    ['POST', '/v1/chat/completions'],
    ['GET', '/wafer/config'],
    ['GET', '/healthz'],
    ['GET', '/v1/models'],
  ])('refuses %s %s for a Host that is not the gateway with 421', async ([method, path], { fake, port, request }) => {
    fake.reset()
    const r = await request(method, path, { host: `evil.example:${port}`, 'content-type': 'application/json' }, method === 'POST' ? chatBody : undefined)
    expect(r.status).toBe(421)
    expect(JSON.parse(r.body)).toMatchObject({ error: { type: 'invalid_request_error', code: 'misdirected_request' } })
    expect(r.body).not.toContain('fake-fast')
    expect(fake.received).toHaveLength(0)
  })

  it('refuses the right name on the wrong port, or without its port', async ({ port, request }) => {
    expect((await request('GET', '/healthz', { host: `127.0.0.1:${port + 1}` })).status).toBe(421)
    expect((await request('GET', '/healthz', { host: '127.0.0.1' })).status).toBe(421)
  })

  it.for([`127.0.0.1:${0}`, `localhost:${0}`, `LOCALHOST:${0}`, `[::1]:${0}`])('answers Host %s (with its port)', async (host, { port, request }) => {
    const r = await request('GET', '/healthz', { host: host.replace(/:0$/, `:${port}`) })
    expect(r.status).toBe(200)
  })
})

describe('start-up checks', () => {
  it('refuses an --allow-origin that is not an origin', async () => {
    await expect(
      gatewayWith(policyYaml(target('primary', 'fake-fast', 'http://127.0.0.1:9/v1'), '[pii-detector]'), { allowOrigins: ['https://app.example/path'] }),
    ).rejects.toThrow(/--allow-origin: 'https:\/\/app.example\/path' is not an origin/)
    await expect(gatewayWith(policyYaml(target('primary', 'fake-fast', 'http://127.0.0.1:9/v1'), '[pii-detector]'), { allowOrigins: ['*'] })).rejects.toThrow(
      /is not an origin/,
    )
  })
})
