// A recording stand-in for the `electron` module, for smoke tests of the
// built main process under plain Node (the real binary cannot be had in CI).
// Every API answers; the ones main's start-up depends on answer like Electron,
// the rest record their calls. When main loads its first page, the record is
// written to $WAFER_STAND_IN_REPORT and the process exits. A page loaded
// from a scheme main registered with protocol.handle is first fetched through
// that handler (and so are the URLs in $WAFER_STAND_IN_PROBES, a JSON array),
// the answers kept in `served`. The window then emits 'ready-to-show' (its
// first paint, in Electron); `windowTimeline` is the order of load, that
// event and every show().
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const report = { calls: [], handlers: [], windows: [], windowTimeline: [], loaded: [], protocols: [], privilegedSchemes: [], served: [], errors: [] }
const userData = process.env.WAFER_STAND_IN_USER_DATA ?? path.join(process.cwd(), 'stand-in-user-data')

function plain(value, depth = 0) {
  if (typeof value === 'function') return '[function]'
  if (value === null || typeof value !== 'object' || depth > 4) return value
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1))
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, depth + 1)]))
}

/** Any property is another recorder; any call is recorded and answers a recorder. */
function recorder(name, overrides = {}) {
  const target = function () {}
  return new Proxy(target, {
    get(_t, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop]
      if (prop === 'then' || typeof prop === 'symbol') return undefined
      return recorder(`${name}.${prop}`)
    },
    apply(_t, _this, args) {
      report.calls.push({ name, args: plain(args) })
      return recorder(`${name}()`)
    },
    construct(_t, args) {
      report.calls.push({ name: `new ${name}`, args: plain(args) })
      return recorder(`${name}#instance`)
    },
  })
}

function finish() {
  mkdirSync(path.dirname(process.env.WAFER_STAND_IN_REPORT), { recursive: true })
  writeFileSync(process.env.WAFER_STAND_IN_REPORT, JSON.stringify(report))
  process.exit(0)
}

process.on('uncaughtException', (err) => {
  report.errors.push(String(err?.stack ?? err))
  finish()
})
process.on('unhandledRejection', (err) => {
  report.errors.push(String(err?.stack ?? err))
  finish()
})

const listeners = new Map()
export const app = recorder('app', {
  isPackaged: process.env.WAFER_STAND_IN_PACKAGED === '1',
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  getPath: (name) => path.join(userData, name === 'userData' ? '' : name),
  getVersion: () => '0.0.0-stand-in',
  getName: () => 'Wafer Console',
  getAppPath: () => process.cwd(),
  on: (event, fn) => {
    listeners.set(event, fn)
    report.calls.push({ name: 'app.on', args: [event] })
    return app
  },
  quit: () => finish(),
})

export const ipcMain = recorder('ipcMain', {
  handle: (channel) => report.handlers.push(channel),
})

export const protocol = recorder('protocol', {
  registerSchemesAsPrivileged: (schemes) => {
    report.calls.push({ name: 'protocol.registerSchemesAsPrivileged', args: plain([schemes]) })
    report.privilegedSchemes.push(...plain(schemes))
  },
  handle: (scheme, handler) => {
    report.calls.push({ name: 'protocol.handle', args: [scheme] })
    report.protocols.push(scheme)
    globalThis.__standInProtocolHandlers = { ...globalThis.__standInProtocolHandlers, [scheme]: handler }
  },
})

export const safeStorage = recorder('safeStorage', {
  isAsyncEncryptionAvailable: async () => false,
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
})

export class BrowserWindow {
  static getAllWindows() {
    return []
  }
  static fromWebContents() {
    return null
  }
  constructor(options) {
    report.windows.push(plain(options))
    this.webContents = recorder('webContents')
    this.listeners = new Map()
    return new Proxy(this, {
      get(target, prop) {
        if (prop in target) return target[prop]
        if (prop === 'then' || typeof prop === 'symbol') return undefined
        return recorder(`BrowserWindow#${String(prop)}`)
      },
    })
  }
  on(event, fn) {
    report.calls.push({ name: 'BrowserWindow#on', args: [event] })
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn])
    return this
  }
  once(event, fn) {
    report.calls.push({ name: 'BrowserWindow#once', args: [event] })
    const once = (...args) => {
      this.removeListener(event, once)
      fn(...args)
    }
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), once])
    return this
  }
  removeListener(event, fn) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== fn),
    )
    return this
  }
  emit(event) {
    report.windowTimeline.push(`event:${event}`)
    for (const fn of this.listeners.get(event) ?? []) fn()
  }
  show() {
    report.windowTimeline.push('show')
  }
  async loadFile(file) {
    report.loaded.push({ kind: 'file', target: file })
    finish()
  }
  async loadURL(url) {
    report.loaded.push({ kind: 'url', target: url })
    report.windowTimeline.push('load')
    const handler = globalThis.__standInProtocolHandlers?.[new URL(url).protocol.slice(0, -1)]
    if (handler) {
      for (const u of [url, ...JSON.parse(process.env.WAFER_STAND_IN_PROBES ?? '[]')]) {
        const res = await handler(new Request(u))
        const text = await res.text()
        report.served.push({
          url: u,
          status: res.status,
          type: res.headers.get('content-type'),
          csp: res.headers.get('content-security-policy'),
          // Enough for index.html whole (its start shell included), not for a megabyte script.
          body: text.slice(0, 64_000),
        })
      }
    }
    // Chromium has painted the page's first frame.
    this.emit('ready-to-show')
    finish()
  }
}

const names = [
  'autoUpdater',
  'BaseWindow',
  'BrowserView',
  'clipboard',
  'contentTracing',
  'crashReporter',
  'desktopCapturer',
  'dialog',
  'globalShortcut',
  'inAppPurchase',
  'Menu',
  'MenuItem',
  'MessageChannelMain',
  'nativeImage',
  'nativeTheme',
  'net',
  'netLog',
  'Notification',
  'powerMonitor',
  'powerSaveBlocker',
  'pushNotifications',
  'screen',
  'session',
  'shell',
  'systemPreferences',
  'TouchBar',
  'Tray',
  'utilityProcess',
  'webContents',
  'webFrameMain',
  'WebContentsView',
  'View',
  'ShareMenu',
]
const others = Object.fromEntries(names.map((n) => [n, recorder(n)]))
export const {
  autoUpdater,
  BaseWindow,
  BrowserView,
  clipboard,
  contentTracing,
  crashReporter,
  desktopCapturer,
  dialog,
  globalShortcut,
  inAppPurchase,
  Menu,
  MenuItem,
  MessageChannelMain,
  nativeImage,
  nativeTheme,
  net,
  netLog,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  pushNotifications,
  screen,
  session,
  shell,
  systemPreferences,
  TouchBar,
  Tray,
  utilityProcess,
  webContents,
  webFrameMain,
  WebContentsView,
  View,
  ShareMenu,
} = others
export default { app, ipcMain, protocol, safeStorage, BrowserWindow, ...others }
