import { spawn } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, describe, expect, it } from 'vitest'

// `npm start` on a fresh machine: Electron 45 downloads its binary lazily, and
// electron-vite only reads node_modules/electron/path.txt. scripts/start.mjs
// fetches the binary through Electron's own installer first, or says what to do.

const root = fileURLToPath(new URL('../../../', import.meta.url))
const temps: string[] = []
const tempDir = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix))
  temps.push(d)
  return d
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true })
})

/** An environment without anything of this machine's that could change the outcome. */
function cleanEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(ELECTRON_|npm_config_electron|electron_config)/i.test(k)) continue
    env[k] = v
  }
  return { ...env, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), electron_config_cache: path.join(home, 'electron-cache'), ...extra }
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('close', (code) => resolve({ code, output }))
  })
}

describe('npm start', () => {
  it('launches the Electron executable with the built main entry and the renderer dev server', async () => {
    const dir = tempDir('wafer-start-')
    const record = path.join(dir, 'record.json')
    // A stand-in Electron (Electron honours ELECTRON_OVERRIDE_DIST_PATH) that records how it was started.
    const standIn = path.join(dir, 'dist', 'electron')
    mkdirSync(path.dirname(standIn))
    writeFileSync(
      standIn,
      `#!${process.execPath}
const { writeFileSync } = require('node:fs')
fetch(process.env.ELECTRON_RENDERER_URL)
  .then((r) => r.text())
  .then((html) => writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), html })))
`,
    )
    chmodSync(standIn, 0o755)
    const out = path.join(dir, 'out')
    const entry = path.join(out, 'main', 'index.js')
    const r = await run('npm', ['start', '--', '--outDir', out, '--entry', entry, '--logLevel', 'warn'], {
      cwd: root,
      env: cleanEnv(dir, { ELECTRON_OVERRIDE_DIST_PATH: path.dirname(standIn) }),
    })
    expect(r.code, r.output).toBe(0)
    const started = JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; cwd: string; html: string }
    expect(started.argv[0]).toBe(entry)
    expect(started.cwd).toBe(path.resolve(root))
    // The entry it was given is the freshly built main process, next to its preload.
    expect(readFileSync(entry, 'utf8')).toContain('requestSingleInstanceLock')
    expect(existsSync(path.join(out, 'preload', 'index.cjs'))).toBe(true)
    // …and the renderer it was pointed at is being served.
    expect(started.html).toContain('<div id="root">')
  }, 120_000)

  describe('when the Electron binary cannot be downloaded', () => {
    let server: Server
    afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

    it('says what failed and that npm run web runs the same app, with no stack trace', async () => {
      // A project whose electron package has no binary yet, as after `npm install` on a new machine.
      const project = tempDir('wafer-fresh-')
      const modules = path.join(project, 'node_modules')
      mkdirSync(modules)
      cpSync(path.join(root, 'node_modules', 'electron'), path.join(modules, 'electron'), {
        recursive: true,
        filter: (src) => !/[/\\]electron[/\\](dist|path\.txt)$/.test(src),
      })
      for (const scope of ['@electron', '@electron-internal']) symlinkSync(path.join(root, 'node_modules', scope), path.join(modules, scope), 'dir')
      writeFileSync(path.join(project, 'package.json'), readFileSync(path.join(root, 'package.json')))

      // The download mirror answers 404 to everything, and notes what was asked.
      const asked: string[] = []
      server = createServer((req, res) => {
        asked.push(req.url ?? '')
        res.writeHead(404).end('not here')
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

      const r = await run(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
        cwd: project,
        env: cleanEnv(project, { ELECTRON_MIRROR: mirror }),
      })
      expect(r.code).not.toBe(0)
      // Electron's own installer made the attempt.
      const version = JSON.parse(readFileSync(path.join(modules, 'electron', 'package.json'), 'utf8')).version as string
      expect(asked.some((u) => u.includes(`electron-v${version}-`))).toBe(true)
      expect(r.output).toContain(`Electron ${version} is not downloaded yet`)
      expect(r.output).toContain('could not be downloaded')
      expect(r.output).toMatch(/Reason: .*404/)
      expect(r.output).toContain('npm run web')
      expect(r.output).not.toMatch(/^\s+at /m)
      expect(existsSync(path.join(modules, 'electron', 'path.txt'))).toBe(false)
    }, 60_000)
  })
})
