import path from 'node:path'

/** The product name Electron uses for the user-data directory (package.json productName). */
export const PRODUCT_NAME = 'Wafer Console'
/** The web host (`npm run web`) keeps its data apart from the desktop app's. */
export const WEB_DATA_NAME = 'wafer-console-web'

// Every path here comes from the environment it is given, never from the
// process's own: a test that passes `env: {}` must not find the real home.

/** The home directory the given environment names, if any. */
export function homeDirOf(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  return (platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME) || undefined
}

function requireHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = homeDirOf(env, platform)
  if (!home) throw new Error('Cannot tell where Wafer keeps its data: HOME is not set. Set WAFER_USER_DATA (or HOME) and try again.')
  return home
}

/** The folder per-user app data goes in, as Electron's app.getPath('appData') computes it. */
function appDataBase(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return path.join(requireHome(env, platform), 'Library', 'Application Support')
  if (platform === 'win32') return env.APPDATA || path.join(requireHome(env, platform), 'AppData', 'Roaming')
  return env.XDG_CONFIG_HOME || path.join(requireHome(env, platform), '.config')
}

/**
 * Where the desktop app keeps its data, computed the way Electron does
 * (app.getPath('userData')), so headless commands find the same files.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WAFER_USER_DATA) return env.WAFER_USER_DATA
  return path.join(appDataBase(env, platform), PRODUCT_NAME)
}

/** Where the web host keeps settings and the database when not told. */
export function defaultWebUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WAFER_USER_DATA) return env.WAFER_USER_DATA
  return path.join(appDataBase(env, platform), WEB_DATA_NAME)
}

/** The gateway's audit log, shared by the app, `wafer gateway run` and `wafer audit verify`. */
export function defaultAuditDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.WAFER_AUDIT_DB ?? path.join(defaultUserDataDir(env), 'audit', 'audit.db')
}

/**
 * The key file of a PostgreSQL audit log when none is named: $WAFER_AUDIT_KEY_FILE,
 * else one per database in the user-data audit folder
 * (<user data>/audit/postgres-<host>-<port>-<database>.key). Every replica
 * writing the same log needs the same key file: name it (--audit-key-file)
 * and hand it to each as a secret.
 */
export function defaultAuditKeyFile(url: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.WAFER_AUDIT_KEY_FILE) return env.WAFER_AUDIT_KEY_FILE
  return path.join(defaultUserDataDir(env), 'audit', auditKeyFileName(url))
}

/** postgres-<host>-<port>-<database>.key, for the database `url` names. */
export function auditKeyFileName(url: string): string {
  let name = 'postgres'
  try {
    const u = new URL(url)
    name = `postgres-${u.hostname}-${u.port || '5432'}-${decodeURIComponent(u.pathname.replace(/^\//, ''))}`
  } catch {
    // an unparsable URL is refused where it is opened; the name only has to be a name
  }
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.key`
}
