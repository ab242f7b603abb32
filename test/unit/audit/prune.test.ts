import { join } from 'node:path'

import { sealCheckpoint } from '@main/services/audit/checkpoint'
import { genesisHash } from '@main/services/audit/hashing'
import { type AuditLog, openAuditLog } from '@main/services/audit/index'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { fakeClock, rawAll, requestEntry, tamper, tempDir } from '../../support/audit-helpers'

const DAY = 86_400_000
const HOUR = 3_600_000
const START = Date.UTC(2025, 0, 1)

let dir: string
let file: string
let cleanup: () => void
let clock: ReturnType<typeof fakeClock>
let log: AuditLog

/** Ten days of traffic, five requests a day: one segment per day. */
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  file = join(dir, 'audit.db')
  clock = fakeClock(START)
  log = openAuditLog({ dir, clock: clock.now, retentionDays: 3 })
  let i = 0
  for (let d = 0; d < 10; d++) {
    for (let h = 0; h < 5; h++) {
      clock.set(START + d * DAY + h * HOUR)
      log.append(requestEntry(++i))
    }
  }
  log.flush()
  clock.set(START + 10 * DAY)
})
afterEach(() => {
  try {
    log.close()
  } catch {
    // some tests close it themselves
  }
  cleanup()
})

describe('retention', () => {
  it('prunes whole segments older than retention_days and the rest still verifies through the checkpoint', async () => {
    expect(log.info().segments).toBe(10)
    const r = log.prune()
    expect(r).toMatchObject({ prunedSegments: 7, prunedRecords: 35 })
    expect(r.checkpoint).toMatchObject({ id: 1, firstSeq: 1, seq: 35, records: 35, retentionDays: 3, cutoff: START + 7 * DAY })

    // Nothing younger than retention went: days 7, 8 and 9 are all there.
    const left = log.query({ kind: 'request', limit: 1000 }).records.map((x) => x.seq)
    expect(left).toEqual(Array.from({ length: 15 }, (_, i) => 50 - i))
    const oldestKept = Math.min(...log.query({ kind: 'request', limit: 1000 }).records.map((x) => x.time))
    expect(oldestKept).toBe(START + 7 * DAY)

    // The prune is itself a record in the chain, witnessing the checkpoint.
    const [pruneRec] = log.query({ kind: 'prune' }).records
    expect(pruneRec).toMatchObject({ seq: 51, detail: { checkpoint: { id: 1, seq: 35, hash: r.checkpoint!.hash }, records: 35 } })

    expect(await log.verify()).toMatchObject({ ok: true, records: 16, checkpoints: 1, head: log.head(), proofs: { mac: 'checked' } })
    expect(log.info()).toMatchObject({ firstSeq: 36, records: 16, checkpoints: 1 })
  })

  it('does nothing when no segment is old enough', () => {
    clock.set(START + 3 * DAY)
    expect(log.prune()).toEqual({ prunedSegments: 0, prunedRecords: 0, checkpoint: null })
    expect(log.head().seq).toBe(50)
  })

  it('prunes repeatedly, chaining checkpoints, and keeps appending after', async () => {
    const first = log.prune()
    clock.set(START + 12 * DAY)
    const second = log.prune(clock.now())
    expect(second).toMatchObject({ prunedSegments: 2, prunedRecords: 10, checkpoint: { id: 2, firstSeq: 36, seq: 45 } })
    expect(second.checkpoint!.prevHash).toBe(first.checkpoint!.hash)

    for (let i = 0; i < 3; i++) log.append(requestEntry(100 + i))
    log.flush()
    log.close()
    log = openAuditLog({ dir, clock: clock.now })
    expect(await log.verify()).toMatchObject({ ok: true, checkpoints: 2 })

    // Far in the future everything goes, including the first prune's own record;
    // the newest checkpoint is then witnessed by the newest prune record.
    clock.set(START + 100 * DAY)
    const third = log.prune()
    expect(third.checkpoint).toMatchObject({ id: 3, firstSeq: 46 })
    expect(log.info().records).toBe(1)
    expect(await log.verify()).toMatchObject({ ok: true, records: 1, checkpoints: 3 })
  })

  it('remembers retention_days across opens and validates it', () => {
    log.close()
    log = openAuditLog({ dir, clock: clock.now })
    expect(log.info().retentionDays).toBe(3)
    log.close()
    log = openAuditLog({ dir, clock: clock.now, retentionDays: 2190 })
    expect(log.prune()).toMatchObject({ prunedRecords: 0 })
  })

  it('refuses to prune segments whose records do not verify, and removes nothing', () => {
    log.close()
    tamper(file, 'UPDATE audit_records SET status = 500 WHERE seq = 12')
    log = openAuditLog({ dir, clock: clock.now })
    expect(() => log.prune()).toThrow(/Pruning refused.*record 12 does not match its hash/)
    expect(log.info()).toMatchObject({ records: 50, checkpoints: 0 })
  })
})

describe('tampering around checkpoints', () => {
  beforeEach(() => {
    log.prune()
    log.close()
  })

  async function verifyNow() {
    const l = openAuditLog({ file, create: false })
    try {
      return await l.verify()
    } finally {
      l.close()
    }
  }

  it('an edited checkpoint', async () => {
    tamper(file, 'UPDATE audit_checkpoints SET records = 34, first_seq = 2')
    const r = await verifyNow()
    expect(r).toMatchObject({ ok: false, firstBadSeq: 2 })
    if (!r.ok) expect(r.reason).toMatch(/checkpoint #1 .* does not match its hash/)
  })

  it('a deleted checkpoint', async () => {
    tamper(file, 'DELETE FROM audit_checkpoints')
    const r = await verifyNow()
    expect(r).toMatchObject({ ok: false, firstBadSeq: 1 })
    if (!r.ok) expect(r.reason).toMatch(/record 1 is missing/)
  })

  it('records removed behind a forged, correctly hashed checkpoint', async () => {
    // The attacker removes records 36–40 and writes a second checkpoint for them.
    const meta = rawAll(file, "SELECT value FROM audit_meta WHERE key = 'log_id'")[0].value as string
    const cp1 = rawAll(file, 'SELECT hash FROM audit_checkpoints WHERE id = 1')[0].hash as string
    const h40 = rawAll(file, 'SELECT hash FROM audit_records WHERE seq = 40')[0].hash as string
    const forged = sealCheckpoint({
      id: 2,
      firstSeq: 36,
      seq: 40,
      recordHash: h40,
      records: 5,
      segments: 1,
      retentionDays: 3,
      cutoff: START + 8 * DAY,
      createdAt: START + 11 * DAY,
      prevHash: cp1,
    })
    expect(genesisHash(meta)).not.toBe(cp1)
    tamper(
      file,
      `INSERT INTO audit_checkpoints VALUES (2, 36, 40, '${h40}', 5, 1, 3, ${forged.cutoff}, ${forged.createdAt}, '${cp1}', '${forged.hash}');
       DELETE FROM audit_records WHERE seq BETWEEN 36 AND 40;`,
    )
    const r = await verifyNow()
    expect(r).toMatchObject({ ok: false, firstBadSeq: 41 })
    if (!r.ok) expect(r.reason).toMatch(/checkpoint #2 has no prune record/)
  })

  it('a pruned record put back', async () => {
    tamper(file, "INSERT INTO audit_records (seq, time, kind, verdicts, findings, prev_hash, hash) VALUES (35, 0, 'request', '[]', '[]', 'x', 'y')")
    const r = await verifyNow()
    expect(r).toMatchObject({ ok: false, firstBadSeq: 35 })
  })
})
