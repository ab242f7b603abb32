import os from 'node:os'
import path from 'node:path'

/** The product name Electron uses for the user-data directory (package.json productName). */
export const PRODUCT_NAME = 'Wafer Console'

/**
 * Where the desktop app keeps its data, computed the way Electron does
 * (app.getPath('userData')), so headless commands find the same files.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WAFER_USER_DATA) return env.WAFER_USER_DATA
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), PRODUCT_NAME)
}

/** The gateway's audit log, shared by the app, `wafer gateway run` and `wafer audit verify`. */
export function defaultAuditDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.WAFER_AUDIT_DB ?? path.join(defaultUserDataDir(env), 'audit', 'audit.db')
}
