// npm run bench -- fleet [--json]: the gateway on one SQLite audit log, on
// one PostgreSQL audit log, and three replicas on one PostgreSQL log, each
// `wafer gateway run` in its own process against the fake Cerebras server
// (a child process too), with audit-logger in the chain. Measured in one run:
// requests/s with 24 clients at once, and the latency each setup adds over
// calling the fake directly (p50/p99, requests interleaved with direct ones so
// both see the same load). Then audit appends/s under contention: writers
// that each wait for their record's commit (as the gateway's write-ahead
// record does), 1 against 3 stores on one PostgreSQL log, and SQLite's one.
// PostgreSQL is a throwaway cluster with fsync on (test/support/postgres.ts).
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { AuditStore } from '../electron/main/services/audit/audit-store'
import { openAuditStore } from '../electron/main/services/audit/open-store'
import { startPostgres } from '../test/support/postgres'
import { startChild, startGatewayCli } from './child'
import { type BenchOptions, type BenchRow, row } from './types'

const root = fileURLToPath(new URL('..', import.meta.url))
const KEY_ENV = 'WAFER_BENCH_UPSTREAM_KEY'

async function once(base: string, i: number): Promise<number> {
  const t0 = performance.now()
  const res = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer csk-bench' },
    body: JSON.stringify({ model: 'fake-fast', stream: true, max_tokens: 20, messages: [{ role: 'user', content: `fleet bench ${i}` }] }),
  })
  await res.text()
  if (res.status !== 200) throw new Error(`${base} answered ${res.status}`)
  return performance.now() - t0
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

/** Requests/s with `clients` at once, round-robin over `bases`. */
async function throughput(bases: string[], total: number, clients: number): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++
        await once(bases[i % bases.length], i)
      }
    }),
  )
  return total / ((performance.now() - t0) / 1000)
}

/** Added latency over the direct path: p50 and p99 of (via − direct) request times, interleaved one by one. */
async function added(direct: string, bases: string[], n: number): Promise<{ p50: number; p99: number; direct50: number }> {
  const d: number[] = []
  const v: number[] = []
  for (let i = 0; i < n + 20; i++) {
    const a = await once(direct, i)
    const b = await once(bases[i % bases.length], i)
    if (i >= 20) {
      d.push(a)
      v.push(b)
    }
  }
  return { p50: pct(v, 50) - pct(d, 50), p99: pct(v, 99) - pct(d, 99), direct50: pct(d, 50) }
}

/** Writers each appending one record at a time and waiting for its commit, for `ms`; records/s committed in all. */
async function appendsPerSecond(stores: AuditStore[], writersPerStore: number, ms: number): Promise<number> {
  let done = 0
  const end = performance.now() + ms
  await Promise.all(
    stores.flatMap((s, k) =>
      Array.from({ length: writersPerStore }, async (_, w) => {
        for (let i = 0; performance.now() < end; i++) {
          s.append({ kind: 'request_started', requestId: `b-${k}-${w}-${i}`, client: '127.0.0.1:1', model: 'fake-fast' })
          await s.flush()
          done++
        }
      }),
    ),
  )
  return done / (ms / 1000)
}

export default async function fleet(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-bench-fleet-'))
  const children: ChildProcess[] = []
  const cluster = await startPostgres({ durable: true })
  try {
    const fake = await startChild(
      ['--import', 'tsx', path.join(root, 'test/fake-cerebras/cli.ts'), '--port', '0', '--firehose', '--tokens', '20'],
      /(http:\/\/127\.0\.0\.1:\d+\/v1)/,
    )
    children.push(fake.child)
    const policy = path.join(dir, 'policy-config.yaml')
    writeFileSync(
      policy,
      `pack: {name: fleet-bench, version: 0.1.0, enabled: true}
policies:
  chain: [pii-detector, audit-logger]
providers:
  targets:
    - id: primary
      provider: cerebras
      model: fake-fast
      base_url: ${fake.url}
      secret_key_ref: {env: ${KEY_ENV}}
`,
    )
    const keyFile = path.join(dir, 'fleet.key')
    const replica = async (auditDb: string) => {
      const g = await startGatewayCli({
        policyConfig: policy,
        auditDb,
        maxConcurrency: 64,
        extraArgs: ['--audit-key-file', keyFile],
        env: { [KEY_ENV]: 'csk-bench' },
      })
      children.push(g.child)
      return `${g.url}/v1`
    }
    const sqlite = await replica(path.join(dir, 'audit.db'))
    const pgOne = await replica(await cluster.createDatabase('bench_one'))
    const fleetDb = await cluster.createDatabase('bench_fleet')
    const fleetBases = [await replica(fleetDb), await replica(fleetDb), await replica(fleetDb)]

    const setups: Array<[string, string[]]> = [
      ['sqlite_1_replica', [sqlite]],
      ['postgres_1_replica', [pgOne]],
      ['postgres_3_replicas', fleetBases],
    ]
    // Warm every path (connections, JIT) before measuring.
    for (const [, bases] of [['direct', [fake.url]] as [string, string[]], ...setups]) await throughput(bases, 60, 8)

    opts.log('requests/s, 24 clients at once, 1200 streamed requests each…')
    const direct = await throughput([fake.url], 1200, 24)
    rows.push(row('fleet', 'direct_requests_per_s', direct, 'req/s'))
    for (const [name, bases] of setups) rows.push(row('fleet', `${name}_requests_per_s`, await throughput(bases, 1200, 24), 'req/s', direct))

    opts.log('added latency, 300 requests each, interleaved with direct ones…')
    for (const [name, bases] of setups) {
      const a = await added(fake.url, bases, 300)
      rows.push(row('fleet', `${name}_added_p50_ms`, a.p50, 'ms', a.direct50))
      rows.push(row('fleet', `${name}_added_p99_ms`, a.p99, 'ms', a.direct50))
    }

    opts.log('audit appends/s, each writer waiting for its commit, 4 s each…')
    const sqliteStore = await openAuditStore(path.join(dir, 'appends.db'))
    const oneSqlite = await appendsPerSecond([sqliteStore], 8, 4000)
    await sqliteStore.close()
    rows.push(row('fleet', 'audit_appends_per_s_sqlite_1_store_8_writers', oneSqlite, 'rec/s'))
    const db1 = await cluster.createDatabase('appends_one')
    const single = await openAuditStore(db1, { keyFile: path.join(dir, 'a1.key') })
    const onePg = await appendsPerSecond([single], 8, 4000)
    await single.close()
    rows.push(row('fleet', 'audit_appends_per_s_postgres_1_store_8_writers', onePg, 'rec/s', oneSqlite))
    const db3 = await cluster.createDatabase('appends_three')
    const three = await Promise.all([0, 1, 2].map(() => openAuditStore(db3, { keyFile: path.join(dir, 'a3.key') })))
    const threePg = await appendsPerSecond(three, 8, 4000)
    const verified = await three[0].verify()
    for (const s of three) await s.close()
    if (!verified.ok) throw new Error(`the contended log did not verify: ${verified.reason}`)
    rows.push(row('fleet', 'audit_appends_per_s_postgres_3_stores_24_writers', threePg, 'rec/s', onePg))
  } finally {
    for (const c of children) c.kill('SIGTERM')
    await cluster.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
