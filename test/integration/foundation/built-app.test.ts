import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { builtinModules } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'

import { createPackage, listPackage } from '@electron/asar'
import { channelNames, methodName } from '@shared/ipc/contract'
import { init as initLexer, parse as parseImports } from 'es-module-lexer'
import { minimatch } from 'minimatch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'

// A smoke test of what `npm run build` produces, not of the sources: the built
// main process is started under Node with a recording stand-in for `electron`,
// the preload runs in a vm context with a stand-in contextBridge, and every
// path main resolves at run time is checked in the build output, both as built
// and in the app.asar layout electron-builder packs.

const root = fileURLToPath(new URL('../../../', import.meta.url))
const standIn = fileURLToPath(new URL('../../support/register-electron-stand-in.mjs', import.meta.url))

let work: string
/** The app's root as electron-builder sees it: package.json, out/, node_modules. */
let app: string
let out: string

interface StandInReport {
  handlers: string[]
  windows: Array<{ show?: boolean; webPreferences?: Record<string, unknown> }>
  /** The window's load, its events and its show() calls, in order. */
  windowTimeline: string[]
  loaded: Array<{ kind: 'file' | 'url'; target: string }>
  protocols: string[]
  privilegedSchemes: Array<{ scheme: string; privileges: Record<string, unknown> }>
  served: Array<{ url: string; status: number; type: string | null; csp: string | null; body: string }>
  errors: string[]
  calls: Array<{ name: string; args: unknown[] }>
}
let report: StandInReport
/** The token worker's file name in out/renderer/assets. */
let tokenWorker: string

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? filesUnder(p) : [p]
  })
}

/** Relative paths (./x, ../x) each built file resolves with new URL(…, import.meta.url) or a variable holding it. */
function runtimeUrls(): Array<{ from: string; target: string }> {
  const found: Array<{ from: string; target: string }> = []
  for (const file of filesUnder(path.join(out, 'main')).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/new URL\(\s*["'](\.{1,2}\/[^"']*)["']\s*,\s*[\w.]+\s*\)/g)) {
      found.push({ from: file, target: path.resolve(path.dirname(file), m[1]) })
    }
  }
  return found
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'wafer-built-'))
  app = path.join(work, 'app')
  out = path.join(app, 'out')
  mkdirSync(app)
  copyFileSync(path.join(root, 'package.json'), path.join(app, 'package.json'))
  symlinkSync(path.join(root, 'node_modules'), path.join(app, 'node_modules'), 'dir')
  const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', out, '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  })
  expect(build.status, build.stderr).toBe(0)

  // The token worker, a file of its own the renderer starts (lib/tokens/count-tokens.ts): served like every other.
  tokenWorker = readdirSync(path.join(out, 'renderer', 'assets')).find((f) => /^token-worker-[\w-]+\.js$/.test(f)) ?? 'token-worker-missing.js'
  const reportFile = path.join(work, 'report.json')
  const main = path.join(app, JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')).main as string)
  const run = spawnSync(process.execPath, ['--import', standIn, main], {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      HOME: work,
      WAFER_STAND_IN_REPORT: reportFile,
      WAFER_STAND_IN_USER_DATA: path.join(work, 'user-data'),
      WAFER_STAND_IN_PACKAGED: '1',
      WAFER_STAND_IN_PROBES: JSON.stringify([
        'app://wafer/../package.json',
        'app://wafer/%2e%2e/package.json',
        'app://wafer/%2e%2e%2fmain%2findex.js',
        'app://wafer/nope.js',
        'app://other/index.html',
        `app://wafer/assets/${tokenWorker}`,
      ]),
      ELECTRON_RENDERER_URL: '',
    },
  })
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
  report = JSON.parse(readFileSync(reportFile, 'utf8')) as StandInReport
}, 180_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the built main process (out/main)', () => {
  it('starts without an error and opens one window with the security settings, hidden until its first paint', () => {
    expect(report.errors).toEqual([])
    expect(report.windows).toHaveLength(1)
    const [win] = report.windows
    expect(win.show).toBe(false)
    // Shown once, when its first frame is painted (ready-to-show), never blank before.
    expect(report.windowTimeline).toEqual(['load', 'event:ready-to-show', 'show'])
    expect(win.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
    })
    // Every permission is refused and the CSP is set on the session.
    const names = report.calls.map((c) => c.name)
    expect(names).toContain('session.defaultSession.setPermissionRequestHandler')
    expect(names).toContain('session.defaultSession.webRequest.onHeadersReceived')
  })

  it('serves the renderer from app://wafer (not file://) through its protocol handler, sandboxed', () => {
    expect(report.loaded).toEqual([{ kind: 'url', target: 'app://wafer/index.html' }])
    expect(report.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }])
    expect(report.protocols).toEqual(['app'])
    const [page, ...probes] = report.served
    expect(page).toMatchObject({ url: 'app://wafer/index.html', status: 200, type: 'text/html; charset=utf-8' })
    expect(page.body).toBe(readFileSync(path.join(out, 'renderer', 'index.html'), 'utf8'))
    expect(page.csp).toContain("script-src 'self'")
    // frame-ancestors only as a header: browsers ignore it in a meta tag and log an error on every load.
    expect(page.csp).toContain("frame-ancestors 'none'")
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page.body)
    expect(meta?.[1]).toContain("script-src 'self'")
    expect(meta?.[1]).not.toContain('frame-ancestors')
    // Only files under out/renderer.
    for (const p of probes.filter((p) => !p.url.endsWith(tokenWorker))) expect({ url: p.url, status: p.status }).toEqual({ url: p.url, status: 404 })
    const names = report.calls.map((c) => c.name)
    // Sandbox and scheme before ready (the stand-in's whenReady resolves at once, so order is the proof).
    expect(names.indexOf('app.enableSandbox')).toBeGreaterThanOrEqual(0)
    expect(names.indexOf('app.enableSandbox')).toBeLessThan(names.indexOf('protocol.handle'))
    expect(names.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(names.indexOf('protocol.handle'))
  })

  it('builds the renderer minified, its token worker served from app://wafer as JavaScript under the CSP', () => {
    const assets = path.join(out, 'renderer', 'assets')
    for (const f of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(path.join(assets, f), 'utf8')
      // Minified: long lines, not one statement per line (tiny chunks are a line or two either way).
      if (text.length < 4096) continue
      expect(text.length / text.split('\n').length, f).toBeGreaterThan(200)
    }
    const worker = report.served.find((s) => s.url === `app://wafer/assets/${tokenWorker}`)
    expect(worker).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' })
    // No worker-src: workers fall back to script-src 'self', so the app's own worker may start and nothing else.
    expect(worker?.csp).toContain("script-src 'self'")
    expect(worker?.csp).not.toMatch(/worker-src|child-src/)
  })

  it('packages with the file:// extra-privileges fuse off (the app needs no file:// page)', () => {
    const config = parseYaml(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> }
    expect(config.electronFuses.grantFileProtocolExtraPrivileges).toBe(false)
  })

  it('refuses device, screen-capture, HID, serial and USB requests on the session', () => {
    const names = report.calls.map((c) => c.name)
    expect(names).toContain('session.defaultSession.setDevicePermissionHandler')
    expect(names).toContain('session.defaultSession.setDisplayMediaRequestHandler')
    const sessionEvents = report.calls.filter((c) => c.name === 'session.defaultSession.on').map((c) => c.args[0])
    expect(sessionEvents).toEqual(expect.arrayContaining(['select-hid-device', 'select-serial-port', 'select-usb-device']))
  })

  it('registers a handler for every channel of the contract, and nothing else', () => {
    expect([...report.handlers].sort()).toEqual([...channelNames].sort())
  })

  it('finds every file it loads at run time in the build output', () => {
    const preload = report.windows[0].webPreferences?.preload as string
    expect(existsSync(preload), preload).toBe(true)
    expect(report.loaded).toHaveLength(1)
    const page = report.loaded[0]
    if (page.kind === 'file') expect(existsSync(page.target), page.target).toBe(true)
    const urls = runtimeUrls()
    // The audit writer thread is one of them (the gateway and in-app auditing start it).
    expect(urls.some((u) => u.target.endsWith('audit-writer-worker.js'))).toBe(true)
    for (const u of urls) expect(existsSync(u.target), `${path.relative(out, u.from)} → ${path.relative(out, u.target)}`).toBe(true)
  })

  it('imports only packages that are production dependencies (electron-builder packs no others)', async () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    const builtins = new Set(builtinModules)
    const imported = new Set<string>()
    // A real module lexer, so words in comments and strings (… from "no") are not taken for imports.
    await initLexer
    for (const file of filesUnder(path.join(out, 'main')).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(file, 'utf8')
      const [imports] = parseImports(text)
      for (const spec of imports.map((i) => i.n).filter((n): n is string => n !== undefined && !n.startsWith('.'))) {
        if (spec.startsWith('node:') || builtins.has(spec.split('/')[0])) continue
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])
      }
    }
    imported.delete('electron')
    expect(imported.size).toBeGreaterThan(0)
    const missing = [...imported].filter((name) => !(name in pkg.dependencies))
    expect(missing).toEqual([])
  })

  it('keeps every one of those paths inside app.asar as electron-builder packs it', async () => {
    // Stage the files electron-builder.yml selects, pack them with Electron's asar tool, and look inside.
    const config = parseYaml(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] }
    const include = config.files.filter((p) => !p.startsWith('!'))
    const exclude = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1))
    const stage = path.join(work, 'stage')
    for (const file of [path.join(app, 'package.json'), ...filesUnder(out)]) {
      const rel = path.relative(app, file).split(path.sep).join('/')
      if (!include.some((p) => minimatch(rel, p, { dot: true })) || exclude.some((p) => minimatch(rel, p, { dot: true }))) continue
      mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true })
      cpSync(file, path.join(stage, rel))
    }
    const asarFile = path.join(work, 'app.asar')
    await createPackage(stage, asarFile)
    expect(statSync(asarFile).size).toBeGreaterThan(0)
    const inside = new Set(listPackage(asarFile, { isPack: false }).map((p) => p.split(path.sep).join('/').replace(/^\//, '')))

    const pkg = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as { main: string }
    const needed = [
      path.join(app, pkg.main),
      report.windows[0].webPreferences?.preload as string,
      ...report.loaded.filter((l) => l.kind === 'file').map((l) => l.target),
      ...runtimeUrls()
        .map((u) => u.target)
        .filter((t) => t.startsWith(out) && t !== out),
    ]
    for (const file of needed) {
      const rel = path.relative(app, file).split(path.sep).join('/')
      expect(inside.has(rel), `${rel} is not in app.asar`).toBe(true)
    }
    expect(inside.has('package.json')).toBe(true)
    expect([...inside].some((p) => p.endsWith('.map'))).toBe(false)
  })
})

describe('the built preload (out/preload/index.cjs)', () => {
  it('exposes exactly one method per contract channel, plus on(), and nothing of ipcRenderer', () => {
    const exposed: Record<string, Record<string, unknown>> = {}
    const invoked: string[] = []
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, api: Record<string, unknown>) => {
          exposed[name] = api
        },
      },
      ipcRenderer: {
        invoke: (channel: string) => {
          invoked.push(channel)
          return Promise.resolve({ ok: true, value: null })
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
    }
    const required: string[] = []
    const module = { exports: {} }
    // A sandboxed preload gets a require that knows only electron (and a few
    // Electron-provided modules); anything else would fail in the real app.
    const context = vm.createContext({
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id)
        if (id === 'electron') return electron
        throw new Error(`a sandboxed preload cannot require ${id}`)
      },
      console,
      setTimeout,
      clearTimeout,
      Promise,
    })
    vm.runInContext(readFileSync(path.join(out, 'preload', 'index.cjs'), 'utf8'), context, { filename: 'index.cjs' })
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(Object.keys(exposed)).toEqual(['wafer'])
    const expected = [...channelNames.map(methodName), 'on'].sort()
    expect(Object.keys(exposed.wafer).sort()).toEqual(expected)
    for (const value of Object.values(exposed.wafer)) expect(typeof value).toBe('function')

    // Each method invokes its own channel and no other.
    const first = channelNames[0]
    void (exposed.wafer[methodName(first)] as (a: unknown) => Promise<unknown>)({})
    expect(invoked).toEqual([first])
  })
})
