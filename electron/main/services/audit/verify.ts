import type { AuditCheckpoint, AuditHead, AuditRecord, AuditVerifyResult } from '@shared/audit/types'

import { attestationOf, checkpointBody } from './checkpoint'
import { checkpointHash } from './hashing'
import { hashOfRecord, recordFromRow, type RecordRow } from './record'
import { checkProofs, checkRecordMac, type ProofInputs, seqsOfInterest } from './verify-proofs'

/** What the verifier reads, all from one consistent snapshot of the log. */
export interface ChainSnapshot {
  genesis: string
  /** Ordered by id. */
  checkpoints: AuditCheckpoint[]
  /** Undefined when the head row is missing. */
  head: AuditHead | undefined
  /** Up to `limit` rows with seq > afterSeq, ascending (with each record's MAC in format 2 logs); from a database that answers asynchronously, a promise of them. */
  readPage(afterSeq: number, limit: number): Array<RecordRow & { mac?: string | null }> | Promise<Array<RecordRow & { mac?: string | null }>>
  /** MACs, seal, signed checkpoints and witness (see verify-proofs.ts); left out, only the chain is checked. */
  proofs?: ProofInputs
}

export interface VerifyOptions {
  /** A head recorded earlier, outside the log: the log must still contain exactly this record. */
  expectHead?: AuditHead
  /** Give the event loop a turn between pages, so a long verify does not stall the app. */
  yieldEvery?: () => Promise<void>
  pageSize?: number
}

const short = (h: string) => h.slice(0, 12)

/**
 * Checks one row that should be record `seq`, following a record whose hash
 * is `prevHash`. Returns the record, or why it cannot be trusted. The link
 * is checked before the content so that rows swapped in place are reported
 * as reordered rather than merely edited.
 */
export function checkRecordRow(row: RecordRow, seq: number, prevHash: string): AuditRecord | string {
  let rec: AuditRecord
  let hash: string
  try {
    rec = recordFromRow(row)
    hash = hashOfRecord(rec)
  } catch {
    return `record ${row.seq} is damaged: a column no longer holds a value of the kind that was written`
  }
  if (row.prev_hash !== prevHash) {
    return (
      `record ${row.seq} does not link to ${seq === 1 ? 'the start of the log' : `record ${seq - 1}`} ` +
      `(prev ${short(row.prev_hash)}…, expected ${short(prevHash)}…): records were reordered, replaced or re-hashed`
    )
  }
  if (hash !== row.hash) return `record ${row.seq} does not match its hash: its content was edited`
  return rec
}

/**
 * Walks checkpoints, then every stored record, then the head marker. The
 * first problem found is reported with the seq of the first record that
 * cannot be trusted:
 * - a record whose content no longer matches its hash was edited;
 * - a seq gap means records were deleted;
 * - a record that does not link to its predecessor was moved, replaced or
 *   re-hashed (reordering swaps lands here or in the hash check);
 * - a head marker beyond the last record means the tail was cut off.
 */
export async function verifyChain(snap: ChainSnapshot, opts: VerifyOptions = {}): Promise<AuditVerifyResult> {
  const pageSize = opts.pageSize ?? 2000
  let checked = 0
  const fail = (firstBadSeq: number, reason: string): AuditVerifyResult => ({ ok: false, firstBadSeq, reason, records: checked })

  // 1. Checkpoints chain to each other and cover the seqs before the records.
  let prevCpHash = snap.genesis
  let nextSeq = 1
  for (const cp of snap.checkpoints) {
    const label = `checkpoint #${cp.id} (records ${cp.firstSeq}–${cp.seq})`
    if (checkpointHash(checkpointBody(cp)) !== cp.hash) return fail(cp.firstSeq, `${label} does not match its hash: it was edited`)
    if (cp.prevHash !== prevCpHash) return fail(cp.firstSeq, `${label} does not link to the checkpoint before it`)
    if (cp.firstSeq !== nextSeq || cp.seq < cp.firstSeq || cp.records !== cp.seq - cp.firstSeq + 1) {
      return fail(nextSeq, `${label} does not continue from record ${nextSeq - 1}`)
    }
    prevCpHash = cp.hash
    nextSeq = cp.seq + 1
  }
  const lastCp = snap.checkpoints.at(-1)
  const checkpointById = new Map(snap.checkpoints.map((c) => [c.id, c]))
  let lastCpAttested = lastCp === undefined

  // 2. Records: contiguous from the last checkpoint, each linked and intact.
  let prevHash = lastCp ? lastCp.recordHash : snap.genesis
  let afterSeq = 0
  const interest = snap.proofs ? seqsOfInterest(snap.proofs) : new Set<number>()
  const hashAt = new Map<number, string>()
  /** request_started records with no request_completed yet, in seq order. */
  const open = new Map<string, number>()
  let firstStored: number | undefined
  for (;;) {
    let rows: Array<RecordRow & { mac?: string | null }>
    try {
      rows = await snap.readPage(afterSeq, pageSize)
    } catch (err) {
      return fail(nextSeq, `the log could not be read from record ${nextSeq} on: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (rows.length === 0) break
    for (const row of rows) {
      if (row.seq < nextSeq) {
        return fail(row.seq, `record ${row.seq} is still present although checkpoint #${lastCp?.id} says it was pruned`)
      }
      if (row.seq > nextSeq) {
        return fail(nextSeq, `record ${nextSeq} is missing (the log jumps from ${nextSeq - 1} to ${row.seq}): records were deleted`)
      }
      const bad = checkRecordRow(row, nextSeq, prevHash)
      if (typeof bad === 'string') return fail(row.seq, bad)
      const macProblem = snap.proofs && checkRecordMac(snap.proofs, row.seq, row.hash, row.mac)
      if (macProblem) return fail(row.seq, macProblem)
      const rec = bad
      firstStored ??= row.seq
      if (interest.has(row.seq)) hashAt.set(row.seq, row.hash)
      if (rec.requestId && rec.kind === 'request_started') open.set(rec.requestId, row.seq)
      else if (rec.requestId && rec.kind === 'request_completed') open.delete(rec.requestId)
      if (rec.kind === 'prune') {
        const att = attestationOf(rec.detail)
        const cp = att && checkpointById.get(att.id)
        if (!att || !cp || cp.hash !== att.hash || cp.seq !== att.seq) {
          return fail(row.seq, `prune record ${row.seq} names a checkpoint the log does not hold`)
        }
        if (cp === lastCp) lastCpAttested = true
      }
      if (opts.expectHead && row.seq === opts.expectHead.seq && row.hash !== opts.expectHead.hash) {
        return fail(row.seq, `record ${row.seq} is not the record pinned as the head earlier: the log was rewritten`)
      }
      prevHash = row.hash
      nextSeq = row.seq + 1
      afterSeq = row.seq
      checked++
    }
    if (opts.yieldEvery) await opts.yieldEvery()
  }
  const lastSeq = nextSeq - 1

  // 3. The head marker must sit exactly on the last record.
  if (!snap.head) return fail(lastSeq + 1, `the head marker is missing, so truncation after record ${lastSeq} cannot be ruled out`)
  if (snap.head.seq > lastSeq) {
    return fail(
      lastSeq + 1,
      `the log ends at record ${lastSeq} but its head marker says ${snap.head.seq}: records ${lastSeq + 1}–${snap.head.seq} were cut off`,
    )
  }
  if (snap.head.seq < lastSeq) {
    return fail(snap.head.seq + 1, `records ${snap.head.seq + 1}–${lastSeq} lie beyond the head marker: they were not appended by this log`)
  }
  if (snap.head.hash !== prevHash) {
    return fail(Math.max(lastSeq, 1), `the head marker's hash does not match record ${lastSeq}: the head or the last record was replaced`)
  }
  if (!lastCpAttested && lastCp) {
    return fail(
      lastCp.seq + 1,
      `checkpoint #${lastCp.id} has no prune record in the chain: records ${lastCp.firstSeq}–${lastCp.seq} may have been removed behind a forged checkpoint`,
    )
  }
  if (opts.expectHead && opts.expectHead.seq > lastSeq) {
    return fail(lastSeq + 1, `the log ends at record ${lastSeq}, before the head pinned earlier (${opts.expectHead.seq}): it was truncated or rolled back`)
  }
  if (opts.expectHead && lastCp && opts.expectHead.seq === lastCp.seq && opts.expectHead.hash !== lastCp.recordHash) {
    return fail(lastCp.seq, `checkpoint #${lastCp.id} does not stand for the record pinned as the head earlier: the log was rewritten`)
  }
  if (!snap.proofs) return { ok: true, records: checked, checkpoints: snap.checkpoints.length, head: snap.head }

  // 4. MAC seal, signed checkpoints, witness: the lowest seq any of them names is the first bad record.
  const checked2 = checkProofs(snap.proofs, { lastSeq, head: snap.head, firstStored: firstStored ?? lastSeq + 1, hashAt, checkpoints: snap.checkpoints })
  const unfinishedIds = [...open.keys()].slice(-20).reverse()
  const proofs = {
    mac: snap.proofs.version === 1 ? ('absent' as const) : snap.proofs.macKey ? ('checked' as const) : ('not_checked' as const),
    signedCheckpoints: checked2.signed,
    witnessHeads: checked2.witnessed,
    unfinished: open.size,
    unfinishedIds,
    notes: checked2.notes,
  }
  const worst = checked2.failures.sort((a, b) => a.firstBadSeq - b.firstBadSeq)[0]
  if (worst) return { ok: false, firstBadSeq: worst.firstBadSeq, reason: worst.reason, records: checked, proofs }
  return { ok: true, records: checked, checkpoints: snap.checkpoints.length, head: snap.head, proofs }
}
