import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))

describe('npm run build (electron-vite)', () => {
  it('builds main, a self-contained sandbox-ready preload, and a renderer with the CSP', () => {
    // Into a directory of its own, so the e2e tests' out/renderer is never rebuilt under them.
    const out = mkdtempSync(path.join(os.tmpdir(), 'wafer-build-'))
    const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', out, '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    expect(existsSync(`${out}/main/index.js`)).toBe(true)
    const preload = readFileSync(`${out}/preload/index.cjs`, 'utf8')
    // A sandboxed preload can require nothing but electron.
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(preload).toContain('exposeInMainWorld')
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/)
    const html = readFileSync(`${out}/renderer/index.html`, 'utf8')
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'self'/)
  }, 120_000)
})
