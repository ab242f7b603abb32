import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { type AppServices, createAppServices } from '@main/app-services'
import { createDispatcher, type Dispatch } from '@main/ipc/dispatcher'
import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { KeyHosts, nativeConfirmKeyHost, originOf } from '@main/services/settings/key-hosts'
import { MemoryBackend } from '@main/services/settings/key-vault'
import type { ArgsOf, ChannelName, ResultOf } from '@shared/ipc/contract'
import { WaferError } from '@shared/ipc/errors'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

/*
 * The stored key goes only to https://api.cerebras.ai and to hosts the user
 * allowed outside the renderer. Everything below drives main through the
 * dispatcher, as a (possibly compromised) renderer would, with a network
 * that records every request so the test can see where the key went.
 */

const KEY = 'csk-' + 'hostcheck0123456789'.repeat(2)
const temps: string[] = []
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true })
})
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'wafer-hosts-'))
  temps.push(d)
  return d
}

interface Sent {
  url: string
  headers: string
}

let fake: FakeCerebras
let fakeUrl: string
beforeAll(async () => {
  fake = new FakeCerebras({ apiKeys: [KEY], ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 5 })
  fakeUrl = await fake.start()
})
afterAll(() => fake?.stop())

const open: AppServices[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose()
})

async function app(opts: { confirm?: (origin: string) => Promise<boolean>; allowHosts?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  const sent: Sent[] = []
  // The network: loopback goes to the fake server for real, anything else is recorded and refused.
  const network = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input)
    const h = new Headers(input instanceof Request ? input.headers : undefined)
    new Headers(init?.headers).forEach((v, k) => h.set(k, v))
    const pairs: string[] = []
    h.forEach((v, k) => pairs.push(`${k}: ${v}`))
    sent.push({ url, headers: pairs.join('\n') })
    if (new URL(url).hostname === '127.0.0.1') return fetch(input, init)
    throw new TypeError('fetch failed (no such host in this test)')
  }) as typeof fetch
  const userDataDir = tmp()
  const services = await createAppServices({
    userDataDir,
    env: opts.env ?? {},
    secretBackend: new MemoryBackend(),
    host: opts.confirm ? 'electron' : 'web',
    version: '0.0.0-test',
    platform: process.platform,
    openExternal: async () => {},
    broadcast: () => {},
    fetch: network,
    confirmKeyHost: opts.confirm,
    allowHosts: opts.allowHosts,
  })
  open.push(services)
  const dispatch: Dispatch = createDispatcher(services.handlers, { validateResults: true })
  const call = async <C extends ChannelName>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> => {
    const env = await dispatch(channel, args, { via: 'web', emit: () => {} })
    if (!env.ok) throw WaferError.fromWire(env.error)
    return env.value as ResultOf<C>
  }
  await call('key:set', { key: KEY })
  const keySentTo = () => sent.filter((s) => s.headers.includes(KEY)).map((s) => new URL(s.url).origin)
  return { call, sent, keySentTo, userDataDir }
}

const ask = { request: { model: 'gpt-oss-120b', messages: [{ role: 'user' as const, content: 'hi' }] } }

describe('where the stored key may go', () => {
  it('refuses a plain-http base URL to another machine outright', async () => {
    const { call } = await app()
    await expect(call('settings:update', { baseUrl: 'http://evil.example/v1' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('http://evil.example'),
    })
    expect((await call('settings:get', {})).settings.baseUrl).toBe('https://api.cerebras.ai/v1')
  })

  it('never sends the key to a base URL the user did not allow: chat, models and the key test all stop with an error naming the host', async () => {
    const { call, keySentTo } = await app()
    await call('settings:update', { baseUrl: 'https://evil.example/v1' })
    const refused = { code: 'forbidden', message: expect.stringMatching(/https:\/\/evil\.example.*--allow-host https:\/\/evil\.example/) }
    await expect(call('chat:complete', ask)).rejects.toMatchObject(refused)
    await expect(call('models:list', {})).rejects.toMatchObject(refused)
    await expect(call('key:test', {})).rejects.toMatchObject(refused)
    const hosts = await call('key:hosts', {})
    expect(hosts.current).toEqual({ origin: 'https://evil.example', allowed: false })
    expect(hosts.canConfirm).toBe(false)
    // The renderer cannot allow a host in the web host: it is told about the flag.
    await expect(call('key:allow-host', { host: 'https://evil.example' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('--allow-host'),
    })
    expect(keySentTo()).toEqual([])
  })

  it('sends the key to api.cerebras.ai, to CEREBRAS_BASE_URL and to --allow-host hosts', async () => {
    const viaEnv = await app({ env: { CEREBRAS_BASE_URL: fakeUrl } })
    await viaEnv.call('chat:complete', ask)
    expect(viaEnv.keySentTo()).toEqual([new URL(fakeUrl).origin])

    const viaFlag = await app({ allowHosts: [fakeUrl] })
    await viaFlag.call('settings:update', { baseUrl: fakeUrl })
    await viaFlag.call('chat:complete', ask)
    expect(viaFlag.keySentTo()).toEqual([new URL(fakeUrl).origin])
    expect((await viaFlag.call('key:hosts', {})).hosts).toEqual([
      { origin: 'https://api.cerebras.ai', source: 'built-in', removable: false },
      { origin: new URL(fakeUrl).origin, source: 'flag', removable: false },
    ])

    const builtIn = await app()
    await expect(builtIn.call('key:test', {})).resolves.toMatchObject({ ok: false, reason: 'network' })
    expect(builtIn.keySentTo()).toEqual(['https://api.cerebras.ai'])
  })

  it('allows a host only after main asked the user (a native dialog in Electron), and remembers it in a 0600 file', async () => {
    const asked: string[] = []
    let answer = false
    const confirm = async (origin: string) => {
      asked.push(origin)
      return answer
    }
    const { call, keySentTo, userDataDir } = await app({ confirm })
    await call('settings:update', { baseUrl: fakeUrl })
    await expect(call('chat:complete', ask)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Allow this host') })
    await expect(call('key:allow-host', { host: fakeUrl })).rejects.toMatchObject({ code: 'aborted' })
    expect(asked).toEqual([new URL(fakeUrl).origin])
    expect(keySentTo()).toEqual([])
    answer = true
    const view = await call('key:allow-host', { host: fakeUrl })
    expect(view.current).toEqual({ origin: new URL(fakeUrl).origin, allowed: true })
    await call('chat:complete', ask)
    expect(keySentTo()).toEqual([new URL(fakeUrl).origin])
    const file = path.join(userDataDir, 'allowed-hosts.json')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ hosts: [new URL(fakeUrl).origin] })
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600')
    // Taken back: refused again.
    await call('key:remove-host', { host: fakeUrl })
    await expect(call('chat:complete', ask)).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('never allows plain http to another machine, even when confirmed', async () => {
    const { call } = await app({ confirm: async () => true })
    await expect(call('key:allow-host', { host: 'http://evil.example' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('plain http'),
    })
  })

  it('holds gateway targets that use the stored key to the same hosts', async () => {
    const { call, sent, keySentTo, userDataDir } = await app()
    const policy = path.join(userDataDir, 'policy.yaml')
    writeFileSync(
      policy,
      `pack: {name: host-check, version: 0.1.0, enabled: true}
policies:
  chain: []
providers:
  targets:
    - id: elsewhere
      provider: cerebras:chat:gpt-oss-120b
      base_url: ${fakeUrl}
      secret_key_ref: {store: cerebras}
`,
    )
    const status = await call('gateway:start', { listen: '127.0.0.1:0', policyConfigs: [policy] })
    try {
      const res = await fetch(`${status.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ask.request),
      })
      expect(res.ok).toBe(false)
      expect(await res.text()).toContain(`not sent to ${new URL(fakeUrl).origin}`)
    } finally {
      await call('gateway:stop', {})
    }
    expect(sent.length).toBe(0)
    expect(keySentTo()).toEqual([])
  })
})

describe('KeyHosts', () => {
  it('asks with a native dialog whose default answer is Cancel', async () => {
    const shown: { message: string; buttons: string[]; defaultId: number; cancelId: number }[] = []
    const dialog = { showMessageBox: async (o: (typeof shown)[number]) => (shown.push(o), { response: shown.length === 1 ? 0 : 1 }) }
    const confirm = nativeConfirmKeyHost(dialog as never)
    await expect(confirm('https://proxy.example')).resolves.toBe(false)
    await expect(confirm('https://proxy.example')).resolves.toBe(true)
    expect(shown[0]).toMatchObject({ message: 'Send your Cerebras API key to https://proxy.example?', defaultId: 0, cancelId: 0 })
  })

  it('reads hosts as origins, and takes WAFER_ALLOWED_HOSTS', () => {
    expect(originOf('example.com')).toBe('https://example.com')
    expect(originOf('example.com:8443/v1')).toBe('https://example.com:8443')
    expect(originOf('http://127.0.0.1:8787/v1')).toBe('http://127.0.0.1:8787')
    expect(() => originOf('ftp://x')).toThrow(/http/)
    const hosts = new KeyHosts({ dir: tmp(), env: { WAFER_ALLOWED_HOSTS: 'a.example, http://localhost:9000 http://b.example' } })
    expect(hosts.isAllowed('https://a.example/v1/chat/completions')).toBe(true)
    expect(hosts.isAllowed('https://a.example:444/v1')).toBe(false)
    expect(hosts.isAllowed('http://localhost:9000/v1')).toBe(true)
    // Listed, but plain http to another machine is never allowed.
    expect(hosts.isAllowed('http://b.example/v1')).toBe(false)
    expect(hosts.isAllowed('https://api.cerebras.ai/v1/models')).toBe(true)
    expect(hosts.isAllowed('http://api.cerebras.ai/v1/models')).toBe(false)
  })
})
