import type { AuditCheckpoint } from '@shared/audit/types'

import { checkpointHash } from './hashing'

/** Everything a checkpoint's hash covers. */
export function checkpointBody(c: Omit<AuditCheckpoint, 'hash'> | AuditCheckpoint): Record<string, unknown> {
  return {
    id: c.id,
    firstSeq: c.firstSeq,
    seq: c.seq,
    recordHash: c.recordHash,
    records: c.records,
    segments: c.segments,
    retentionDays: c.retentionDays,
    cutoff: c.cutoff,
    createdAt: c.createdAt,
    prevHash: c.prevHash,
  }
}

export function sealCheckpoint(body: Omit<AuditCheckpoint, 'hash'>): AuditCheckpoint {
  return { ...body, hash: checkpointHash(checkpointBody(body)) }
}

export interface CheckpointRow {
  id: number
  first_seq: number
  seq: number
  record_hash: string
  records: number
  segments: number
  retention_days: number
  cutoff: number
  created_at: number
  prev_hash: string
  hash: string
}

export const CHECKPOINT_COLUMNS = 'id, first_seq, seq, record_hash, records, segments, retention_days, cutoff, created_at, prev_hash, hash'

export function checkpointToParams(c: AuditCheckpoint): unknown[] {
  return [c.id, c.firstSeq, c.seq, c.recordHash, c.records, c.segments, c.retentionDays, c.cutoff, c.createdAt, c.prevHash, c.hash]
}

export function checkpointFromRow(r: CheckpointRow): AuditCheckpoint {
  return {
    id: r.id,
    firstSeq: r.first_seq,
    seq: r.seq,
    recordHash: r.record_hash,
    records: r.records,
    segments: r.segments,
    retentionDays: r.retention_days,
    cutoff: r.cutoff,
    createdAt: r.created_at,
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

/** What a prune record's detail says about the checkpoint it left, so a forged checkpoint has no witness in the chain. */
export interface PruneAttestation {
  checkpoint: { id: number; seq: number; hash: string }
}

export function attestationOf(detail: unknown): PruneAttestation['checkpoint'] | undefined {
  if (!detail || typeof detail !== 'object') return undefined
  const cp = (detail as { checkpoint?: unknown }).checkpoint
  if (!cp || typeof cp !== 'object') return undefined
  const { id, seq, hash } = cp as Record<string, unknown>
  return typeof id === 'number' && typeof seq === 'number' && typeof hash === 'string' ? { id, seq, hash } : undefined
}
