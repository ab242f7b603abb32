// Rebuild a part of out/ when it is missing or older than its sources, once:
// bin/wafer.mjs (the command line), scripts/run-web.mjs (the web host and the
// renderer) and the test setup share this. Concurrent callers (two `wafer`
// commands, test files started together) wait for one build instead of
// racing on the same folder.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * What can be built. `outputs` are the files whose age decides; `sources`
 * what they are built from (folders are walked; a folder's own time counts
 * too, so a deleted file makes the build stale).
 */
export const TARGETS = {
  // electron-vite's main build: the app's main process, the command line and the web host.
  main: {
    outputs: ['out/main/cli.js', 'out/main/web-host.js'],
    sources: ['electron', 'shared', 'package.json', 'electron.vite.config.ts'],
    command: ['scripts/build-main.mjs'],
  },
  renderer: {
    outputs: ['out/renderer/index.html'],
    sources: ['renderer', 'shared'],
    command: ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
  },
}

function newestMtime(p) {
  const st = statSync(p, { throwIfNoEntry: false })
  if (!st) return 0
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)))
  return newest
}

/**
 * True when an output is missing or older than the newest source. False
 * outside a source checkout (nothing to build from). `at`: the checkout.
 */
export function isStale(name, at = root) {
  const t = TARGETS[name]
  if (!existsSync(path.join(at, t.sources[0]))) return false
  let oldestOutput = Infinity
  for (const o of t.outputs) {
    const st = statSync(path.join(at, o), { throwIfNoEntry: false })
    if (!st) return true
    oldestOutput = Math.min(oldestOutput, st.mtimeMs)
  }
  return t.sources.some((s) => newestMtime(path.join(at, s)) > oldestOutput)
}

/**
 * Build `name` if it is stale, saying so in one line on stderr (`label`,
 * e.g. "the command line"). Throws when the build fails.
 */
export function ensureBuilt(name, label, at = root) {
  if (!isStale(name, at)) return
  withLock(path.join(at, 'out', `.${name}.build-lock`), () => {
    // Another process may have built it while this one waited.
    if (!isStale(name, at)) return
    process.stderr.write(`Building ${label}…\n`)
    const t = TARGETS[name]
    // Sources edited during the build are newer than this, so the next run rebuilds.
    const started = new Date()
    const r = spawnSync(process.execPath, t.command, {
      cwd: at,
      stdio: ['ignore', 'inherit', 'inherit'],
      // Always the production bundle, whatever NODE_ENV the caller has (vitest sets "test").
      // The renderer's vite config imports TypeScript (the CSP, the IPC contract's channel names) through Vite's
      // bundling config loader; its notice about a future 'native' loader would list every such import on each build.
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    })
    if (r.status !== 0) throw new Error(`Building ${label} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`)
    for (const o of t.outputs) utimesSync(path.join(at, o), started, started)
  })
}

/** Runs fn holding `lock` (a directory: creating one is atomic); waits while another live process holds it. */
function withLock(lock, fn) {
  const owner = path.join(lock, 'pid')
  mkdirSync(path.dirname(lock), { recursive: true })
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
    }
    if (abandoned(lock, owner)) rmSync(lock, { recursive: true, force: true })
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
  }
  try {
    writeFileSync(owner, String(process.pid))
    return fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** The holder died (or never wrote its pid, for longer than any build takes to start). */
function abandoned(lock, owner) {
  let pid
  try {
    pid = Number(readFileSync(owner, 'utf8'))
  } catch {
    const st = statSync(lock, { throwIfNoEntry: false })
    return st ? Date.now() - st.mtimeMs > 10_000 : false
  }
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return err.code === 'ESRCH'
  }
}
