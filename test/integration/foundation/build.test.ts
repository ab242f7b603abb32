import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { openAuditLog } from '@main/services/audit'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))

describe('npm run build (electron-vite)', () => {
  it('builds main (with the command line and the web host), a self-contained sandbox-ready preload, and a renderer with the CSP', () => {
    // Into a directory of its own, so the e2e tests' out/renderer is never rebuilt under them.
    const out = mkdtempSync(path.join(os.tmpdir(), 'wafer-build-'))
    const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', out, '--logLevel', 'warn'], {
      cwd: root,
      encoding: 'utf8',
    })
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

    // The audit writer thread is its own entry beside index.js, named from the
    // code beside it that starts it (index.js, the CLI and the web host share
    // that code in a chunk), and it runs: open a log, write, close.
    const beside = readdirSync(`${out}/main`).filter((f) => f.endsWith('.js'))
    expect(beside.filter((f) => readFileSync(`${out}/main/${f}`, 'utf8').includes('"./audit-writer-worker.js"')).length).toBeGreaterThan(0)
    symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir')

    // The same build makes the command line and the web host, run by plain Node.
    expect(existsSync(`${out}/main/web-host.js`)).toBe(true)
    const version = spawnSync(process.execPath, [`${out}/main/cli.js`, '--version'], { cwd: out, encoding: 'utf8' })
    expect(version.status, version.stderr).toBe(0)
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version)
    const db = path.join(out, 'audit.db')
    const script = `
      import { Worker } from 'node:worker_threads'
      const w = new Worker(${JSON.stringify(`${out}/main/audit-writer-worker.js`)}, { workerData: { options: { file: ${JSON.stringify(db)} } } })
      w.on('message', (m) => {
        if (m.type === 'ready') {
          w.postMessage({ type: 'append', entries: [{ kind: 'request', requestId: 'built-1', time: Date.now() }] })
          w.postMessage({ type: 'close', id: 1 })
        } else if (m.type === 'done') { console.log('closed'); process.exit(0) }
        else { console.error(JSON.stringify(m)); process.exit(1) }
      })
      w.on('error', (e) => { console.error(e.message); process.exit(1) })`
    writeFileSync(path.join(out, 'check-worker.mjs'), script)
    const run = spawnSync(process.execPath, [path.join(out, 'check-worker.mjs')], { cwd: out, encoding: 'utf8', timeout: 30_000 })
    expect(run.status, run.stderr).toBe(0)
    const log = openAuditLog({ file: db, create: false })
    try {
      expect(log.query({ limit: 5 }).records.map((r) => r.requestId)).toEqual(['built-1'])
    } finally {
      log.close()
    }
  }, 120_000)
})
