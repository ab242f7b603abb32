import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type Database from 'libsql'
import type { AuditCheckpoint, AuditHead, AuditVerifyResult } from '../../../../shared/audit/types'
import { CHECKPOINT_COLUMNS, checkpointFromRow, type CheckpointRow } from './checkpoint'
import type { Db } from './connection'
import type { CompiledQuery } from './query'
import { RECORD_COLUMNS, recordFromRow, type RecordRow } from './record'
import { verifyChain } from './verify'

/*
 * The long reads of the audit log, each on its own snapshot (withSnapshot):
 * verifying the whole chain, and exporting records as JSON lines.
 */

/** Checks the whole log on the snapshot (see verify.ts). */
export async function verifyOnSnapshot(db: Db, genesis: string, expectHead?: AuditHead): Promise<AuditVerifyResult> {
  let checkpoints: AuditCheckpoint[]
  let head: AuditHead | undefined
  try {
    checkpoints = (db.prepare(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY id`).all() as CheckpointRow[]).map(checkpointFromRow)
    const h = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined
    head = h && { seq: h.seq, hash: h.hash }
  } catch (err) {
    return { ok: false, firstBadSeq: 1, records: 0, reason: `the log's checkpoints or head cannot be read: ${(err as Error).message}` }
  }
  // Prepared inside readPage, so a damaged table is reported as a failed verification.
  let page: Database.Statement | undefined
  const readPage = (after: number, limit: number) =>
    (page ??= db.prepare(`SELECT ${RECORD_COLUMNS} FROM audit_records WHERE seq > ? ORDER BY seq LIMIT ?`)).all(after, limit) as RecordRow[]
  return verifyChain({ genesis, checkpoints, head, readPage }, { expectHead, yieldEvery: () => new Promise<void>((r) => setImmediate(r)) })
}

/** Writes the records the query selects, oldest first, one JSON object per line; honours backpressure. */
export async function exportOnSnapshot(db: Db, c: Pick<CompiledQuery, 'where' | 'params'>, out: Writable): Promise<{ records: number }> {
  const where = c.where ? `${c.where} AND seq > ?` : 'WHERE seq > ?'
  const page = db.prepare(`SELECT ${RECORD_COLUMNS} FROM audit_records ${where} ORDER BY seq LIMIT 1000`)
  let after = 0
  let n = 0
  for (;;) {
    const rows = page.all(...c.params, after) as RecordRow[]
    if (rows.length === 0) break
    for (const row of rows) {
      if (!out.write(JSON.stringify(recordFromRow(row)) + '\n')) await once(out, 'drain')
      n++
    }
    after = rows[rows.length - 1].seq
  }
  return { records: n }
}
