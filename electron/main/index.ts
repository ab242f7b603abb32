// Electron entry point. Deliberately thin: it creates the window, applies the
// security settings and wires ipcMain to the same services the web host uses.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron'

import { type EventName, type PayloadOf } from '../../shared/ipc/contract'
import { createAppServices } from './app-services'
import { nativePickFile } from './handlers/policies'
import { createDispatcher } from './ipc/dispatcher'
import { makeSenderCheck, registerIpc, sendEvent } from './ipc/electron-ipc'
import { htmlWithTheme } from './page-theme'
import { SafeStorageBackend } from './safe-storage-backend'
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, isAppOrigin, serveAppFile } from './security/app-protocol'
import { CSP, devCsp } from './security/csp'
import { hardenApp, hardenSession } from './security/harden'
import { nativeConfirmKeyHost } from './services/settings/key-hosts'
import { mainWindowOptions, preloadPath } from './window'

const mainDir = path.dirname(fileURLToPath(import.meta.url))
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const rendererDir = path.join(mainDir, '../renderer')

/** URLs that are the app itself: app://wafer/ (never file://), or the dev server in development. */
function isAppUrl(raw: string): boolean {
  try {
    if (devServerUrl) return new URL(raw).origin === new URL(devServerUrl).origin
    return isAppOrigin(raw)
  } catch {
    return false
  }
}

// Before ready: every renderer sandboxed, and app:// a standard, secure scheme of its own.
app.enableSandbox()
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let win: BrowserWindow | null = null
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })

  hardenApp(app, shell, isAppUrl)

  const broadcast = <E extends EventName>(event: E, payload: PayloadOf<E>) => {
    for (const w of BrowserWindow.getAllWindows()) sendEvent(w.webContents, event, payload)
  }

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, devServerUrl ? devCsp(devServerUrl) : CSP)
    // Only files under out/renderer, with their MIME types; anything else is 404.
    // index.html goes with the theme the user chose, for its first frame (page-theme.ts); none before the settings load.
    let chosenTheme: () => 'system' | 'light' | 'dark' = () => 'system'
    protocol.handle(APP_SCHEME, (request) => serveAppFile(rendererDir, request.url, request.method, (html) => htmlWithTheme(html, chosenTheme())))
    const services = await createAppServices({
      userDataDir: app.getPath('userData'),
      env: process.env,
      secretBackend: new SafeStorageBackend(safeStorage, process.platform),
      host: 'electron',
      version: app.getVersion(),
      platform: process.platform,
      openExternal: (url) => shell.openExternal(url),
      // Native open/save dialogs for policy files (the web host takes typed paths instead).
      pickFile: nativePickFile(dialog),
      // Allowing a host for the key is confirmed here, in a dialog the renderer cannot answer.
      confirmKeyHost: nativeConfirmKeyHost(dialog),
      broadcast,
    })
    chosenTheme = () => services.settings.current.theme
    const dispatch = createDispatcher(services.handlers, { validateResults: !app.isPackaged })
    registerIpc(ipcMain, dispatch, makeSenderCheck(isAppUrl))

    win = new BrowserWindow(mainWindowOptions(preloadPath(mainDir)))
    win.once('ready-to-show', () => win?.show())
    if (devServerUrl) await win.loadURL(devServerUrl)
    else await win.loadURL(APP_INDEX_URL)

    app.on('before-quit', () => void services.dispose())
  })

  app.on('window-all-closed', () => {
    app.quit()
  })
}
