import { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { BrowserWindowConstructorOptions } from 'electron'

/** Any listener Electron might call, each event with its own arguments; the fake only stores and replays them. */
type Listener = Parameters<EventEmitter['on']>[1]
type HeadersDetails = { responseHeaders?: Record<string, string[]> }
/** What the registered IPC handlers read of an invoke event (the sender check). */
type InvokeEvent = { sender: unknown; senderFrame: unknown }

/**
 * A stand-in for the `electron` module, recording what the main process asks
 * of it so the security test can assert the window, session and IPC setup.
 */
export function createFakeElectron() {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'wafer-electron-'))
  const appEvents = new EventEmitter()
  let resolveReady!: () => void
  const ready = new Promise<void>((r) => (resolveReady = () => (lifecycle.push('ready'), r())))

  const windows: FakeWindow[] = []
  class FakeWindow {
    static getAllWindows = () => windows
    options: BrowserWindowConstructorOptions
    loaded: { file?: string; url?: string } = {}
    webContents = { send: () => {}, isDestroyed: () => false }
    constructor(options: BrowserWindowConstructorOptions) {
      this.options = options
      windows.push(this)
    }
    once() {}
    show() {}
    isMinimized() {
      return false
    }
    restore() {}
    focus() {}
    async loadFile(file: string) {
      this.loaded.file = file
    }
    async loadURL(url: string) {
      this.loaded.url = url
    }
  }

  const handlers = new Map<string, (event: InvokeEvent, args: unknown) => Promise<unknown>>()
  const sessionEvents = new EventEmitter()
  const session = {
    devicePermission: undefined as undefined | ((details: unknown) => boolean),
    displayMedia: undefined as undefined | ((request: unknown, cb: (streams: Record<string, unknown>) => void) => void),
    events: sessionEvents,
    setDevicePermissionHandler(h: (details: unknown) => boolean) {
      this.devicePermission = h
    },
    setDisplayMediaRequestHandler(h: (request: unknown, cb: (streams: Record<string, unknown>) => void) => void) {
      this.displayMedia = h
    },
    on(ev: string, fn: Listener) {
      sessionEvents.on(ev, fn)
      return this
    },
    permissionHandler: undefined as undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    headersHook: undefined as undefined | ((details: HeadersDetails, cb: (r: HeadersDetails) => void) => void),
    setPermissionRequestHandler(h: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void) {
      this.permissionHandler = h
    },
    setPermissionCheckHandler(h: () => boolean) {
      this.permissionCheck = h
    },
    webRequest: {
      onHeadersReceived(h: (details: HeadersDetails, cb: (r: HeadersDetails) => void) => void) {
        session.headersHook = h
      },
    },
  }
  const opened: string[] = []
  /** In call order: what main did before and after ready (sandbox, scheme, protocol handler). */
  const lifecycle: string[] = []
  const privilegedSchemes: unknown[] = []
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>()

  const electron = {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => true,
      on: (ev: string, fn: Listener) => appEvents.on(ev, fn),
      whenReady: () => ready,
      getPath: (name: string) => (name === 'userData' ? userData : os.tmpdir()),
      getVersion: () => '0.0.0-test',
      quit: () => {},
      enableSandbox: () => void lifecycle.push('enableSandbox'),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        lifecycle.push('registerSchemesAsPrivileged')
        privilegedSchemes.push(...schemes)
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        lifecycle.push(`handle:${scheme}`)
        protocolHandlers.set(scheme, handler)
      },
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: InvokeEvent, args: unknown) => Promise<unknown>) => handlers.set(channel, fn),
    },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptStringAsync: async (s: string) => Buffer.from(s.split('').reverse().join('')),
      decryptStringAsync: async (b: Buffer) => ({ result: b.toString().split('').reverse().join(''), shouldReEncrypt: false }),
    },
    session: { defaultSession: session },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true, filePath: undefined }),
    },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url)
      },
    },
  }

  return { electron, appEvents, resolveReady, windows, handlers, session, opened, userData, lifecycle, privilegedSchemes, protocolHandlers }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>
