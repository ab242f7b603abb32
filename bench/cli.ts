// npm run bench -- cli [--json] [--runs N]: how fast and how small the `wafer`
// command line is, as users run it (bin/wafer.mjs, the built out/main/cli.js
// under plain Node), next to the same figure for the TypeScript sources run
// through tsx (node --import tsx electron/cli/main.ts), measured in the same
// run, alternating, so both see the same machine load.
//
// The gateway runs the "Cerebras gateway" template (prompt-injection,
// pii-detector, audit-logger) against the fake Cerebras server, twice: as the
// template is, and without audit-logger. The audit log's writer thread is a
// second V8 isolate that loads zod and libsql of its own, so the two differ
// mostly by that thread.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { FakeCerebras } from '../electron/main/services/demo/fake-cerebras/server'
import { ensureBuilt } from '../scripts/ensure-built.mjs'
import { findTemplate } from '../shared/policy/templates'
import { LISTENING_ON } from './child'
import { type BenchOptions, type BenchRow, row } from './types'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The two ways of starting the command line that are compared. */
const PATHS = {
  built: [path.join(root, 'bin/wafer.mjs')],
  tsx: ['--import', 'tsx', path.join(root, 'electron/cli/main.ts')],
} as const
type PathName = keyof typeof PATHS

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!m) throw new Error(`no VmRSS for ${pid}`)
  return Number(m[1]) / 1024
}

/** VmRSS once it has settled: sampled every 50 ms until five samples in a row lie within 0.5 MB (at most 5 s). */
async function settledRssMb(pid: number): Promise<number> {
  const samples: number[] = []
  const deadline = performance.now() + 5000
  for (;;) {
    samples.push(rssMb(pid))
    const last = samples.slice(-5)
    if (last.length === 5 && Math.max(...last) - Math.min(...last) <= 0.5) return last[4]
    if (performance.now() > deadline) return samples.at(-1)!
    await new Promise((r) => setTimeout(r, 50))
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)))
}

/** `wafer --version` (or, for `node`, Node starting and doing nothing): wall time from spawn to exit. */
async function versionOnce(via: PathName | 'node'): Promise<number> {
  const t0 = performance.now()
  const args = via === 'node' ? ['-e', 'console.log("0.0.0")'] : [...PATHS[via], '--version']
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  const code = await exited(child)
  const ms = performance.now() - t0
  if (code !== 0 || !/^\d+\.\d+\.\d+/.test(out)) throw new Error(`wafer --version (${via}) exited ${code}: ${out}`)
  return ms
}

/**
 * `wafer gateway run`: time from spawn until /healthz answers, then the
 * settled RSS of the idle gateway; one request through it checks it works.
 */
async function gatewayOnce(via: PathName, policyFile: string, auditDb: string): Promise<{ readyMs: number; rssMb: number }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [...PATHS[via], 'gateway', 'run', '--listen', '127.0.0.1:0', '--policy-config', policyFile, '--audit-db', auditDb], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CEREBRAS_API_KEY: 'csk-bench' },
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = LISTENING_ON.exec(out)
        if (m) resolve(m[1])
      }
      child.stdout!.on('data', check)
      child.once('exit', (code) => reject(new Error(`wafer gateway run (${via}) exited ${code}:\n${out}`)))
    })
    const health = await fetch(`${url}/healthz`)
    if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`)
    await health.text()
    const readyMs = performance.now() - t0
    if (/main thread instead/.test(out)) throw new Error(`the audit writer thread did not start:\n${out}`)
    const rss = await settledRssMb(child.pid!)
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Say hello.' }], max_completion_tokens: 16 }),
    })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`a request through the gateway (${via}) got ${res.status}: ${body}`)
    return { readyMs, rssMb: rss }
  } finally {
    const done = exited(child)
    child.kill('SIGTERM')
    await done
  }
}

/** The template's YAML pointed at the fake server, with or without audit-logger. */
function templatePolicy(baseUrl: string, audit: boolean): string {
  const yaml = findTemplate('cerebras-gateway')!.yaml.replace('https://api.cerebras.ai/v1', baseUrl)
  if (!yaml.includes(baseUrl)) throw new Error('the cerebras-gateway template no longer names https://api.cerebras.ai/v1')
  return audit ? yaml : yaml.replace(/^ {4}- audit-logger\n/m, '').replace(/^ {2}audit-logger:\n(?: {4}.*\n)+/m, '')
}

export default async function cliBench(opts: BenchOptions): Promise<BenchRow[]> {
  const i = opts.args.indexOf('--runs')
  const runs = i >= 0 ? Number(opts.args[i + 1]) : 5
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a whole number ≥ 1')
  // The build is not what is measured: make sure it is there first.
  ensureBuilt('main', 'the command line')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-cli-bench-'))
  const fake = new FakeCerebras({ ttftMs: 5, replyTokens: 8 })
  const upstream = await fake.start()
  const rows: BenchRow[] = []
  try {
    const variants = [
      { name: 'gateway', audit: false, label: 'template without audit-logger' },
      { name: 'gateway_audit', audit: true, label: 'template as is, with audit-logger' },
    ]
    for (const v of variants) {
      const policyFile = path.join(dir, `${v.name}.yaml`)
      writeFileSync(policyFile, templatePolicy(upstream, v.audit))
      const ready: Record<PathName, number[]> = { built: [], tsx: [] }
      const rss: Record<PathName, number[]> = { built: [], tsx: [] }
      for (let r = 0; r < runs; r++) {
        for (const via of ['built', 'tsx'] as const) {
          const g = await gatewayOnce(via, policyFile, path.join(dir, `${v.name}-${via}-${r}.db`))
          ready[via].push(g.readyMs)
          rss[via].push(g.rssMb)
        }
      }
      const [rb, rt, mb, mt] = [median(ready.built), median(ready.tsx), median(rss.built), median(rss.tsx)]
      opts.log(
        `wafer gateway run, ${v.label}: ready ${rb.toFixed(0)} ms (tsx ${rt.toFixed(0)}), idle RSS ${mb.toFixed(1)} MB (tsx ${mt.toFixed(1)}); median of ${runs}`,
      )
      rows.push(row('cli', `cli.${v.name}.ready_ms`, rb, 'ms', rt))
      rows.push(row('cli', `cli.${v.name}.idle_rss_mb`, mb, 'MB', mt))
    }

    // Node's own start-up, measured alongside: on a busy machine it is most of the figure.
    const version: Record<PathName | 'node', number[]> = { built: [], tsx: [], node: [] }
    for (let r = 0; r < runs * 2; r++) for (const via of ['built', 'tsx', 'node'] as const) version[via].push(await versionOnce(via))
    const [vb, vt, vn] = [median(version.built), median(version.tsx), median(version.node)]
    opts.log(`wafer --version: ${vb.toFixed(0)} ms (tsx ${vt.toFixed(0)}; node -e alone ${vn.toFixed(0)}); median of ${runs * 2}`)
    rows.push(row('cli', 'cli.version_ms', vb, 'ms', vt))
    rows.push(row('cli', 'cli.node_alone_ms', vn, 'ms'))
  } finally {
    await fake.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
