import type { AuditPruneResult, AuditRecord } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'

import { CHECKPOINT_COLUMNS, checkpointFromRow, type CheckpointRow, checkpointToParams, sealCheckpoint } from './checkpoint'
import type { ParsedAuditEntry } from './input'
import { RECORD_COLUMNS, type RecordRow } from './record'
import { all, get, insertRows, type Program, run } from './sql-program'
import { checkRecordRow } from './verify'

/** A segment as stored: the unit retention removes. */
export interface SegmentRow {
  id: number
  first_seq: number
  last_seq: number
  first_time: number
  last_time: number
}

export interface PruneContext {
  genesis: string
  retentionDays: number
  /** Who prunes, named in the prune record. */
  actor: string
  /** Format 2: the removed records' MACs go with them. */
  macs: boolean
  /** Seals and inserts entries after the stored head (inside the running transaction). */
  writeRecords(entries: readonly ParsedAuditEntry[]): Program<AuditRecord[]>
}

/**
 * Inside a write transaction: removes whole segments whose newest record is
 * older than `cutoff`, oldest first, and leaves a checkpoint holding the
 * hash of the last removed record, so the remaining chain still verifies
 * from it. A `prune` record in the chain witnesses each checkpoint. The
 * records to be removed are verified first: pruning refuses to bury tampering.
 */
export function* pruneSegments(ctx: PruneContext, now: number, cutoff: number): Program<AuditPruneResult> {
  const lastCpRow = yield* get<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY id DESC LIMIT 1`)
  const lastCp = lastCpRow && checkpointFromRow(lastCpRow)
  const from = (lastCp?.seq ?? 0) + 1
  const segs = yield* all<SegmentRow>('SELECT id, first_seq, last_seq, first_time, last_time FROM audit_segments WHERE last_seq >= ? ORDER BY first_seq', from)
  const eligible: SegmentRow[] = []
  let expectFirst = from
  for (const s of segs) {
    if (s.first_seq !== expectFirst) throw refusePrune(`segment ${s.id} does not start at record ${expectFirst}`)
    if (s.last_time >= cutoff) break
    eligible.push(s)
    expectFirst = s.last_seq + 1
  }
  if (eligible.length === 0) return { prunedSegments: 0, prunedRecords: 0, checkpoint: null }
  const through = eligible[eligible.length - 1].last_seq

  const lastHash = yield* checkRange(from, through, lastCp?.recordHash ?? ctx.genesis)
  const checkpoint = sealCheckpoint({
    id: (lastCp?.id ?? 0) + 1,
    firstSeq: from,
    seq: through,
    recordHash: lastHash,
    records: through - from + 1,
    segments: eligible.length,
    retentionDays: ctx.retentionDays,
    cutoff,
    createdAt: now,
    prevHash: lastCp?.hash ?? ctx.genesis,
  })
  yield* insertRows('audit_checkpoints', CHECKPOINT_COLUMNS.split(', '), [checkpointToParams(checkpoint)])
  const removed = (yield* run('DELETE FROM audit_records WHERE seq BETWEEN ? AND ?', from, through)).changes
  if (removed !== checkpoint.records) throw refusePrune(`expected to remove ${checkpoint.records} records, found ${removed}`)
  if (ctx.macs) yield* run('DELETE FROM audit_macs WHERE seq BETWEEN ? AND ?', from, through)
  yield* run(`DELETE FROM audit_segments WHERE id IN (${eligible.map(() => '?').join(', ')})`, ...eligible.map((s) => s.id))
  yield* ctx.writeRecords([
    {
      kind: 'prune',
      time: now,
      client: ctx.actor,
      verdicts: [],
      findings: [],
      detail: {
        checkpoint: { id: checkpoint.id, seq: checkpoint.seq, hash: checkpoint.hash },
        firstSeq: from,
        records: checkpoint.records,
        segments: eligible.length,
        retentionDays: ctx.retentionDays,
        cutoff,
      },
    },
  ])
  return { prunedSegments: eligible.length, prunedRecords: removed, checkpoint }
}

/** Records read at a time while checking what a prune removes. */
const CHECK_PAGE = 2000

/** Verifies records from..through before they are removed; returns the hash of the last one. */
function* checkRange(from: number, through: number, prevHash: string): Program<string> {
  let expect = from
  let prev = prevHash
  for (;;) {
    const rows = yield* all<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM audit_records WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ${CHECK_PAGE}`,
      expect,
      through,
    )
    for (const row of rows) {
      if (row.seq !== expect) throw refusePrune(`record ${expect} is missing`)
      const checked = checkRecordRow(row, expect, prev)
      if (typeof checked === 'string') throw refusePrune(checked)
      prev = row.hash
      expect++
    }
    if (rows.length < CHECK_PAGE) break
  }
  if (expect !== through + 1) throw refusePrune(`record ${expect} is missing`)
  return prev
}

function refusePrune(why: string): WaferError {
  return new WaferError('storage', `Pruning refused, the records to be removed do not verify: ${why}. Run \`wafer audit verify\`.`)
}
