import path from 'node:path'

import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron'

/**
 * The renderer's webPreferences. Kept in one exported object so the security
 * test can assert every switch. webSecurity is left at its default (on).
 */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    spellcheck: false,
  }
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Wafer Console',
    backgroundColor: '#111318',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  }
}

export function preloadPath(mainDir: string): string {
  return path.join(mainDir, '../preload/index.cjs')
}

export type { BrowserWindowType }
