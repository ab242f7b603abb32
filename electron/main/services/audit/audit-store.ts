import type { Writable } from 'node:stream'

import type { AuditHead, AuditInfo, AuditPage, AuditPruneResult, AuditQuery, AuditRecord, AuditVerifyResult } from '@shared/audit/types'

import type { AuditEntryInput } from './input'
import type { AccessContext } from './options'
import type { WitnessLine } from './signed-heads'

/** One commit, as a store reports it to whoever measures (metrics: audit write latency). */
export interface CommitReport {
  ms: number
  ok: boolean
  records: number
}
export type CommitObserver = (report: CommitReport) => void

/** What a store knows about its own health, for a readiness check and metrics. */
export interface AuditStoreHealth {
  /** Whether the database answered last time it was asked (null: not yet known). A SQLite file is always reachable. */
  reachable: boolean | null
  /** Why the last commit failed (null after a good one). */
  lastError: string | null
  /** How long the last commit took, ms. */
  lastCommitMs: number | null
  commits: number
  failedCommits: number
  /** Records waiting to be written. */
  pending: number
}

/**
 * The audit log, whatever holds it: one interface, two stores (SQLite,
 * sqlite-store.ts; PostgreSQL, postgres/store.ts), tested by the same
 * contract tests. Writing is queue-then-commit: append() validates and
 * queues at once; flush() resolves once what was queued is committed.
 */
export interface AuditStore {
  readonly kind: 'sqlite' | 'postgres'
  /** The log as people name it: its file, or its database's URL without the password. */
  readonly location: string
  /** Queues one entry. Throws only for bad input, a closed log, or a backlog that failed commits left. */
  append(entry: AuditEntryInput): void
  /** Commits what is queued; resolves to what this commit wrote, rejects (keeping the queue) when it fails. */
  flush(): Promise<AuditRecord[]>
  /** The newest committed record's seq and hash. */
  head(): Promise<AuditHead>
  /** The salted hash a finding keeps of `text`. */
  matchHash(text: string): string
  info(): Promise<AuditInfo>
  /** A page of records, newest first (an access record is committed first, under log_all_access). */
  query(q?: AuditQuery, ctx?: AccessContext): Promise<AuditPage>
  /** Checks the whole log on one snapshot (see verify.ts). */
  verify(opts?: AccessContext & { expectHead?: AuditHead; witness?: WitnessLine[] }): Promise<AuditVerifyResult>
  /** Records oldest first as JSON lines; honours backpressure. */
  exportJsonl(out: Writable, opts?: AccessContext & { filter?: AuditQuery }): Promise<{ records: number }>
  /** Removes whole segments past retention, leaving a checkpoint the rest verifies from. */
  prune(now?: number): Promise<AuditPruneResult>
  /** Latency and reachability, as last seen. */
  health(): AuditStoreHealth
  /** Asks the database whether it is there (a readiness probe). */
  ping(): Promise<boolean>
  /** Flushes, signs a last checkpoint, and lets go of the database. */
  close(): Promise<void>
}
