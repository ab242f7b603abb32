// npm run bench -- audit: the audit log's write and verify rates, and what it costs the thread serving requests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as perfHooks from 'node:perf_hooks'

import Database from 'libsql'

import { type AuditEntryInput, type AuditSink, AuditWriterThread, inThreadSink, openAuditLog } from '../electron/main/services/audit/index'
import { type BenchOptions, type BenchRow, row } from './types'

const entry = (i: number): AuditEntryInput => ({
  kind: 'request',
  requestId: `req-${i}`,
  client: '127.0.0.1:50123',
  target: 'cerebras-fast',
  model: 'llama3.3-70b',
  status: 200,
  verdicts: [
    { policy: 'prompt-injection', verdict: 'allow' },
    { policy: 'pii-detector', verdict: i % 4 ? 'allow' : 'redact' },
  ],
  findings: i % 4 ? [] : [{ policy: 'pii-detector', entity: 'EMAIL', location: 'input.messages[1].content', start: 10, end: 30, text: `u${i}@example.com` }],
  usage: { promptTokens: 120, completionTokens: 80, totalTokens: 200 },
  latencyMs: 212.5,
})

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wafer-audit-bench-'))
  try {
    return fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const perSec = (n: number, ms: number) => (n / ms) * 1000

export default async function audit(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const N_SINGLE = 2000
  const N_BATCH = 50_000

  // Baseline: the same number of bare INSERTs (no validation, hashing, triggers or indexes) in one transaction.
  const baseline = withDir((dir) => {
    const db = new Database(join(dir, 'raw.db'))
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, body TEXT)')
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)')
    const t0 = performance.now()
    db.exec('BEGIN')
    for (let i = 1; i <= N_BATCH; i++) ins.run(i, JSON.stringify(entry(i)))
    db.exec('COMMIT')
    const r = perSec(N_BATCH, performance.now() - t0)
    db.close()
    return r
  })
  rows.push(row('audit', 'raw_sqlite_insert_per_s', baseline, 'rec/s'))

  for (const durability of ['full', 'normal'] as const) {
    withDir((dir) => {
      const log = openAuditLog({ dir, durability })
      let t0 = performance.now()
      for (let i = 1; i <= N_SINGLE; i++) {
        log.append(entry(i))
        log.flush()
      }
      const single = perSec(N_SINGLE, performance.now() - t0)
      t0 = performance.now()
      for (let i = 1; i <= N_BATCH; i++) log.append(entry(i))
      log.flush()
      const batched = perSec(N_BATCH, performance.now() - t0)
      log.close()
      rows.push(row('audit', `append_single_${durability}_per_s`, single, 'rec/s', baseline))
      rows.push(row('audit', `append_batched_${durability}_per_s`, batched, 'rec/s', baseline))
      opts.log(`durability=${durability}: single ${single.toFixed(0)}/s, batched ${batched.toFixed(0)}/s`)
    })
  }

  // Gateway-like: a few appends per tick, committed by the end-of-tick group commit.
  await (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wafer-audit-bench-'))
    try {
      const log = openAuditLog({ dir })
      const t0 = performance.now()
      for (let i = 1; i <= 20_000; i++) {
        log.append(entry(i))
        if (i % 8 === 0) await new Promise((r) => setImmediate(r))
      }
      log.flush()
      rows.push(row('audit', 'append_tick8_normal_per_s', perSec(20_000, performance.now() - t0), 'rec/s', baseline))
      const tv = performance.now()
      const v = await log.verify()
      if (!v.ok) throw new Error('bench log failed verification')
      rows.push(row('audit', 'verify_per_s', perSec(v.records, performance.now() - tv), 'rec/s'))
      log.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })()

  // What one audited request costs the thread that serves it: one append, then
  // 1 ms of idle before the next, as a gateway with one client at a time sees it.
  // Event-loop active time, less the same loop without appends.
  const N_PACED = 1500
  const activeUsPer = async (sink: AuditSink | null) => {
    const elu0 = perfHooks.performance.eventLoopUtilization()
    for (let i = 1; i <= N_PACED; i++) {
      sink?.append(entry(i))
      await new Promise((r) => setTimeout(r, 1))
    }
    const elu = perfHooks.performance.eventLoopUtilization(elu0)
    await sink?.flush()
    return (elu.active / N_PACED) * 1000
  }
  const idleLoop = await activeUsPer(null)
  const paced = async (open: (file: string) => Promise<AuditSink>) => {
    const dir = mkdtempSync(join(tmpdir(), 'wafer-audit-bench-'))
    try {
      const sink = await open(join(dir, 'audit.db'))
      await activeUsPer(sink) // warm-up
      const us = (await activeUsPer(sink)) - idleLoop
      await sink.close()
      return us
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const inThread = await paced(async (file) => inThreadSink(openAuditLog({ file })))
  const viaWorker = await paced((file) => AuditWriterThread.open({ file }))
  opts.log(`serving thread per audited request: in-thread ${inThread.toFixed(0)} µs, writer thread ${viaWorker.toFixed(0)} µs`)
  rows.push(row('audit', 'serving_thread_us_per_record.in_thread', inThread, 'µs'))
  rows.push(row('audit', 'serving_thread_us_per_record.writer_thread', viaWorker, 'µs', inThread))
  return rows
}
