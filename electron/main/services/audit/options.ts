import { WaferError } from '@shared/ipc/errors'

import type { CommitObserver } from './audit-store'

export interface AuditLogOptions {
  /** The log's database file. */
  file?: string
  /** Or a directory, in which `audit.db` is used (created when missing). */
  dir?: string
  /** retention_days, 1–36500. Left out: what the log was last opened with, else 365. Saved in the log. */
  retentionDays?: number
  /** log_all_access. Left out: what the log was last opened with, else false. Saved in the log. */
  logAllAccess?: boolean
  /** Epoch ms; the time of records that bring none, and of prune() without an argument. */
  clock?: () => number
  /** Create the log when the file is missing or empty (default true). Readers such as the CLI pass false. */
  create?: boolean
  /** Who reads, named in access records when a call does not say (default `local`). */
  actor?: string
  /** Pending records that force a commit at once rather than at the end of the tick (default 512). */
  batchSize?: number
  /** Pending records beyond which append() refuses, when commits keep failing (default 100 000). */
  maxPending?: number
  /** Span of a segment, the unit retention removes (default one day). */
  segmentSpanMs?: number
  /** Records per segment at most (default 100 000). */
  segmentMaxRecords?: number
  /**
   * `normal` (default): a commit is in the OS before append's tick ends, so a
   * killed or crashed process loses nothing committed; power loss may drop
   * the last commits whole (the chain and head roll back together, so it
   * still verifies). `full` also fsyncs every commit, which survives power
   * loss but blocks the event loop for the sync on every commit — right for
   * hipaa_audit_controls, costly beside a latency-sensitive gateway.
   */
  durability?: 'full' | 'normal'
  /** How long a commit waits for another process's write lock before it fails and is retried (default 2000 ms). */
  busyTimeoutMs?: number
  /**
   * Signed checkpoints (format 2 logs, by a writer): every this many records
   * (default 1000) or this long (default 60 s), and at close. See signed-heads.ts.
   */
  checkpointEveryRecords?: number
  checkpointEveryMs?: number
  /**
   * A file outside the database each signed checkpoint's head is appended to
   * (JSON lines), for `wafer audit verify --witness FILE`. Keep it, or a copy,
   * somewhere the database's holder cannot rewrite.
   */
  witnessFile?: string
  /** A background commit failed. Its records stay queued; it is retried a second later, or by flush(). */
  onError?: (err: WaferError) => void
  /** Told of every commit: how long it took and whether it was written (for metrics). */
  onCommit?: CommitObserver
}

/** Who is reading, for the access record log_all_access appends. */
export interface AccessContext {
  actor?: string
}

export function checkRetentionDays(days: number | undefined): void {
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 36_500)) {
    throw new WaferError('bad_request', `retention_days must be a whole number from 1 to 36500, not ${days}`)
  }
}
