import { createHmac } from 'node:crypto'
import { copyFileSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'

import { type AuditLog, openAuditLog } from '@main/services/audit/index'
import { AuditRecord } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'
import Database from 'libsql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { fakeClock, filledLog, rawAll, rawExec, requestEntry, tempDir } from '../../support/audit-helpers'

let dir: string
let cleanup: () => void
const open: AuditLog[] = []
const track = (l: AuditLog) => (open.push(l), l)

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
})
afterEach(() => {
  for (const l of open.splice(0)) l.close()
  cleanup()
})

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    highWaterMark: 64, // small, so the export has to wait for drain
    write(chunk, _enc, cb) {
      chunks.push(String(chunk))
      setImmediate(cb)
    },
  })
  return { stream, text: () => chunks.join('') }
}

describe('append and verify', () => {
  it('chains records: each links to the one before, and the head sits on the last', async () => {
    const log = track(filledLog(dir, 25))
    const page = log.query({ limit: 1000 })
    const recs = [...page.records].reverse()
    expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    for (let i = 1; i < recs.length; i++) expect(recs[i].prevHash).toBe(recs[i - 1].hash)
    for (const r of recs) expect(AuditRecord.safeParse(r).success).toBe(true)
    expect(log.head()).toEqual({ seq: 25, hash: recs[24].hash })
    expect(await log.verify()).toMatchObject({ ok: true, records: 25, checkpoints: 0, head: log.head(), proofs: { mac: 'checked', unfinished: 0 } })
  })

  it('commits queued appends at the end of the tick without an explicit flush', async () => {
    const log = track(openAuditLog({ dir }))
    log.append(requestEntry(1))
    log.append(requestEntry(2))
    expect(log.head().seq).toBe(0)
    await new Promise((r) => setImmediate(r))
    expect(log.head().seq).toBe(2)
  })

  it('commits at once when a batch fills up', () => {
    const log = track(openAuditLog({ dir, batchSize: 10 }))
    for (let i = 1; i <= 25; i++) log.append(requestEntry(i))
    expect(log.head().seq).toBe(20)
    expect(log.flush().map((r) => r.seq)).toEqual([21, 22, 23, 24, 25])
  })

  it('keeps the chain across close and reopen', async () => {
    filledLog(dir, 5).close()
    const log = track(openAuditLog({ dir }))
    log.append(requestEntry(6))
    const [r6] = log.flush()
    expect(r6.seq).toBe(6)
    expect(await log.verify()).toMatchObject({ ok: true, records: 6 })
  })

  it('sets the overall verdict to the most severe one and takes the clock for time', () => {
    const clock = fakeClock()
    const log = track(openAuditLog({ dir, clock: clock.now }))
    log.append({
      kind: 'decision',
      requestId: 'r',
      verdicts: [
        { policy: 'pii-detector', verdict: 'redact' },
        { policy: 'prompt-injection', verdict: 'block', code: 'input_blocked' },
        { policy: 'x', verdict: 'allow' },
      ],
    })
    log.append({ kind: 'lifecycle', time: 42, detail: { event: 'gateway_started' } })
    const [a, b] = log.flush()
    expect(a.verdict).toBe('block')
    expect(a.time).toBe(clock.now())
    expect(b.verdict).toBeNull()
    expect(b.time).toBe(42)
  })

  it('rejects bad entries with a clear error and writes nothing', () => {
    const log = track(openAuditLog({ dir }))
    const bad = [
      { kind: 'gossip' },
      { kind: 'request', status: 'ok' },
      { kind: 'request', verdicts: [{ policy: 'p', verdict: 'maybe' }] },
      { kind: 'request', findings: [{ policy: 'p', entity: 'EMAIL', start: 5, end: 2, text: 'a@b.c' }] },
      { kind: 'request', latencyMs: Number.NaN },
      { kind: 'request', surprise: true },
      { kind: 'request', detail: { big: 'x'.repeat(20_000) } },
    ]
    for (const e of bad) {
      expect(() => log.append(e as never)).toThrow(WaferError)
      try {
        log.append(e as never)
      } catch (err) {
        expect((err as WaferError).code).toBe('bad_request')
        expect((err as WaferError).message).toMatch(/Invalid audit entry/)
      }
    }
    expect(log.flush()).toEqual([])
    expect(log.head().seq).toBe(0)
  })

  it('keeps records queued while another process holds the write lock, and writes them once it is free', async () => {
    const errors: WaferError[] = []
    const log = track(openAuditLog({ dir, busyTimeoutMs: 20, maxPending: 5, onError: (e) => errors.push(e) }))
    const other = new Database(join(dir, 'audit.db'))
    other.exec('BEGIN IMMEDIATE')
    try {
      log.append(requestEntry(1))
      log.append(requestEntry(2))
      await new Promise((r) => setImmediate(r))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatchObject({ code: 'storage' })
      expect(errors[0].message).toMatch(/Writing the audit log failed: .*locked/)
      expect(() => log.flush()).toThrow(/locked/)
      log.append(requestEntry(3))
      log.append(requestEntry(4))
      log.append(requestEntry(5))
      // Bounded: past maxPending the caller hears about it instead of memory growing without end.
      expect(() => log.append(requestEntry(6))).toThrow(/not accepting records: 5 are waiting/)
    } finally {
      other.exec('COMMIT')
      other.close()
    }
    expect(log.flush().map((r) => r.requestId)).toEqual(['req-1', 'req-2', 'req-3', 'req-4', 'req-5'])
    expect(await log.verify()).toMatchObject({ ok: true, records: 5 })
  })

  it('refuses to write after close', () => {
    const log = openAuditLog({ dir })
    log.close()
    expect(() => log.append(requestEntry(1))).toThrow(/closed/)
  })
})

describe('immutability guard rails', () => {
  it('rejects updates and deletes from any code path that goes through SQLite', () => {
    filledLog(dir, 5).close()
    const file = join(dir, 'audit.db')
    expect(() => rawExec(file, "UPDATE audit_records SET client = 'x' WHERE seq = 2")).toThrow(/immutable/)
    expect(() => rawExec(file, 'DELETE FROM audit_records WHERE seq = 5')).toThrow(/pruning/)
    expect(() => rawExec(file, 'UPDATE audit_head SET seq = 3')).toThrow(/head/)
    expect(() => rawExec(file, 'DELETE FROM audit_head')).toThrow(/head/)
    expect(() => rawExec(file, "UPDATE audit_meta SET value = 'x' WHERE key = 'salt'")).toThrow(/immutable/)
    const last = rawAll(file, 'SELECT hash FROM audit_records WHERE seq = 5')[0].hash as string
    expect(() =>
      rawExec(
        file,
        `INSERT INTO audit_records (seq, time, kind, verdicts, findings, prev_hash, hash) VALUES (9, 0, 'request', '[]', '[]', '${last}', '${'0'.repeat(64)}')`,
      ),
    ).toThrow(/extend the chain/)
    expect(rawAll(file, 'SELECT count(*) AS n FROM audit_records')[0].n).toBe(5)
  })

  it('refuses to open a database that is not an audit log, and leaves it alone', () => {
    const other = join(dir, 'other.db')
    rawExec(other, 'CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (1)')
    expect(() => openAuditLog({ file: other })).toThrow(/is not a Wafer audit log/)
    expect(rawAll(other, "SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name)).toEqual(['notes'])

    const text = join(dir, 'notes.txt')
    writeFileSync(text, 'not sqlite at all, just words that go on for a while '.repeat(20))
    expect(() => openAuditLog({ file: text })).toThrow(/is not a Wafer audit log/)
    expect(readFileSync(text, 'utf8')).toMatch(/^not sqlite/)
  })

  it('does not create a log when create is false', () => {
    expect(() => openAuditLog({ file: join(dir, 'missing.db'), create: false })).toThrow(/No audit log/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('validates retention_days', () => {
    expect(() => openAuditLog({ dir, retentionDays: 0 })).toThrow(/1 to 36500/)
    expect(() => openAuditLog({ dir, retentionDays: 36_501 })).toThrow(/1 to 36500/)
  })
})

describe('findings keep no raw PII', () => {
  const SSN = '078-05-1120'
  const EMAIL = 'jane.doe@example.org'

  it('stores entity, position and a salted hash, never the matched text, anywhere', async () => {
    const log = track(openAuditLog({ dir }))
    log.append({
      ...requestEntry(1),
      findings: [
        { policy: 'pii-detector', entity: 'US_SSN', location: 'input.messages[0].content', start: 12, end: 23, text: SSN },
        { policy: 'pii-detector', entity: 'EMAIL', location: 'output', start: 0, end: 20, text: EMAIL },
      ],
    })
    const [rec] = log.flush()
    expect(rec.findings).toEqual([
      { policy: 'pii-detector', entity: 'US_SSN', location: 'input.messages[0].content', start: 12, end: 23, hash: log.matchHash(SSN) },
      { policy: 'pii-detector', entity: 'EMAIL', location: 'output', start: 0, end: 20, hash: log.matchHash(EMAIL) },
    ])
    expect(JSON.stringify(rec)).not.toContain(SSN)

    // The salt is per log: the same value hashes differently in another log.
    const { dir: dir2, cleanup: cleanup2 } = tempDir()
    try {
      const other = openAuditLog({ dir: dir2 })
      expect(other.matchHash(SSN)).not.toBe(log.matchHash(SSN))
      other.close()
    } finally {
      cleanup2()
    }

    const out = sink()
    await log.exportJsonl(out.stream)
    expect(out.text()).toContain('US_SSN')
    expect(out.text()).not.toContain(SSN)
    expect(out.text()).not.toContain(EMAIL)

    log.close()
    open.length = 0
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f)).toString('latin1')
      expect(bytes).not.toContain(SSN)
      expect(bytes).not.toContain(EMAIL)
    }
  })

  it('keeps the findings key beside the log, not in it: the log file alone cannot test a guess', () => {
    const log = track(openAuditLog({ dir }))
    log.append({ ...requestEntry(1), findings: [{ policy: 'pii-detector', entity: 'US_SSN', start: 0, end: 11, text: SSN }] })
    const [rec] = log.flush()
    log.close()
    open.length = 0
    const keyFile = join(dir, 'audit.db.key')
    const [key, mark] = readFileSync(keyFile, 'utf8').trim().split('\n')
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(mark).toBe('chain: v2')
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o077).toBe(0)
    // Nothing in the log's files holds the key: its hash of the SSN cannot be recomputed from them.
    for (const f of readdirSync(dir).filter((n) => n.startsWith('audit.db') && !n.endsWith('.key'))) {
      expect(readFileSync(join(dir, f)).toString('latin1')).not.toContain(key)
    }
    expect(rec.findings[0].hash).toBe(createHmac('sha256', Buffer.from(key, 'hex')).update(SSN).digest('hex'))
  })

  it('without its key file a log still browses and verifies, but refuses value searches and writers, saying why', async () => {
    const log = openAuditLog({ dir })
    log.append({ ...requestEntry(1), findings: [{ policy: 'pii-detector', entity: 'US_SSN', start: 0, end: 11, text: SSN }] })
    log.close()
    const file = join(dir, 'audit.db')
    renameSync(`${file}.key`, join(dir, 'elsewhere.key'))
    const reader = track(openAuditLog({ file, create: false }))
    expect(reader.query({}).records).toHaveLength(1)
    expect(await reader.verify()).toMatchObject({ ok: true })
    expect(() => reader.query({ text: SSN })).toThrow(/key file .*audit\.db\.key.* missing/)
    expect(() => openAuditLog({ file })).toThrow(/key file .*missing.*restore/i)
    // Another log's key is recognised as the wrong one.
    const { dir: dir2, cleanup: cleanup2 } = tempDir()
    try {
      openAuditLog({ dir: dir2 }).close()
      copyFileSync(join(dir2, 'audit.db.key'), `${file}.key`)
      expect(() => openAuditLog({ file, create: false })).toThrow(/not the key of this audit log/)
    } finally {
      cleanup2()
    }
    // Back in place, everything works again.
    copyFileSync(join(dir, 'elsewhere.key'), `${file}.key`)
    const writer = track(openAuditLog({ file }))
    expect(writer.query({ text: SSN }).records).toHaveLength(1)
  })

  it('finds a record by the raw value through its hash', () => {
    const log = track(openAuditLog({ dir }))
    log.append(requestEntry(1))
    log.append({ ...requestEntry(2), findings: [{ policy: 'pii-detector', entity: 'US_SSN', start: 0, end: 11, text: SSN }] })
    log.flush()
    expect(log.query({ text: SSN }).records.map((r) => r.requestId)).toEqual(['req-2'])
  })
})

describe('query', () => {
  let log: AuditLog
  beforeEach(() => {
    const clock = fakeClock(1_000_000)
    log = track(openAuditLog({ dir, clock: clock.now }))
    for (let i = 1; i <= 30; i++) {
      clock.advance(1000)
      log.append(
        requestEntry(i, {
          kind: i % 10 === 0 ? 'policy_failure' : 'request',
          verdicts: [{ policy: 'prompt-injection', verdict: i % 3 === 0 ? 'block' : 'allow' }],
          detail: i === 7 ? { note: 'Upstream TIMEOUT on first try' } : null,
        }),
      )
    }
    log.flush()
  })

  it('pages newest first with a cursor until the end', () => {
    const seen: number[] = []
    let cursor: string | undefined
    for (let guard = 0; guard < 10; guard++) {
      const page = log.query({ limit: 7, cursor })
      seen.push(...page.records.map((r) => r.seq))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i))
  })

  it('filters by time range, kind, verdict, request id and text', () => {
    const seqs = (q: Parameters<AuditLog['query']>[0]) => log.query(q).records.map((r) => r.seq)
    expect(seqs({ from: 1_000_000 + 5000, to: 1_000_000 + 8000 })).toEqual([7, 6, 5])
    expect(seqs({ from: new Date(1_000_000 + 29_000).toISOString() })).toEqual([30, 29])
    expect(seqs({ kind: 'policy_failure' })).toEqual([30, 20, 10])
    expect(seqs({ kind: ['policy_failure'], verdict: 'block' })).toEqual([30])
    expect(seqs({ verdict: 'block', limit: 3 })).toEqual([30, 27, 24])
    expect(seqs({ requestId: 'req-12' })).toEqual([12])
    expect(seqs({ text: 'timeout' })).toEqual([7])
    expect(seqs({ text: '127.0.0.1:50013' })).toEqual([13])
    expect(seqs({ text: '100%' })).toEqual([])
  })

  it('rejects a bad query clearly', () => {
    expect(() => log.query({ limit: 0 })).toThrow(/Invalid audit query: limit/)
    expect(() => log.query({ cursor: 'DROP TABLE' })).toThrow(/Invalid audit cursor/)
    expect(() => log.query({ kind: 'nope' as never })).toThrow(/Invalid audit query: kind/)
  })
})

describe('export', () => {
  it('writes every record oldest first, one verifiable JSON object per line, waiting for drain', async () => {
    const log = track(filledLog(dir, 300))
    const out = sink()
    expect(await log.exportJsonl(out.stream)).toEqual({ records: 300 })
    const lines = out
      .text()
      .trimEnd()
      .split('\n')
      .map((l) => AuditRecord.parse(JSON.parse(l)))
    expect(lines.map((r) => r.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    for (let i = 1; i < lines.length; i++) expect(lines[i].prevHash).toBe(lines[i - 1].hash)
  })

  it('exports only what a filter selects', async () => {
    const log = track(filledLog(dir, 20))
    const out = sink()
    expect(await log.exportJsonl(out.stream, { filter: { requestId: 'req-4' } })).toEqual({ records: 1 })
    expect(JSON.parse(out.text()).seq).toBe(4)
  })
})

describe('log_all_access', () => {
  it('appends an access record for every browse, filter, export and verify', async () => {
    const log = track(filledLog(dir, 3, { logAllAccess: true, actor: 'app' }))
    log.query({})
    log.query({ kind: 'request', text: '078-05-1120' }, { actor: 'audit-screen' })
    await log.exportJsonl(sink().stream)
    const v = await log.verify()
    expect(v.ok).toBe(true)

    const access = log.query({ kind: 'access', limit: 100 }).records.reverse()
    // The last query is itself recorded, after its results were taken.
    expect(access.map((r) => (r.detail as { action: string }).action)).toEqual(['query', 'query', 'export', 'verify'])
    expect(access.map((r) => r.client)).toEqual(['app', 'audit-screen', 'app', 'app'])
    // A search term is kept only as its salted hash: people search for PII.
    expect(JSON.stringify(access[1].detail)).not.toContain('078-05-1120')
    expect((access[1].detail as { filter: { textHash: string } }).filter.textHash).toBe(log.matchHash('078-05-1120'))
    // The verify covered its own access record.
    expect(v.ok && v.head.seq).toBe(access[3].seq)
    expect(log.head().seq).toBe(3 + 5)
  })

  it('remembers the setting, so a reader that does not know the policy still records its reads', async () => {
    filledLog(dir, 2, { logAllAccess: true }).close()
    const reader = track(openAuditLog({ dir, create: false, actor: 'cli' }))
    expect(reader.info().logAllAccess).toBe(true)
    await reader.verify()
    const last = reader.query({ kind: 'access' }).records
    expect(last[last.length - 1]).toMatchObject({ kind: 'access', client: 'cli', detail: { action: 'verify' } })
  })

  it('records nothing when off', async () => {
    const log = track(filledLog(dir, 2, { logAllAccess: false }))
    log.query({})
    await log.verify()
    await log.exportJsonl(sink().stream)
    expect(log.head().seq).toBe(2)
  })
})
