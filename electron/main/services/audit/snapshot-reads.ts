import { once } from 'node:events'
import type { Writable } from 'node:stream'

import type { AuditCheckpoint, AuditHead, AuditVerifyResult } from '@shared/audit/types'

import { CHECKPOINT_COLUMNS, checkpointFromRow, type CheckpointRow } from './checkpoint'
import type { CompiledQuery } from './query'
import { RECORD_COLUMNS, recordFromRow, type RecordRow } from './record'
import { SIGNED_HEAD_COLUMNS, type SignedHeadRow } from './signed-heads'
import { all, get, type Program } from './sql-program'
import { verifyChain } from './verify'
import type { ProofInputs } from './verify-proofs'

/*
 * The long reads of the audit log, each on its own snapshot (a read
 * transaction the store opens): verifying the whole chain, and exporting
 * records as JSON lines. `run` runs a program on that snapshot, synchronously
 * (SQLite) or not (PostgreSQL).
 */

export type RunOnSnapshot = <T>(program: Program<T>) => T | Promise<T>

/** What the log knows about its keyed proofs, for verifyOnSnapshot; the snapshot supplies the rows. */
export type ProofContext = Omit<ProofInputs, 'signedHeads' | 'seal'>

interface ChainEnds {
  checkpoints: AuditCheckpoint[]
  head: AuditHead | undefined
  signedHeads: SignedHeadRow[]
  seal: ProofInputs['seal']
}

function* readChainEnds(v2: boolean): Program<ChainEnds> {
  const checkpoints = (yield* all<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY id`)).map(checkpointFromRow)
  const h = yield* get<AuditHead>('SELECT seq, hash FROM audit_head WHERE id = 1')
  const signedHeads = v2 ? yield* all<SignedHeadRow>(`SELECT ${SIGNED_HEAD_COLUMNS} FROM audit_signed_heads ORDER BY id`) : []
  const seal = v2 ? yield* get<NonNullable<ProofInputs['seal']>>('SELECT seq, hash, mac FROM audit_seal WHERE id = 1') : undefined
  return { checkpoints, head: h && { seq: h.seq, hash: h.hash }, signedHeads, seal }
}

/** Checks the whole log on the snapshot (see verify.ts). */
export async function verifyOnSnapshot(run: RunOnSnapshot, genesis: string, expectHead?: AuditHead, proof?: ProofContext): Promise<AuditVerifyResult> {
  let ends: ChainEnds
  try {
    ends = await run(readChainEnds(proof?.version === 2))
  } catch (err) {
    return { ok: false, firstBadSeq: 1, records: 0, reason: `the log's checkpoints or head cannot be read: ${(err as Error).message}` }
  }
  const proofs: ProofInputs | undefined = proof && { ...proof, signedHeads: ends.signedHeads, seal: ends.seal }
  const select =
    proof?.version === 2
      ? `SELECT ${RECORD_COLUMNS.split(', ')
          .map((c) => `r.${c}`)
          .join(', ')}, m.mac FROM audit_records r LEFT JOIN audit_macs m ON m.seq = r.seq WHERE r.seq > ? ORDER BY r.seq LIMIT ?`
      : `SELECT ${RECORD_COLUMNS} FROM audit_records WHERE seq > ? ORDER BY seq LIMIT ?`
  const readPage = (after: number, limit: number) => run(all<RecordRow & { mac?: string | null }>(select, after, limit))
  return verifyChain(
    { genesis, checkpoints: ends.checkpoints, head: ends.head, readPage, proofs },
    { expectHead, yieldEvery: () => new Promise<void>((r) => setImmediate(r)) },
  )
}

/** Writes the records the query selects, oldest first, one JSON object per line; honours backpressure. */
export async function exportOnSnapshot(run: RunOnSnapshot, c: Pick<CompiledQuery, 'where' | 'params'>, out: Writable): Promise<{ records: number }> {
  const where = c.where ? `${c.where} AND seq > ?` : 'WHERE seq > ?'
  const page = `SELECT ${RECORD_COLUMNS} FROM audit_records ${where} ORDER BY seq LIMIT 1000`
  let after = 0
  let n = 0
  for (;;) {
    const rows = await run(all<RecordRow>(page, ...c.params, after))
    if (rows.length === 0) break
    for (const row of rows) {
      if (!out.write(JSON.stringify(recordFromRow(row)) + '\n')) await once(out, 'drain')
      n++
    }
    after = rows[rows.length - 1].seq
  }
  return { records: n }
}
