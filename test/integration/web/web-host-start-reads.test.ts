import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'

import { START_READS, START_READS_PATH } from '@shared/ipc/start-reads'
import { startWebHost, type WebHost } from '@web/server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

// The web host answers the start-up reads over HTTP (GET /bridge/start), through the same dispatcher as the bridge,
// and names them in index.html's Link header so the browser fetches them while it loads the page's scripts. The
// answer holds the user's settings: only this page gets it.

let dir: string
let host: WebHost
const TOKEN = 'the-token-of-this-run_0123456789'
let calls: Array<{ channel: string; args: unknown; via: string }> = []
let failing = false

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-web-start-reads-'))
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Wafer</title>')
  mkdirSync(path.join(dir, 'assets'))
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'export {}')
  host = await startWebHost({
    staticDir: dir,
    token: TOKEN,
    dispatch: async (channel, args, ctx) => {
      calls.push({ channel, args, via: ctx.via })
      if (failing) throw new Error('dispatcher broke')
      return channel === 'key:status' ? { ok: false, error: { code: 'storage', message: 'The key file could not be read' } } : { ok: true, value: { channel } }
    },
  })
})

beforeEach(() => {
  calls = []
  failing = false
})

afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

function request(pathname: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const session = () => ({ cookie: `wafer_token_${host.port}=${TOKEN}` })

describe('GET /bridge/start', () => {
  it('answers every start-up read through the dispatcher, each as the bridge would', async () => {
    const res = await request(START_READS_PATH, { ...session(), 'sec-fetch-site': 'same-origin' })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    const body = JSON.parse(res.body) as { reads: Record<string, unknown> }
    expect(Object.keys(body.reads).sort()).toEqual(START_READS.map((r) => r.channel).sort())
    expect(body.reads['settings:get']).toEqual({ ok: true, value: { channel: 'settings:get' } })
    // A read that failed is its error envelope, as over the bridge; the others still answer.
    expect(body.reads['key:status']).toEqual({ ok: false, error: { code: 'storage', message: 'The key file could not be read' } })
    expect(calls.map((c) => c.channel).sort()).toEqual(START_READS.map((r) => r.channel).sort())
    expect(calls.every((c) => c.via === 'web' && JSON.stringify(c.args) === '{}')).toBe(true)
  })

  it('answers our own page: no Sec-Fetch-Site (a script) or same-origin, and our own Origin', async () => {
    expect((await request(START_READS_PATH, session())).status).toBe(200)
    expect((await request(START_READS_PATH, { ...session(), origin: `http://localhost:${host.port}` })).status).toBe(200)
  })

  it('refuses other pages, other hosts, other methods and callers without the session', async () => {
    // Another loopback port shares the cookie: its page is refused by what the browser says about it.
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect((await request(START_READS_PATH, { ...session(), 'sec-fetch-site': site })).status).toBe(403)
    }
    expect((await request(START_READS_PATH, { ...session(), origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403)
    expect((await request(START_READS_PATH, { ...session(), host: 'evil.example' })).status).toBe(403)
    expect((await request(START_READS_PATH, session(), 'POST')).status).toBe(405)
    expect((await request(START_READS_PATH)).status).toBe(401)
    expect((await request(START_READS_PATH, { cookie: `wafer_token_${host.port}=wrong` })).status).toBe(401)
    // None of them reached the dispatcher.
    expect(calls).toEqual([])
  })

  it('answers 500 when the dispatcher itself fails, and keeps serving', async () => {
    failing = true
    const res = await request(START_READS_PATH, session())
    expect(res.status).toBe(500)
    expect(res.body).toContain('dispatcher broke')
    failing = false
    expect((await request(START_READS_PATH, session())).status).toBe(200)
  })

  it('is named in the page’s Link header as a fetch preload, and only the page’s', async () => {
    const page = await request('/', session())
    expect(page.status).toBe(200)
    expect(page.headers.link).toBe(`<${START_READS_PATH}>; rel=preload; as=fetch; crossorigin`)
    // The one-page app's fallback is the same page.
    expect((await request('/models', session())).headers.link).toBe(page.headers.link)
    const script = await request('/assets/index-abc.js', session())
    expect(script.status).toBe(200)
    expect(script.headers.link).toBeUndefined()
  })
})

// A page takes its start-up reads over HTTP and opens the bridge's WebSocket later. What main broadcast in between
// reached no socket of that page: the reads' answer says how many broadcasts there had been, and the page sends that
// number over its socket ({t: 'since', seq}) to get the newest of each state event (settings, key, demo, active
// policy) broadcast since.
describe('the bridge after the start-up reads', () => {
  type Received = { t: string; event?: string; payload?: unknown; seq?: number; message?: string }

  /** The bridge as a page of this host opens it; `received` collects what it is sent. */
  async function openBridge() {
    const received: Received[] = []
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, { headers: { origin: `http://127.0.0.1:${host.port}`, ...session() } })
    ws.on('message', (data) => received.push(JSON.parse(String(data)) as Received))
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject))
    return { ws, received }
  }

  const isMarker = (m: Received, marker: string) => (m.payload as { message?: string } | undefined)?.message === marker

  /** Sends `message` (if any), then broadcasts a marker and waits for it: what came before it is what the socket was sent. */
  async function sentBefore(bridge: { ws: WebSocket; received: Received[] }, marker: string, message?: unknown): Promise<Received[]> {
    const from = bridge.received.length
    if (message !== undefined) bridge.ws.send(typeof message === 'string' ? message : JSON.stringify(message))
    // The host answers a socket's messages in order, so a call sent after `message` is answered after it.
    bridge.ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'settings:get', args: {} }))
    await expect.poll(() => bridge.received.slice(from).some((m) => m.t === 'result')).toBe(true)
    host.broadcast('app:notice', { level: 'info', message: marker })
    await expect.poll(() => bridge.received.some((m) => isMarker(m, marker))).toBe(true)
    return bridge.received
      .slice(
        from,
        bridge.received.findIndex((m) => isMarker(m, marker)),
      )
      .filter((m) => m.t !== 'result')
  }

  const startSeq = async () => (JSON.parse((await request(START_READS_PATH, session())).body) as { seq: number }).seq

  it('sends a page that says how many broadcasts it has seen the newest of each state event since, oldest first', async () => {
    const seq = await startSeq()
    // Between the reads and the socket: two settings changes, a key change, and events that are not state.
    host.broadcast('settings:changed', { theme: 'light', first: true } as never)
    host.broadcast('history:changed', { reason: 'saved', ids: ['r1'] })
    host.broadcast('key:changed', { configured: true, source: 'stored' } as never)
    host.broadcast('settings:changed', { theme: 'dark', second: true } as never)
    const bridge = await openBridge()
    // Nothing is sent on connection alone.
    expect(await sentBefore(bridge, 'opened')).toEqual([])
    const missed = await sentBefore(bridge, 'asked', { t: 'since', seq })
    expect(missed.map((m) => [m.event, m.payload])).toEqual([
      ['key:changed', { configured: true, source: 'stored' }],
      ['settings:changed', { theme: 'dark', second: true }],
    ])
    // Each carries its number, as every broadcast does.
    expect(missed.map((m) => m.seq)).toEqual([seq + 3, seq + 4])
    // Asked again with the last number it saw, it gets nothing it already had.
    expect(await sentBefore(bridge, 'asked again', { t: 'since', seq: seq + 4 })).toEqual([])
    bridge.ws.close()
  })

  it('sends nothing for a count past the last broadcast, and says so for a message that is not a count', async () => {
    host.broadcast('demo:changed', { active: true } as never)
    const current = await startSeq()
    const bridge = await openBridge()
    expect(await sentBefore(bridge, 'past', { t: 'since', seq: current + 10 })).toEqual([])
    for (const bad of [{ t: 'since', seq: -1 }, { t: 'since', seq: 1.5 }, { t: 'since', seq: '3' }, { t: 'since' }, { t: 'since', seq: 1, extra: true }]) {
      const sent = await sentBefore(bridge, `bad ${JSON.stringify(bad)}`, bad)
      expect(
        sent.map((m) => m.t),
        JSON.stringify(bad),
      ).toEqual(['protocol-error'])
    }
    bridge.ws.close()
  })

  it('counts in the reads’ answer the broadcasts made before the reads', async () => {
    const before = await startSeq()
    host.broadcast('policies:active-changed', { active: null } as never)
    host.broadcast('gateway:status', { running: false } as never)
    expect(await startSeq()).toBe(before + 2)
  })
})
