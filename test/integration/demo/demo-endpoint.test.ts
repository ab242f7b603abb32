import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import os from 'node:os'
import path from 'node:path'

import { type AppServices, createAppServices } from '@main/app-services'
import { createDispatcher, type Dispatch } from '@main/ipc/dispatcher'
import { DemoEndpoint } from '@main/services/demo/demo-endpoint'
import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { guardDemoFetch } from '@main/services/demo/guard-fetch'
import { MemoryBackend } from '@main/services/settings/key-vault'
import type { ArgsOf, ChannelName, ResultOf } from '@shared/ipc/contract'
import type { ChatDone } from '@shared/ipc/domains/chat'
import type { RunInput } from '@shared/ipc/domains/history'
import { WaferError } from '@shared/ipc/errors'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Caller, type Emitted } from '../policies-app/app-harness'

/*
 * The built-in demo endpoint: the fake Cerebras server started in main on a
 * random loopback port, answering only the app (its own key, no browser
 * Origin, the right Host), and switched off again with the configured
 * endpoint restored untouched. Through createAppServices and the
 * dispatcher: while it is on, the user's key never reaches it, runs are
 * saved as demo runs, and the key test still checks the real endpoint.
 */

const USER_KEY = 'csk-' + 'userkey0123456789'.repeat(3)

/** GET `url` with node:http, so the Host and Origin headers can be set freely. */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('DemoEndpoint', () => {
  const demo = new DemoEndpoint()
  afterAll(() => demo.stop())

  it('starts the fake server on a random loopback port and answers only its own key', async () => {
    const status = await demo.start()
    expect(status).toMatchObject({ active: true, baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/) })
    expect(status.baseUrl).not.toMatch(/:0\/v1$/)
    const { baseUrl, apiKey } = demo.connection()!
    expect(apiKey).toMatch(/^demo-[\w-]{32}$/)
    const ok = await fetch(`${baseUrl}/models`, { headers: { authorization: `Bearer ${apiKey}` } })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toContain('gpt-oss-120b')
    expect((await fetch(`${baseUrl}/models`, { headers: { authorization: `Bearer ${USER_KEY}` } })).status).toBe(401)
    expect((await fetch(`${baseUrl}/models`)).status).toBe(403)
    // Starting again keeps the same server.
    expect((await demo.start()).baseUrl).toBe(baseUrl)
  })

  it('refuses browsers (an Origin header) and other Host names (DNS rebinding)', async () => {
    const { baseUrl, apiKey } = demo.connection()!
    const port = new URL(baseUrl).port
    const auth = { authorization: `Bearer ${apiKey}` }
    expect(await rawGet(`${baseUrl}/models`, { ...auth, host: `127.0.0.1:${port}` })).toBe(200)
    expect(await rawGet(`${baseUrl}/models`, { ...auth, host: `localhost:${port}` })).toBe(200)
    expect(await rawGet(`${baseUrl}/models`, { ...auth, host: `evil.example:${port}` })).toBe(403)
    expect(await rawGet(`${baseUrl}/models`, { ...auth, origin: 'https://evil.example' })).toBe(403)
  })

  it('stops: the port is closed, and the next start has a new key', async () => {
    const before = demo.connection()!
    const status = await demo.stop()
    expect(status).toEqual({ active: false, baseUrl: null, since: null })
    expect(demo.connection()).toBeNull()
    await expect(fetch(`${before.baseUrl}/models`, { headers: { authorization: `Bearer ${before.apiKey}` } })).rejects.toThrow()
    expect(await demo.stop()).toMatchObject({ active: false })
    await demo.start()
    expect(demo.connection()!.apiKey).not.toBe(before.apiKey)
    expect(demo.isDemoKey(before.apiKey)).toBe(true)
  })
})

describe('guardDemoFetch', () => {
  it("never sends the user's key to the demo, nor the demo's key elsewhere", async () => {
    const demo = new DemoEndpoint()
    const sent: string[] = []
    const inner = (async (input: RequestInfo | URL) => {
      sent.push(String(input))
      return new Response('{}')
    }) as typeof fetch
    const guarded = guardDemoFetch(inner, demo)
    try {
      const { baseUrl, apiKey } = (await demo.start(), demo.connection()!)
      await guarded(`${baseUrl}/models`, { headers: { authorization: `Bearer ${apiKey}` } })
      await expect(guarded(`${baseUrl}/chat/completions`, { headers: { authorization: `Bearer ${USER_KEY}` } })).rejects.toThrow(/switched on/)
      await expect(guarded('https://api.cerebras.ai/v1/models', { headers: new Headers({ authorization: `Bearer ${apiKey}` }) })).rejects.toThrow(
        /switched off/,
      )
      await guarded('https://api.cerebras.ai/v1/models', { headers: { authorization: `Bearer ${USER_KEY}` } })
      expect(sent).toEqual([`${baseUrl}/models`, 'https://api.cerebras.ai/v1/models'])
    } finally {
      await demo.stop()
    }
  })
})

describe('the demo endpoint in the app', () => {
  let real: FakeCerebras
  let realUrl: string
  let demoServers: FakeCerebras[]
  let services: AppServices
  let dispatch: Dispatch
  let userDataDir: string
  const broadcasts: Emitted[] = []

  async function call<C extends ChannelName>(channel: C, args: ArgsOf<C>, ctx = new Caller()): Promise<ResultOf<C>> {
    const env = await dispatch(channel, args, ctx)
    if (!env.ok) throw WaferError.fromWire(env.error)
    return env.value as ResultOf<C>
  }

  async function chat(requestId: string): Promise<ChatDone> {
    const caller = new Caller()
    await call('chat:start', { requestId, request: { model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Say hello' }] } }, caller)
    const end = await caller.end(requestId)
    if (end.event !== 'chat:done') throw new Error(`chat failed: ${JSON.stringify(end.payload)}`)
    return end.payload as ChatDone
  }

  const runOf = (id: string, done: ChatDone): RunInput => ({
    id,
    source: 'playground',
    startedAt: Date.now(),
    request: { model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Say hello' }] },
    response: { content: 'hello', reasoning: null, toolCalls: [], finishReason: done.finishReason, completionId: done.completionId },
    usage: done.usage,
    metrics: done.metrics,
    status: 'ok',
  })

  beforeAll(async () => {
    real = new FakeCerebras({ apiKeys: [USER_KEY], ttftMs: 5, tokensPerSecond: 20_000, replyTokens: 30 })
    realUrl = await real.start()
    demoServers = []
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'wafer-demo-'))
    services = await createAppServices({
      userDataDir,
      env: {},
      secretBackend: new MemoryBackend(),
      host: 'web',
      version: '0.0.0-test',
      platform: process.platform,
      openExternal: async () => {},
      broadcast: (event, payload) => void broadcasts.push({ event, payload }),
      // The user allowed the "real" endpoint (the web host's --allow-host): the key may go there.
      allowHosts: [realUrl],
      // The demo's own server, kept so the test can see every request it got.
      createDemoServer: (apiKey) => {
        const s = new FakeCerebras({ apiKeys: [apiKey], ttftMs: 5, tokensPerSecond: 20_000, replyTokens: 30, loopbackOnly: true })
        demoServers.push(s)
        return s
      },
    })
    dispatch = createDispatcher(services.handlers, { validateResults: true })
    await call('settings:update', { baseUrl: realUrl })
    await call('key:set', { key: USER_KEY })
  })

  afterAll(async () => {
    await services?.dispose()
    await real?.stop()
    rmSync(userDataDir, { recursive: true, force: true })
  })

  it('is off at first: requests go to the configured endpoint with the user key', async () => {
    expect(await call('demo:status', {})).toEqual({ active: false, baseUrl: null, since: null })
    await chat('before-demo')
    expect(real.chatRequests).toHaveLength(1)
    expect(real.chatRequests[0].headers.authorization).toBe(`Bearer ${USER_KEY}`)
    expect((await call('ratelimit:get', {})).states.length).toBeGreaterThan(0)
  })

  it('switches on: answers come from the demo with its own key, and the user key never reaches it', async () => {
    const status = await call('demo:start', {})
    expect(status.active).toBe(true)
    expect(broadcasts.filter((b) => b.event === 'demo:changed').at(-1)?.payload).toEqual(status)
    // Figures from the real endpoint no longer apply.
    expect((await call('ratelimit:get', {})).states).toEqual([])

    const done = await chat('on-demo')
    expect(done.usage?.completion_tokens).toBeGreaterThan(0)
    const demoServer = demoServers.at(-1)!
    expect(demoServer.chatRequests).toHaveLength(1)
    expect(real.chatRequests).toHaveLength(1)
    const models = await call('models:list', { force: true })
    expect(models.source).toBe(status.baseUrl)

    // The key test still checks the real endpoint with the user's key.
    const tested = await call('key:test', {})
    expect(tested).toMatchObject({ ok: true, baseUrl: realUrl, hint: USER_KEY.slice(-4) })
    expect(real.received.at(-1)).toMatchObject({ path: '/v1/models', headers: { authorization: `Bearer ${USER_KEY}` } })

    const auths = demoServer.received.map((r) => r.headers.authorization)
    expect(auths.length).toBeGreaterThan(0)
    expect(auths.every((a) => a !== `Bearer ${USER_KEY}` && /^Bearer demo-/.test(String(a)))).toBe(true)

    // The saved setting was never changed.
    expect((await call('settings:get', {})).settings.baseUrl).toBe(realUrl)

    // Its run is saved as a demo run, whatever the renderer sent.
    await call('history:save', { run: runOf('on-demo', done) })
    expect((await call('history:get', { id: 'on-demo' })).demo).toBe(true)
    const listed = (await call('history:list', {})).runs.find((r) => r.id === 'on-demo')
    expect(listed?.demo).toBe(true)
    expect((await call('history:metrics', {})).points.find((p) => p.id === 'on-demo')?.demo).toBe(true)
    // ...answered by the demo endpoint, at its own host.
    expect(listed?.endpoint).toEqual({ kind: 'demo', host: new URL(status.baseUrl!).host })
  })

  it('switches off: the server is closed and the configured endpoint is back, untouched', async () => {
    const demoUrl = (await call('demo:status', {})).baseUrl!
    const status = await call('demo:stop', {})
    expect(status).toEqual({ active: false, baseUrl: null, since: null })
    expect(broadcasts.filter((b) => b.event === 'demo:changed').at(-1)?.payload).toEqual(status)
    await expect(fetch(`${demoUrl}/models`)).rejects.toThrow()
    expect((await call('ratelimit:get', {})).states).toEqual([])

    const view = await call('settings:get', {})
    expect(view.settings.baseUrl).toBe(realUrl)
    expect(view.effectiveBaseUrl).toBe(realUrl)
    const done = await chat('after-demo')
    expect(real.chatRequests).toHaveLength(2)
    expect(real.chatRequests[1].headers.authorization).toBe(`Bearer ${USER_KEY}`)
    expect(demoServers.at(-1)!.chatRequests).toHaveLength(1)

    await call('history:save', { run: runOf('after-demo', done) })
    expect((await call('history:get', { id: 'after-demo' })).demo).toBeUndefined()
    expect((await call('history:list', {})).runs.find((r) => r.id === 'after-demo')?.demo).toBeUndefined()
    // The configured endpoint here is a fake Cerebras server, and it says so: the run is not taken for one on Cerebras.
    expect((await call('history:get', { id: 'after-demo' })).endpoint).toEqual({ kind: 'fake', host: new URL(realUrl).host })
    expect((await call('history:list', { endpoint: 'fake' })).runs.map((r) => r.id)).toEqual(['after-demo'])
  })
})
