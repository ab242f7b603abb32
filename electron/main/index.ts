// Electron entry point. Deliberately thin: it creates the window, applies the
// security settings and wires ipcMain to the same services the web host uses.
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type EventName, type PayloadOf } from '../../shared/ipc/contract'
import { createAppServices } from './app-services'
import { nativePickFile } from './handlers/policies'
import { nativeConfirmKeyHost } from './services/settings/key-hosts'
import { createDispatcher } from './ipc/dispatcher'
import { makeSenderCheck, registerIpc, sendEvent } from './ipc/electron-ipc'
import { devCsp, CSP } from './security/csp'
import { hardenApp, hardenSession } from './security/harden'
import { SafeStorageBackend } from './safe-storage-backend'
import { mainWindowOptions, preloadPath } from './window'

const mainDir = path.dirname(fileURLToPath(import.meta.url))
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const indexHtml = path.join(mainDir, '../renderer/index.html')
const indexUrl = pathToFileURL(indexHtml).toString()

/** URLs that are the app itself: the bundled index.html, or the dev server. */
function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    if (devServerUrl) return u.origin === new URL(devServerUrl).origin
    return u.protocol === 'file:' && u.pathname === new URL(indexUrl).pathname
  } catch {
    return false
  }
}

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
    const dispatch = createDispatcher(services.handlers, { validateResults: !app.isPackaged })
    registerIpc(ipcMain, dispatch, makeSenderCheck(isAppUrl))

    win = new BrowserWindow(mainWindowOptions(preloadPath(mainDir)))
    win.once('ready-to-show', () => win?.show())
    if (devServerUrl) await win.loadURL(devServerUrl)
    else await win.loadFile(indexHtml)

    app.on('before-quit', () => void services.dispose())
  })

  app.on('window-all-closed', () => {
    app.quit()
  })
}
