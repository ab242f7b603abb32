import { once } from 'node:events'
import type { Writable } from 'node:stream'

import type { AuditCheckpoint, AuditHead, AuditVerifyResult } from '@shared/audit/types'
import type Database from 'libsql'

import { CHECKPOINT_COLUMNS, checkpointFromRow, type CheckpointRow } from './checkpoint'
import type { Db } from './connection'
import type { CompiledQuery } from './query'
import { RECORD_COLUMNS, recordFromRow, type RecordRow } from './record'
import { SIGNED_HEAD_COLUMNS, type SignedHeadRow } from './signed-heads'
import { verifyChain } from './verify'
import type { ProofInputs } from './verify-proofs'

/*
 * The long reads of the audit log, each on its own snapshot (withSnapshot):
 * verifying the whole chain, and exporting records as JSON lines.
 */

/** What the log knows about its keyed proofs, for verifyOnSnapshot; the snapshot supplies the rows. */
export type ProofContext = Omit<ProofInputs, 'signedHeads' | 'seal'>

/** Checks the whole log on the snapshot (see verify.ts). */
export async function verifyOnSnapshot(db: Db, genesis: string, expectHead?: AuditHead, proof?: ProofContext): Promise<AuditVerifyResult> {
  let checkpoints: AuditCheckpoint[]
  let head: AuditHead | undefined
  let proofs: ProofInputs | undefined
  try {
    checkpoints = (db.prepare(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY id`).all() as CheckpointRow[]).map(checkpointFromRow)
    const h = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined
    head = h && { seq: h.seq, hash: h.hash }
    if (proof) {
      const v2 = proof.version === 2
      const signedHeads = v2 ? (db.prepare(`SELECT ${SIGNED_HEAD_COLUMNS} FROM audit_signed_heads ORDER BY id`).all() as SignedHeadRow[]) : []
      const seal = v2 ? (db.prepare('SELECT seq, hash, mac FROM audit_seal WHERE id = 1').get() as ProofInputs['seal']) : undefined
      proofs = { ...proof, signedHeads, seal }
    }
  } catch (err) {
    return { ok: false, firstBadSeq: 1, records: 0, reason: `the log's checkpoints or head cannot be read: ${(err as Error).message}` }
  }
  // Prepared inside readPage, so a damaged table is reported as a failed verification.
  let page: Database.Statement | undefined
  const select =
    proof?.version === 2
      ? `SELECT ${RECORD_COLUMNS.split(', ')
          .map((c) => `r.${c}`)
          .join(', ')}, m.mac FROM audit_records r LEFT JOIN audit_macs m ON m.seq = r.seq WHERE r.seq > ? ORDER BY r.seq LIMIT ?`
      : `SELECT ${RECORD_COLUMNS} FROM audit_records WHERE seq > ? ORDER BY seq LIMIT ?`
  const readPage = (after: number, limit: number) => (page ??= db.prepare(select)).all(after, limit) as RecordRow[]
  return verifyChain({ genesis, checkpoints, head, readPage, proofs }, { expectHead, yieldEvery: () => new Promise<void>((r) => setImmediate(r)) })
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
