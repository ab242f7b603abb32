import { EventEmitter } from 'node:events'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { channelNames } from '../../../shared/ipc/contract'

const fake = vi.hoisted(() => ({ current: undefined as undefined | ReturnType<typeof import('./fake-electron').createFakeElectron> }))
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron')
  fake.current = createFakeElectron()
  return { ...fake.current.electron, default: fake.current.electron }
})

// The page the app itself loaded: the only origin IPC and navigation may come from.
const appFileUrl = () => pathToFileURL(fake.current!.windows[0].loaded.file!)

beforeAll(async () => {
  await import('../../../electron/main/index')
  fake.current!.resolveReady()
  // Let whenReady's continuation create the services and the window.
  for (let i = 0; i < 50 && fake.current!.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
})

function fakeContents() {
  const emitter = new EventEmitter()
  let openHandler: ((d: { url: string }) => { action: string }) | undefined
  return {
    on: (ev: string, fn: (...a: any[]) => void) => emitter.on(ev, fn),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    navigate(url: string) {
      let prevented = false
      emitter.emit('will-navigate', { preventDefault: () => (prevented = true) }, url)
      return prevented
    },
    open: (url: string) => openHandler!({ url }),
  }
}

describe('the Electron main process (with a mocked electron module)', () => {
  it('creates the window with context isolation, sandbox and no node integration', () => {
    const win = fake.current!.windows[0]
    expect(win).toBeDefined()
    const wp = win.options.webPreferences
    expect(wp.contextIsolation).toBe(true)
    expect(wp.sandbox).toBe(true)
    expect(wp.nodeIntegration).toBe(false)
    expect(wp.nodeIntegrationInSubFrames).toBe(false)
    expect(wp.webviewTag).toBe(false)
    expect('webSecurity' in wp).toBe(false) // left at its secure default
    expect(wp.preload).toMatch(/preload[\\/]index\.cjs$/)
    expect(win.loaded.file).toMatch(/renderer[\\/]index\.html$/)
  })

  it('sends a strict CSP with no remote connect-src on every response', () => {
    const hook = fake.current!.session.headersHook!
    let headers: Record<string, string[]> = {}
    hook({ responseHeaders: { 'X-Other': ['1'] } }, (r: any) => (headers = r.responseHeaders))
    const csp = headers['Content-Security-Policy'][0]
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).not.toMatch(/connect-src[^;]*(https?:|wss?:|\*)/)
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/)
    expect(headers['X-Other']).toEqual(['1'])
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

    const otherOrigin = { url: 'https://evil.example/' }
    const fromOther = await handlers.get('app:info')!({ sender: { ...sender, mainFrame: otherOrigin }, senderFrame: otherOrigin }, {})
    expect(fromOther).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    const bad = await handlers.get('settings:update')!({ sender, senderFrame: mainFrame }, { baseUrl: 42 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
  })

  it('stores a typed key encrypted and warns when Linux falls back to basic_text', async () => {
    const handlers = fake.current!.handlers
    const mainFrame = { url: appFileUrl().toString() }
    const ev = { sender: { isDestroyed: () => false, mainFrame, send: () => {} }, senderFrame: mainFrame }
    const r = (await handlers.get('key:set')!(ev, { key: 'csk-abcdefgh12345678' })) as any
    expect(r.ok).toBe(true)
    expect(r.value).toMatchObject({ configured: true, hint: '5678', source: 'stored', backend: 'basic_text', protected: false })
    expect(r.value.warning).toMatch(/basic_text/)
    expect(JSON.stringify(r)).not.toContain('csk-abcdefgh12345678')
    const { readFileSync } = await import('node:fs')
    const onDisk = readFileSync(`${fake.current!.userData}/api-key.bin`, 'utf8')
    expect(onDisk).not.toContain('csk-abcdefgh12345678')
  })
})

