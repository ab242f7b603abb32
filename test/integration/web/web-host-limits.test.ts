import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { startWebHost, type WebHost } from '@web/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The web host bounds how long a request may take to arrive and takes no request bodies: a client that drips its
// headers is answered 408 and closed, and a request that carries a body is refused without it being read.

let dir: string
let host: WebHost
const TOKEN = 'the-token-of-this-run_0123456789'
const HEADERS_TIMEOUT_MS = 300

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-web-limits-'))
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Wafer</title>')
  host = await startWebHost({ staticDir: dir, token: TOKEN, headersTimeoutMs: HEADERS_TIMEOUT_MS, dispatch: async () => ({ ok: true, value: null }) })
})

afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Writes `text` on a fresh connection and resolves with everything the host sends until it closes the connection. */
function exchange(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(host.port, '127.0.0.1', () => s.write(text))
    let out = ''
    s.on('data', (d) => (out += d))
    s.on('close', () => resolve(out))
    s.on('error', reject)
  })
}

const session = () => `Host: 127.0.0.1:${host.port}\r\nCookie: wafer_token_${host.port}=${TOKEN}\r\n`

describe('web host limits', () => {
  it('answers 408 to a client that never finishes its headers, and closes it', async () => {
    // Headers begun and never ended: the host, not the client, ends the exchange.
    const answer = await exchange(`GET / HTTP/1.1\r\n${session()}X-Slow: 1\r\n`)
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout')
    // Still serving.
    const ok = await exchange(`GET / HTTP/1.1\r\n${session()}Connection: close\r\n\r\n`)
    expect(ok.split('\r\n')[0]).toBe('HTTP/1.1 200 OK')
  })

  it('refuses a request that carries a body, sized or chunked, with 415', async () => {
    const sized = await exchange(`GET / HTTP/1.1\r\n${session()}Content-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`)
    expect(sized.split('\r\n')[0]).toBe('HTTP/1.1 415 Unsupported Media Type')
    expect(sized).toContain('This host takes no request bodies.')
    const chunked = await exchange(`GET /bridge/start HTTP/1.1\r\n${session()}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`)
    expect(chunked.split('\r\n')[0]).toBe('HTTP/1.1 415 Unsupported Media Type')
    // An empty body is no body.
    const empty = await exchange(`GET / HTTP/1.1\r\n${session()}Content-Length: 0\r\nConnection: close\r\n\r\n`)
    expect(empty.split('\r\n')[0]).toBe('HTTP/1.1 200 OK')
  })
})
