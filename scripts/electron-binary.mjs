// Finds the Electron executable for `npm start`, downloading it first through
// Electron's own installer when it is missing.
//
// Why: Electron 45 no longer downloads its binary at `npm install` (its
// index.js does it lazily on the first `require('electron')`), while
// electron-vite only reads node_modules/electron/path.txt and dies with
// "Electron uninstall" when it is not there yet.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/'

/** The executable's path inside Electron's dist folder, as Electron's install.js names it. */
export function platformExecutable(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/** Where Electron keeps (or would keep) its binary for this project. */
export function locateElectron(projectRoot, env = process.env) {
  const require = createRequire(path.join(projectRoot, 'package.json'))
  let packageFile
  try {
    packageFile = require.resolve('electron/package.json')
  } catch {
    return { ok: false, reason: 'the electron package is not installed (run npm install)' }
  }
  const dir = path.dirname(packageFile)
  const version = JSON.parse(readFileSync(packageFile, 'utf8')).version
  if (env.ELECTRON_EXEC_PATH) return { ok: true, dir, version, executable: env.ELECTRON_EXEC_PATH, source: 'ELECTRON_EXEC_PATH' }
  const pathFile = path.join(dir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExecutable()
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { ok: true, dir, version, executable: path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative), source: 'ELECTRON_OVERRIDE_DIST_PATH' }
  }
  return { ok: true, dir, version, executable: path.join(dir, 'dist', relative), source: 'download' }
}

function installedVersion(dir) {
  try {
    return readFileSync(path.join(dir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '')
  } catch {
    return null
  }
}

/** True when the executable is there and, for a downloaded one, of the version package.json asks for. */
export function isPresent(found) {
  if (!existsSync(found.executable)) return false
  return found.source !== 'download' || installedVersion(found.dir) === found.version
}

/** The one line worth showing from a failed installer's output (no stack trace). */
export function installerReason(output) {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  const error = lines.find((l) => /^(\w+Error|Error)\b.*:/.test(l)) ?? lines.find((l) => !l.startsWith('at ')) ?? 'the installer failed'
  const cause = lines.find((l) => /\b(E[A-Z]{3,}|getaddrinfo|certificate|Response code \d+)\b/.test(l) && l !== error)
  const text = error.replace(/^\w*Error:\s*/, '')
  return cause ? `${text} (${cause.replace(/^\[?cause\]?:?\s*/i, '')})` : text
}

/**
 * Runs Electron's installer (node_modules/electron/install.js) with a
 * progress line. Resolves to { ok: true } or { ok: false, reason }.
 */
export function downloadElectron(found, { env = process.env, stream = process.stderr, tickMs = 1000 } = {}) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || DEFAULT_MIRROR
  const tty = Boolean(stream.isTTY)
  stream.write(`Electron ${found.version} is not downloaded yet: fetching it once with Electron's installer from ${mirror}\n`)
  const started = Date.now()
  let lastShown = 0
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000)
    if (tty) stream.write(`\r  downloading… ${seconds} s`)
    else if (seconds - lastShown >= 10) {
      lastShown = seconds
      stream.write(`  still downloading… ${seconds} s\n`)
    }
  }, tickMs)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(found.dir, 'install.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const finish = (result) => {
      clearInterval(timer)
      if (tty) stream.write('\n')
      resolve(result)
    }
    child.on('error', (err) => finish({ ok: false, reason: err.message }))
    child.on('close', (code) => {
      if (code !== 0) return finish({ ok: false, reason: installerReason(output), mirror })
      if (!isPresent(found)) return finish({ ok: false, reason: `the installer finished, but there is no executable at ${found.executable}`, mirror })
      stream.write(`  Electron ${found.version} is ready (${((Date.now() - started) / 1000).toFixed(1)} s).\n`)
      finish({ ok: true })
    })
  })
}

/** What to tell a user whose Electron binary cannot be had. */
export function cannotStartMessage(found, result) {
  const lines = [`Cannot start the desktop app: the Electron ${found.version} binary could not be downloaded.`]
  const where = result.mirror && !result.reason.includes(result.mirror) ? ` (from ${result.mirror})` : ''
  lines.push(`  Reason: ${result.reason}${where}`)
  lines.push('  `npm run web` runs the same app in your browser, with nothing to download.')
  lines.push('  To fetch Electron later: `npx install-electron --no`, or set ELECTRON_MIRROR to a mirror you can reach.')
  return lines.join('\n') + '\n'
}

/**
 * The executable to launch, downloading it first when needed.
 * Resolves to { ok: true, executable } or { ok: false, message }.
 */
export async function ensureElectron(projectRoot, options = {}) {
  const env = options.env ?? process.env
  const found = locateElectron(projectRoot, env)
  if (!found.ok) return { ok: false, message: `Cannot start the desktop app: ${found.reason}.\n` }
  if (isPresent(found)) return { ok: true, executable: found.executable }
  if (found.source !== 'download') {
    return { ok: false, message: `Cannot start the desktop app: ${found.source} names ${found.executable}, which does not exist.\n` }
  }
  const result = await downloadElectron(found, options)
  return result.ok ? { ok: true, executable: found.executable } : { ok: false, message: cannotStartMessage(found, result) }
}
