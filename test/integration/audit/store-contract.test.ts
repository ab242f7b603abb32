import { createHmac } from 'node:crypto'
import { copyFileSync, readFileSync, renameSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Writable } from 'node:stream'

import type { AuditStore } from '@main/services/audit/audit-store'
import { AuditRecord } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'
import { describe, expect } from 'vitest'

import { backendAvailable, BACKENDS, type LogPlace, placeTest } from '../../support/audit-backends'
import { fakeClock, requestEntry, tempDir } from '../../support/audit-helpers'
import { until } from '../gateway/harness'

/*
 * The audit store's contract: the same tests against the SQLite log and the
 * PostgreSQL log, through the AuditStore interface. What only one store has
 * (SQLite's file, its write lock; PostgreSQL's row lock) is tested beside it.
 */

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

async function filled(place: LogPlace, n: number, opts: Parameters<LogPlace['open']>[0] = {}): Promise<AuditStore> {
  const log = await place.open(opts)
  for (let i = 1; i <= n; i++) log.append(requestEntry(i))
  await log.flush()
  return log
}

describe.each(BACKENDS)('%s audit store', (backend) => {
  const it = placeTest(backend)
  describe.skipIf(!backendAvailable(backend))('contract', () => {
    describe('append and verify', () => {
      it('chains records: each links to the one before, and the head sits on the last', async ({ place }) => {
        const log = await filled(place, 25)
        const page = await log.query({ limit: 1000 })
        const recs = [...page.records].reverse()
        expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
        for (let i = 1; i < recs.length; i++) expect(recs[i].prevHash).toBe(recs[i - 1].hash)
        for (const r of recs) expect(AuditRecord.safeParse(r).success).toBe(true)
        expect(await log.head()).toEqual({ seq: 25, hash: recs[24].hash })
        expect(await log.verify()).toMatchObject({ ok: true, records: 25, checkpoints: 0, head: await log.head(), proofs: { mac: 'checked', unfinished: 0 } })
      })

      it('commits queued appends without an explicit flush', async ({ place }) => {
        const log = await place.open()
        log.append(requestEntry(1))
        log.append(requestEntry(2))
        expect((await log.head()).seq).toBe(0)
        await until(async () => (await log.head()).seq === 2)
      })

      it('keeps the chain across close and reopen', async ({ place }) => {
        await (await filled(place, 5)).close()
        const log = await place.open()
        log.append(requestEntry(6))
        const [r6] = await log.flush()
        expect(r6.seq).toBe(6)
        expect(await log.verify()).toMatchObject({ ok: true, records: 6 })
      })

      it('sets the overall verdict to the most severe one and takes the clock for time', async ({ place }) => {
        const clock = fakeClock()
        const log = await place.open({ clock: clock.now })
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
        const [a, b] = await log.flush()
        expect(a.verdict).toBe('block')
        expect(a.time).toBe(clock.now())
        expect(b.verdict).toBeNull()
        expect(b.time).toBe(42)
      })

      it('stores numbers exactly: a latency with every digit of a double, times past 2^32', async ({ place }) => {
        const log = await place.open()
        log.append(requestEntry(1, { latencyMs: 0.1 + 0.2, time: 4_102_444_800_123 }))
        await log.flush()
        const [rec] = (await log.query({})).records
        expect(rec.latencyMs).toBe(0.1 + 0.2)
        expect(rec.time).toBe(4_102_444_800_123)
        expect(await log.verify()).toMatchObject({ ok: true })
      })

      it('rejects bad entries with a clear error and writes nothing', async ({ place }) => {
        const log = await place.open()
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
          let caught: unknown
          try {
            log.append(e as never)
          } catch (err) {
            caught = err
          }
          expect(caught).toBeInstanceOf(WaferError)
          expect((caught as WaferError).code).toBe('bad_request')
          expect((caught as WaferError).message).toMatch(/Invalid audit entry/)
        }
        expect(await log.flush()).toEqual([])
        expect((await log.head()).seq).toBe(0)
      })

      it('refuses to write after close', async ({ place }) => {
        const log = await place.open()
        await log.close()
        expect(() => log.append(requestEntry(1))).toThrow(/closed/)
      })
    })

    describe('immutability guard rails', () => {
      it('rejects updates and deletes from any code path that goes through the database', async ({ place }) => {
        await (await filled(place, 5)).close()
        await expect(place.exec("UPDATE audit_records SET client = 'x' WHERE seq = 2")).rejects.toThrow(/immutable/)
        await expect(place.exec('DELETE FROM audit_records WHERE seq = 5')).rejects.toThrow(/pruning/)
        await expect(place.exec('UPDATE audit_head SET seq = 3')).rejects.toThrow(/head/)
        await expect(place.exec('DELETE FROM audit_head')).rejects.toThrow(/head/)
        await expect(place.exec("UPDATE audit_meta SET value = 'x' WHERE key = 'salt'")).rejects.toThrow(/immutable/)
        const last = (await place.all('SELECT hash FROM audit_records WHERE seq = 5'))[0].hash as string
        await expect(
          place.exec(
            `INSERT INTO audit_records (seq, time, kind, verdicts, findings, prev_hash, hash) VALUES (9, 0, 'request', '[]', '[]', '${last}', '${'0'.repeat(64)}')`,
          ),
        ).rejects.toThrow(/extend the chain/)
        expect((await place.all('SELECT count(*) AS n FROM audit_records'))[0].n).toBe(5)
      })

      it('refuses to open a database that is not an audit log, and leaves it alone', async ({ place }) => {
        await place.makeForeign()
        await expect(place.open()).rejects.toThrow(/is not a Wafer audit log/)
        expect((await place.all('SELECT count(*) AS n FROM notes'))[0].n).toBe(1)
      })

      it('does not create a log when create is false', async ({ place }) => {
        await expect(place.open({ create: false })).rejects.toThrow(/No audit log/)
      })

      it('validates retention_days', async ({ place }) => {
        await expect(place.open({ retentionDays: 0 })).rejects.toThrow(/1 to 36500/)
        await expect(place.open({ retentionDays: 36_501 })).rejects.toThrow(/1 to 36500/)
      })
    })

    describe('findings keep no raw PII', () => {
      const SSN = '078-05-1120'
      const EMAIL = 'jane.doe@example.org'

      it('stores entity, position and a salted hash, never the matched text', async ({ place }) => {
        const log = await place.open()
        log.append({
          ...requestEntry(1),
          findings: [
            { policy: 'pii-detector', entity: 'US_SSN', location: 'input.messages[0].content', start: 12, end: 23, text: SSN },
            { policy: 'pii-detector', entity: 'EMAIL', location: 'output', start: 0, end: 20, text: EMAIL },
          ],
        })
        const [rec] = await log.flush()
        expect(rec.findings).toEqual([
          { policy: 'pii-detector', entity: 'US_SSN', location: 'input.messages[0].content', start: 12, end: 23, hash: log.matchHash(SSN) },
          { policy: 'pii-detector', entity: 'EMAIL', location: 'output', start: 0, end: 20, hash: log.matchHash(EMAIL) },
        ])
        const out = sink()
        await log.exportJsonl(out.stream)
        expect(out.text()).toContain('US_SSN')
        expect(out.text()).not.toContain(SSN)
        expect(out.text()).not.toContain(EMAIL)
        const everything = JSON.stringify([
          ...(await place.all('SELECT * FROM audit_records')),
          ...(await place.all('SELECT * FROM audit_meta')),
          ...(await place.all('SELECT * FROM audit_settings')),
        ])
        expect(everything).toContain('US_SSN')
        expect(everything).not.toContain(SSN)
        expect(everything).not.toContain(EMAIL)
      })

      it('keeps the findings key in its key file, not in the log: the database alone cannot test a guess', async ({ place }) => {
        const log = await place.open()
        log.append({ ...requestEntry(1), findings: [{ policy: 'pii-detector', entity: 'US_SSN', start: 0, end: 11, text: SSN }] })
        const [rec] = await log.flush()
        await log.close()
        const [key, mark] = readFileSync(place.keyFile, 'utf8').trim().split('\n')
        expect(key).toMatch(/^[0-9a-f]{64}$/)
        expect(mark).toBe('chain: v2')
        if (process.platform !== 'win32') expect(statSync(place.keyFile).mode & 0o077).toBe(0)
        const meta = JSON.stringify(await place.all('SELECT * FROM audit_meta'))
        expect(meta).not.toContain(key)
        expect(rec.findings[0].hash).toBe(createHmac('sha256', Buffer.from(key, 'hex')).update(SSN).digest('hex'))
      })

      it('without its key file a log still browses and verifies, but refuses value searches and writers, saying why', async ({ place }) => {
        const log = await place.open()
        log.append({ ...requestEntry(1), findings: [{ policy: 'pii-detector', entity: 'US_SSN', start: 0, end: 11, text: SSN }] })
        await log.close()
        const aside = join(dirname(place.keyFile), 'elsewhere.key')
        renameSync(place.keyFile, aside)
        const reader = await place.open({ create: false })
        expect((await reader.query({})).records).toHaveLength(1)
        expect(await reader.verify()).toMatchObject({ ok: true })
        await expect(reader.query({ text: SSN })).rejects.toThrow(/key file .* missing/)
        await expect(place.open()).rejects.toThrow(/key file .*missing.*restore/i)
        // Another log's key is recognised as the wrong one.
        const { dir: dir2, cleanup: cleanup2 } = tempDir()
        try {
          const { openAuditStore } = await import('@main/services/audit/open-store')
          await (await openAuditStore(join(dir2, 'audit.db'))).close()
          copyFileSync(join(dir2, 'audit.db.key'), place.keyFile)
          await expect(place.open({ create: false })).rejects.toThrow(/not the key of this audit log/)
        } finally {
          cleanup2()
        }
        // Back in place, everything works again.
        copyFileSync(aside, place.keyFile)
        const writer = await place.open()
        expect((await writer.query({ text: SSN })).records).toHaveLength(1)
      })

      it('finds a record by the raw value through its hash', async ({ place }) => {
        const log = await place.open()
        log.append(requestEntry(1))
        log.append({ ...requestEntry(2), findings: [{ policy: 'pii-detector', entity: 'US_SSN', start: 0, end: 11, text: SSN }] })
        await log.flush()
        expect((await log.query({ text: SSN })).records.map((r) => r.requestId)).toEqual(['req-2'])
      })
    })

    describe('query', () => {
      async function thirty(place: LogPlace): Promise<AuditStore> {
        const clock = fakeClock(1_000_000)
        const log = await place.open({ clock: clock.now })
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
        await log.flush()
        return log
      }

      it('pages newest first with a cursor until the end', async ({ place }) => {
        const log = await thirty(place)
        const seen: number[] = []
        let cursor: string | undefined
        for (let guard = 0; guard < 10; guard++) {
          const page = await log.query({ limit: 7, cursor })
          seen.push(...page.records.map((r) => r.seq))
          if (!page.nextCursor) break
          cursor = page.nextCursor
        }
        expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i))
      })

      it('filters by time range, kind, verdict, request id and text; says which started requests finished', async ({ place }) => {
        const log = await thirty(place)
        const seqs = async (q: Parameters<AuditStore['query']>[0]) => (await log.query(q)).records.map((r) => r.seq)
        expect(await seqs({ from: 1_000_000 + 5000, to: 1_000_000 + 8000 })).toEqual([7, 6, 5])
        expect(await seqs({ from: new Date(1_000_000 + 29_000).toISOString() })).toEqual([30, 29])
        expect(await seqs({ kind: 'policy_failure' })).toEqual([30, 20, 10])
        expect(await seqs({ kind: ['policy_failure'], verdict: 'block' })).toEqual([30])
        expect(await seqs({ verdict: 'block', limit: 3 })).toEqual([30, 27, 24])
        expect(await seqs({ requestId: 'req-12' })).toEqual([12])
        expect(await seqs({ text: 'timeout' })).toEqual([7])
        expect(await seqs({ text: '127.0.0.1:50013' })).toEqual([13])
        expect(await seqs({ text: '100%' })).toEqual([])
        log.append({ kind: 'request_started', requestId: 'open-1' })
        log.append({ kind: 'request_started', requestId: 'done-1' })
        log.append({ kind: 'request_completed', requestId: 'done-1', status: 200 })
        await log.flush()
        const started = (await log.query({ kind: 'request_started' })).records
        expect(started.map((r) => [r.requestId, r.finished])).toEqual([
          ['done-1', true],
          ['open-1', false],
        ])
        expect((await log.query({ unfinished: true })).records.map((r) => r.requestId)).toEqual(['open-1'])
      })

      it('rejects a bad query clearly', async ({ place }) => {
        const log = await thirty(place)
        await expect(log.query({ limit: 0 })).rejects.toThrow(/Invalid audit query: limit/)
        await expect(log.query({ cursor: 'DROP TABLE' })).rejects.toThrow(/Invalid audit cursor/)
        await expect(log.query({ kind: 'nope' as never })).rejects.toThrow(/Invalid audit query: kind/)
      })
    })

    describe('export', () => {
      it('writes every record oldest first, one verifiable JSON object per line, waiting for drain', async ({ place }) => {
        const log = await filled(place, 300)
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

      it('exports only what a filter selects', async ({ place }) => {
        const log = await filled(place, 20)
        const out = sink()
        expect(await log.exportJsonl(out.stream, { filter: { requestId: 'req-4' } })).toEqual({ records: 1 })
        expect(JSON.parse(out.text()).seq).toBe(4)
      })
    })

    describe('log_all_access', () => {
      it('appends an access record for every browse, filter, export and verify', async ({ place }) => {
        const log = await filled(place, 3, { logAllAccess: true, actor: 'app' })
        await log.query({})
        await log.query({ kind: 'request', text: '078-05-1120' }, { actor: 'audit-screen' })
        await log.exportJsonl(sink().stream)
        const v = await log.verify()
        expect(v.ok).toBe(true)

        const access = (await log.query({ kind: 'access', limit: 100 })).records.reverse()
        // The last query is itself recorded, after its results were taken.
        expect(access.map((r) => (r.detail as { action: string }).action)).toEqual(['query', 'query', 'export', 'verify'])
        expect(access.map((r) => r.client)).toEqual(['app', 'audit-screen', 'app', 'app'])
        // A search term is kept only as its salted hash: people search for PII.
        expect(JSON.stringify(access[1].detail)).not.toContain('078-05-1120')
        expect((access[1].detail as { filter: { textHash: string } }).filter.textHash).toBe(log.matchHash('078-05-1120'))
        // The verify covered its own access record.
        expect(v.ok && v.head.seq).toBe(access[3].seq)
        expect((await log.head()).seq).toBe(3 + 5)
      })

      it('remembers the setting, so a reader that does not know the policy still records its reads', async ({ place }) => {
        await (await filled(place, 2, { logAllAccess: true })).close()
        const reader = await place.open({ create: false, actor: 'cli' })
        expect((await reader.info()).logAllAccess).toBe(true)
        await reader.verify()
        const last = (await reader.query({ kind: 'access' })).records
        expect(last[last.length - 1]).toMatchObject({ kind: 'access', client: 'cli', detail: { action: 'verify' } })
      })

      it('records nothing when off', async ({ place }) => {
        const log = await filled(place, 2, { logAllAccess: false })
        await log.query({})
        await log.verify()
        await log.exportJsonl(sink().stream)
        expect((await log.head()).seq).toBe(2)
      })
    })

    describe('retention', () => {
      it('prunes whole segments past retention_days; the rest verifies through the checkpoint, and appending goes on', async ({ place }) => {
        const DAY = 86_400_000
        const START = Date.UTC(2025, 0, 1)
        const clock = fakeClock(START)
        const log = await place.open({ clock: clock.now, retentionDays: 3 })
        for (let d = 0; d < 10; d++) {
          for (let h = 0; h < 5; h++) {
            clock.set(START + d * DAY + h * 3_600_000)
            log.append(requestEntry(d * 5 + h + 1))
          }
        }
        await log.flush()
        clock.set(START + 10 * DAY)
        expect((await log.info()).segments).toBe(10)
        const r = await log.prune()
        expect(r).toMatchObject({ prunedSegments: 7, prunedRecords: 35, checkpoint: { id: 1, firstSeq: 1, seq: 35, records: 35 } })
        expect((await log.query({ kind: 'prune' })).records[0]).toMatchObject({ seq: 51, detail: { checkpoint: { id: 1, seq: 35 } } })
        expect(await log.verify()).toMatchObject({ ok: true, records: 16, checkpoints: 1 })
        log.append(requestEntry(99))
        await log.flush()
        expect(await log.verify()).toMatchObject({ ok: true, records: 17 })
        expect(await log.prune()).toMatchObject({ prunedSegments: 0, checkpoint: null })
      })

      it('refuses to prune records that do not verify, and removes nothing', async ({ place }) => {
        const clock = fakeClock(Date.UTC(2025, 0, 1))
        const log = await place.open({ clock: clock.now, retentionDays: 1 })
        for (let i = 1; i <= 5; i++) log.append(requestEntry(i))
        await log.flush()
        await place.tamper("UPDATE audit_records SET model = 'edited' WHERE seq = 3")
        clock.advance(5 * 86_400_000)
        await expect(log.prune()).rejects.toThrow(/Pruning refused.*record 3/)
        expect((await place.all('SELECT count(*) AS n FROM audit_records'))[0].n).toBe(5)
      })
    })

    describe('tampering', () => {
      it('names the first bad record: an edit, a deletion, a cut-off tail', async ({ place }) => {
        const log = await filled(place, 10)
        expect(await log.verify()).toMatchObject({ ok: true, records: 10 })
        await place.tamper("UPDATE audit_records SET verdict = 'allow', model = 'x' WHERE seq = 6")
        expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringMatching(/record 6 does not match its hash/) })
        await place.tamper('DELETE FROM audit_records WHERE seq = 6')
        expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringMatching(/record 6 is missing/) })
        await place.tamper('DELETE FROM audit_records WHERE seq >= 5')
        expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 5, reason: expect.stringMatching(/cut off/) })
      })

      it('signs checkpoints and witnesses them; a head moved back over a cut-off tail is caught by the seal', async ({ place }) => {
        const { dir, cleanup } = tempDir()
        try {
          const witnessFile = join(dir, 'witness.jsonl')
          const log = await place.open({ checkpointEveryRecords: 5, witnessFile })
          for (let i = 1; i <= 12; i++) {
            log.append(requestEntry(i))
            if (i % 5 === 0) await log.flush()
          }
          await log.flush()
          const { readWitness } = await import('@main/services/audit/signed-heads')
          const witness = readWitness(witnessFile).heads
          expect(witness.map((h) => h.seq)).toEqual([5, 10])
          expect(await log.verify({ witness })).toMatchObject({ ok: true, proofs: { mac: 'checked', signedCheckpoints: 2, witnessHeads: 2 } })
          await place.tamper('DELETE FROM audit_records WHERE seq > 8')
          await place.tamper('DELETE FROM audit_macs WHERE seq > 8')
          const h8 = (await place.all('SELECT hash FROM audit_records WHERE seq = 8'))[0].hash
          await place.tamper(`UPDATE audit_head SET seq = 8, hash = '${h8}'`)
          const v = await log.verify({ witness })
          expect(v).toMatchObject({ ok: false, firstBadSeq: 9 })
        } finally {
          cleanup()
        }
      })
    })
  })
})
