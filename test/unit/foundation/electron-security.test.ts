import { EventEmitter } from 'node:events'
import { pathToFileURL } from 'node:url'

import { CSP } from '@main/security/csp'
import { channelNames } from '@shared/ipc/contract'
import { beforeAll, describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => ({ current: undefined as undefined | ReturnType<typeof import('./fake-electron').createFakeElectron> }))
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron')
  fake.current = createFakeElectron()
  return { ...fake.current.electron, default: fake.current.electron }
})

// The page the app itself loaded: the only origin IPC and navigation may come from.
const appFileUrl = () => new URL(fake.current!.windows[0].loaded.url!)

beforeAll(async () => {
  await import('@main/index')
  fake.current!.resolveReady()
  // Let whenReady's continuation create the services and the window.
  for (let i = 0; i < 50 && fake.current!.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
})

function fakeContents() {
  const emitter = new EventEmitter()
  const frameNavigate = (url: string) => {
    let prevented = false
    emitter.emit('will-frame-navigate', { url, preventDefault: () => (prevented = true) })
    return prevented
  }
  let openHandler: ((d: { url: string }) => { action: string }) | undefined
  return {
    on: (ev: string, fn: Parameters<EventEmitter['on']>[1]) => emitter.on(ev, fn),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    navigate(url: string) {
      let prevented = false
      emitter.emit('will-navigate', { preventDefault: () => (prevented = true) }, url)
      return prevented
    },
    open: (url: string) => openHandler!({ url }),
    frameNavigate,
  }
}

describe('the Electron main process (with a mocked electron module)', () => {
  it('creates the window with context isolation, sandbox and no node integration', () => {
    const win = fake.current!.windows[0]
    expect(win).toBeDefined()
    const wp = win.options.webPreferences!
    expect(wp.contextIsolation).toBe(true)
    expect(wp.sandbox).toBe(true)
    expect(wp.nodeIntegration).toBe(false)
    expect(wp.nodeIntegrationInSubFrames).toBe(false)
    expect(wp.webviewTag).toBe(false)
    expect('webSecurity' in wp).toBe(false) // left at its secure default
    expect(wp.preload).toMatch(/preload[\\/]index\.cjs$/)
    // Served from the app's own scheme, never file://.
    expect(win.loaded.file).toBeUndefined()
    expect(win.loaded.url).toBe('app://wafer/index.html')
  })

  it('sandboxes every renderer and registers app:// as a privileged scheme before ready, then serves it', () => {
    const { lifecycle, privilegedSchemes } = fake.current!
    expect(lifecycle.indexOf('enableSandbox')).toBeGreaterThanOrEqual(0)
    expect(lifecycle.indexOf('enableSandbox')).toBeLessThan(lifecycle.indexOf('ready'))
    expect(lifecycle.indexOf('registerSchemesAsPrivileged')).toBeLessThan(lifecycle.indexOf('ready'))
    expect(lifecycle.indexOf('handle:app')).toBeGreaterThan(lifecycle.indexOf('ready'))
    expect(privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }])
  })

  it('answers app:// from out/renderer only: 404 for traversal and other hosts', async () => {
    const handler = fake.current!.protocolHandlers.get('app')!
    const get = (url: string) => handler(new Request(url))
    const index = await get('app://wafer/index.html')
    // out/renderer may not be built in a unit run; when it is, it is served as HTML.
    if (index.status === 200) expect(index.headers.get('content-type')).toMatch(/^text\/html/)
    else expect(index.status).toBe(404)
    expect((await get('app://wafer/../../../etc/passwd')).status).toBe(404)
    expect((await get('app://wafer/%2e%2e/%2e%2e/package.json')).status).toBe(404)
    expect((await get('app://evil/index.html')).status).toBe(404)
  })

  it('lets the CSP treat app://wafer as self: the app’s own scripts, styles and fetches only', () => {
    // A standard scheme gives app://wafer/ a real origin, so 'self' covers it and nothing else is named.
    expect(fake.current!.privilegedSchemes).toEqual([expect.objectContaining({ privileges: expect.objectContaining({ standard: true }) })])
    for (const dir of ['default-src', 'script-src', 'connect-src']) expect(CSP).toMatch(new RegExp(`${dir} 'self'(;|$)`))
    expect(CSP).not.toMatch(/file:/)
  })

  it('sends a strict CSP with no remote connect-src on every response', () => {
    const hook = fake.current!.session.headersHook!
    let headers: Record<string, string[]> = {}
    hook({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders ?? {}))
    const csp = headers['Content-Security-Policy'][0]
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).not.toMatch(/connect-src[^;]*(https?:|wss?:|\*)/)
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/)
    expect(headers['X-Other']).toEqual(['1'])
  })

  it('denies device, screen-capture, HID, serial and USB requests', () => {
    const s = fake.current!.session
    expect(s.devicePermission!({ deviceType: 'hid', origin: 'app://wafer' })).toBe(false)
    let streams: Record<string, unknown> | undefined
    s.displayMedia!({}, (r) => (streams = r))
    expect(streams).toEqual({})
    for (const [event, args] of [
      ['select-hid-device', [{ deviceList: [{ deviceId: 'x' }] }]],
      ['select-usb-device', [{ deviceList: [{ deviceId: 'x' }] }]],
      ['select-serial-port', [[{ portId: 'x' }], {}]],
    ] as const) {
      let prevented = false
      const picked: unknown[] = []
      const ok = s.events.emit(event, { preventDefault: () => (prevented = true) }, ...args, (...a: unknown[]) => picked.push(a))
      expect({ event, ok, prevented }).toEqual({ event, ok: true, prevented: true })
      // Cancelled: no device chosen.
      expect(picked).toHaveLength(1)
      expect((picked[0] as unknown[]).filter((v) => v !== undefined && v !== '')).toEqual([])
    }
  })

  it('denies every permission request', () => {
    const answers: boolean[] = []
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      fake.current!.session.permissionHandler!({}, p, (ok) => answers.push(ok))
    }
    expect(answers).toEqual([false, false, false, false])
    expect(fake.current!.session.permissionCheck!()).toBe(false)
  })

  it('blocks navigation away from the app and opens only parsed https links externally', () => {
    const wc = fakeContents()
    fake.current!.appEvents.emit('web-contents-created', {}, wc)
    expect(wc.navigate('https://evil.example/')).toBe(true)
    expect(wc.navigate('file:///etc/passwd')).toBe(true)
    expect(wc.navigate(appFileUrl().toString())).toBe(false)
    // Sub-frames too (will-frame-navigate), and file:// is not the app any more.
    expect(wc.frameNavigate('https://evil.example/')).toBe(true)
    expect(wc.frameNavigate('file:///etc/passwd')).toBe(true)
    expect(wc.frameNavigate('app://other/index.html')).toBe(true)
    expect(wc.frameNavigate('app://wafer/index.html')).toBe(false)

    expect(wc.open('https://inference-docs.cerebras.ai/').action).toBe('deny')
    expect(wc.open('http://insecure.example/').action).toBe('deny')
    expect(wc.open('javascript:alert(1)').action).toBe('deny')
    expect(wc.open('https://user:pw@evil.example/').action).toBe('deny')
    expect(fake.current!.opened).toEqual(['https://inference-docs.cerebras.ai/'])
  })

  it('registers a handler for every channel, and refuses senders other than the app top frame', async () => {
    const handlers = fake.current!.handlers
    expect([...handlers.keys()].sort()).toEqual([...channelNames].sort())

    const mainFrame = { url: appFileUrl().toString() }
    const sender = { isDestroyed: () => false, mainFrame, send: () => {} }
    const trusted = await handlers.get('app:info')!({ sender, senderFrame: mainFrame }, {})
    expect(trusted).toMatchObject({ ok: true, value: { host: 'electron' } })

    const subFrame = { url: appFileUrl().toString() }
    const fromSubFrame = await handlers.get('app:info')!({ sender, senderFrame: subFrame }, {})
    expect(fromSubFrame).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    const otherOrigin = { url: 'https://evil.example/secret-path?q=1' }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fromOther = await handlers.get('key:set')!(
      { sender: { ...sender, mainFrame: otherOrigin }, senderFrame: otherOrigin },
      { key: 'csk-payload-never-logged' },
    )
    expect(fromOther).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    // One line per refusal: the channel and the origin, never the payload or the path.
    expect(warn.mock.calls.at(-1)).toEqual(['Refused IPC key:set from an untrusted frame (https://evil.example).'])
    const fileFrame = { url: pathToFileURL('/tmp/index.html').toString() }
    expect(await handlers.get('app:info')!({ sender: { ...sender, mainFrame: fileFrame }, senderFrame: fileFrame }, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()

    const bad = await handlers.get('settings:update')!({ sender, senderFrame: mainFrame }, { baseUrl: 42 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
  })

  it('stores a typed key encrypted and warns when Linux falls back to basic_text', async () => {
    const handlers = fake.current!.handlers
    const mainFrame = { url: appFileUrl().toString() }
    const ev = { sender: { isDestroyed: () => false, mainFrame, send: () => {} }, senderFrame: mainFrame }
    const r = (await handlers.get('key:set')!(ev, { key: 'csk-abcdefgh12345678' })) as { ok: boolean; value: { warning?: string } }
    expect(r.ok).toBe(true)
    expect(r.value).toMatchObject({ configured: true, hint: '5678', source: 'stored', backend: 'basic_text', protected: false })
    expect(r.value.warning).toMatch(/basic_text/)
    expect(JSON.stringify(r)).not.toContain('csk-abcdefgh12345678')
    const { readFileSync } = await import('node:fs')
    const onDisk = readFileSync(`${fake.current!.userData}/api-key.bin`, 'utf8')
    expect(onDisk).not.toContain('csk-abcdefgh12345678')
  })
})
