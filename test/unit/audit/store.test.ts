import { createHmac } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'

import { type AuditLog, openAuditLog } from '@main/services/audit/index'
import { WaferError } from '@shared/ipc/errors'
import Database from 'libsql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { rawAll, rawExec, requestEntry, tempDir } from '../../support/audit-helpers'

/*
 * What only the SQLite store does: commits synchronously, meets another
 * process's write lock, keeps its files beside each other. Everything the
 * SQLite and PostgreSQL stores both promise is in
 * test/integration/audit/store-contract.test.ts, run against each.
 */

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
  it('commits at once when a batch fills up', () => {
    const log = track(openAuditLog({ dir, batchSize: 10 }))
    for (let i = 1; i <= 25; i++) log.append(requestEntry(i))
    expect(log.head().seq).toBe(20)
    expect(log.flush().map((r) => r.seq)).toEqual([21, 22, 23, 24, 25])
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
})

describe('immutability guard rails', () => {
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
})
