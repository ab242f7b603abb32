import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { cookieValues } from '@web/auth'
import { startWebHost, type WebHost } from '@web/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The web host's token checks, against a real server on loopback: malformed
// cookies are "no token", never a crash; a valid URL token always wins.

let dir: string
let host: WebHost
const TOKEN = 'the-token-of-this-run_0123456789'

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-web-auth-'))
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Wafer</title>')
  host = await startWebHost({
    staticDir: dir,
    token: TOKEN,
    dispatch: async () => ({ ok: true, data: null }) as never,
  })
})

afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

function get(pathname: string, headers: Record<string, string | string[]> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Write raw bytes (a request no client library would send) and read the status line. */
function raw(text: string) {
  return new Promise<string>((resolve, reject) => {
    const s = net.connect(host.port, '127.0.0.1', () => s.write(text))
    let out = ''
    s.on('data', (d) => (out += d))
    s.on('end', () => resolve(out.split('\r\n')[0]))
    s.on('close', () => resolve(out.split('\r\n')[0]))
    s.on('error', reject)
  })
}

const cookie = () => `wafer_token_${host.port}`

describe('web host cookies', () => {
  it('answers 401 to malformed cookies and stays up', async () => {
    const shapes = [
      'wafer_token=%',
      `${cookie()}=%`,
      `${cookie()}=%E0%A4%A`,
      `${cookie()}`,
      `=; ;;; ${cookie()}`,
      `${cookie()}="%zz"`,
      'a'.repeat(12_000) + '=%',
      Array.from({ length: 500 }, () => `${cookie()}=%`).join('; '),
    ]
    for (const c of shapes) expect((await get('/', { cookie: c })).status).toBe(401)
    // Two Cookie headers (HTTP/2 style): still no crash.
    expect((await get('/', { cookie: ['wafer_token=%', `${cookie()}=%`] })).status).toBe(401)
    // A bridge upgrade with the same cookie: refused, not a crash.
    const up = await raw(
      `GET /bridge HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nCookie: wafer_token=%; ${cookie()}=%\r\n\r\n`,
    )
    expect(up).toContain('401')
    // A request target that is not a URL at all.
    const weird = await raw(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nCookie: ${cookie()}=${TOKEN}\r\nConnection: close\r\n\r\n`)
    expect(weird).toMatch(/HTTP\/1.1 (400|401)/)
    // Still serving.
    expect((await get('/', { cookie: `${cookie()}=${TOKEN}` })).status).toBe(200)
  })

  it('accepts the real cookie among planted duplicates and junk', async () => {
    const c = `junk; ${cookie()}=planted; other=%; ${cookie()}=${encodeURIComponent(TOKEN)}; ${cookie()}=%`
    const res = await get('/', { cookie: c })
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>Wafer</title>')
  })

  it('lets a valid URL token win over a stale cookie and replaces it with this port’s cookie', async () => {
    const stale = `wafer_token=old-run-token; ${cookie()}=old-run-token`
    const res = await get(`/?token=${TOKEN}`, { cookie: stale })
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/')
    const set = res.headers['set-cookie'] ?? []
    const mine = set.find((s) => s.startsWith(`${cookie()}=`))
    expect(mine).toBe(`${cookie()}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`)
    // The old, port-less cookie is cleared.
    expect(set.some((s) => s.startsWith('wafer_token=;') && /Max-Age=0/.test(s))).toBe(true)
    // With the new cookie, the app loads.
    expect((await get('/', { cookie: `wafer_token=old-run-token; ${cookie()}=${TOKEN}` })).status).toBe(200)
  })

  it('sends the CSP, frame-ancestors included, as a header (a meta tag cannot carry it)', async () => {
    const res = await get('/', { cookie: `${cookie()}=${TOKEN}` })
    expect(res.status).toBe(200)
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
  })

  it('does not take a cookie named for another port', async () => {
    expect((await get('/', { cookie: `wafer_token_${host.port + 1}=${TOKEN}` })).status).toBe(401)
    expect((await get('/', { cookie: `wafer_token=${TOKEN}` })).status).toBe(401)
  })

  it('still refuses wrong tokens, foreign Host headers and foreign origins', async () => {
    expect((await get('/?token=wrong')).status).toBe(401)
    expect((await get(`/?token=${TOKEN}`, { host: 'evil.example' })).status).toBe(403)
    const up = await raw(
      `GET /bridge?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nOrigin: http://127.0.0.1:1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    )
    expect(up).toContain('403')
  })
})

describe('cookieValues', () => {
  it('reads every value of a name from any header shape', () => {
    expect(cookieValues(undefined, 'a')).toEqual([])
    expect(cookieValues('a', 'a')).toEqual([])
    expect(cookieValues('a=1; a=2;a = 3', 'a')).toEqual(['1', '2', '3'])
    expect(cookieValues(['a=1', 'b=2; a=%41'], 'a')).toEqual(['1', 'A'])
    expect(cookieValues('a=%; a=%zz; a="x%20y"', 'a')).toEqual(['x y'])
    expect(cookieValues('a=' + 'x'.repeat(20_000), 'a')).toEqual([])
    expect(cookieValues(Array.from({ length: 100 }, (_, i) => `a=${i}`).join(';'), 'a')).toHaveLength(16)
  })
})
