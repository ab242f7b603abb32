import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Writable } from 'node:stream'

import type { AuditHead, AuditInfo, AuditPage, AuditPruneResult, AuditQuery, AuditRecord, AuditVerifyResult } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'

import type { AuditStoreHealth, CommitObserver } from './audit-store'
import { AUDIT_DB_NAME, type ConnectOptions, type Db, openLogFile, resolveFile, storageError, withSnapshot } from './connection'
import { type AuditEntryInput, parseAuditEntry, type ParsedAuditEntry } from './input'
import { keyFilePath } from './key-file'
import { LogCore, openSettings } from './log-core'
import { type AccessContext, type AuditLogOptions, checkRetentionDays } from './options'
import { readHead } from './record-writer'
import { openSchema } from './schema'
import type { WitnessLine } from './signed-heads'
import { exportOnSnapshot, verifyOnSnapshot } from './snapshot-reads'
import type { Program } from './sql-program'
import { SqliteRunner } from './sqlite-runner'

export { AUDIT_DB_NAME } from './connection'
export { DEFAULT_RETENTION_DAYS } from './log-core'
export type { AccessContext, AuditLogOptions } from './options'

/**
 * The tamper-evident audit log in a SQLite file: append-only and
 * hash-chained (see schema.ts for the layout, log-core.ts for the rules,
 * verify.ts for what verification proves). pg-store.ts keeps the same log
 * in PostgreSQL.
 *
 * Appends are queued and committed together at the end of the current tick,
 * or at once when `batchSize` are waiting, or by flush(). Records get their
 * seq and hashes only inside the commit's write transaction, from the head
 * stored in the file: so two processes may append to one log (the CLI's
 * access records beside a running gateway), a failed commit can simply be
 * retried, and a process killed at any moment leaves a chain that verifies —
 * it loses only what was still queued, never a committed record.
 */
export class AuditLog {
  readonly file: string
  /** The key file: `<file>.key`. */
  readonly keyFile: string
  private readonly db: Db
  private readonly sql: SqliteRunner
  private readonly core: LogCore
  private readonly batchSize: number
  private readonly maxPending: number
  private readonly durability: 'full' | 'normal'
  private readonly onError?: (err: WaferError) => void
  private readonly busyTimeoutMs: number
  private retryTimer: NodeJS.Timeout | undefined
  private pending: ParsedAuditEntry[] = []
  private scheduled = false
  private closed = false
  private lastError: WaferError | undefined
  private readonly checkpointTimer: NodeJS.Timeout | undefined
  private readonly onCommit?: CommitObserver
  private readonly stats: AuditStoreHealth = { reachable: true, lastError: null, lastCommitMs: null, commits: 0, failedCommits: 0, pending: 0 }

  static open(opts: AuditLogOptions): AuditLog {
    return new AuditLog(opts)
  }

  private constructor(opts: AuditLogOptions) {
    this.file = resolveFile(opts)
    this.keyFile = keyFilePath(this.file)
    this.batchSize = opts.batchSize ?? 512
    this.maxPending = opts.maxPending ?? 100_000
    this.durability = opts.durability ?? 'normal'
    this.onError = opts.onError
    this.onCommit = opts.onCommit
    this.busyTimeoutMs = opts.busyTimeoutMs ?? 2000
    const create = opts.create ?? true
    const clock = opts.clock ?? Date.now
    checkRetentionDays(opts.retentionDays)
    const db = openLogFile(this.connectOptions, create)
    const sql = new SqliteRunner(db)
    try {
      const meta = openSchema(db, sql, this.file, this.keyFile, create, clock())
      // WAL: readers (verify, export, the CLI) never block the writer, and a
      // killed writer leaves only whole transactions behind.
      db.exec('PRAGMA journal_mode = WAL')
      const settings = sql.run(openSettings(opts, create))
      this.core = new LogCore(this.file, this.keyFile, meta, settings, opts, create)
    } catch (err) {
      db.close()
      throw storageError(`Cannot open the audit log ${this.file}`, err)
    }
    this.db = db
    this.sql = sql
    if (this.core.signed) {
      this.checkpointTimer = setInterval(() => this.checkpointNow(false), Math.max(50, Math.min(this.core.checkpointEveryMs, 60_000)))
      this.checkpointTimer.unref()
    }
  }

  private get connectOptions(): ConnectOptions {
    return { file: this.file, durability: this.durability, busyTimeoutMs: this.busyTimeoutMs }
  }

  // ─── writing ────────────────────────────────────────────────────────────

  /**
   * Queues one entry. Returns at once; the entry is committed with the others
   * of this tick. Throws only for bad input, a closed log, or a backlog of
   * `maxPending` that earlier commits failed to write.
   */
  append(entry: AuditEntryInput): void {
    this.ensureOpen()
    const e = parseAuditEntry(entry)
    if (this.pending.length >= this.maxPending) {
      throw new WaferError('storage', `The audit log is not accepting records: ${this.pending.length} are waiting to be written`, {
        cause: this.lastError?.message,
      })
    }
    this.pending.push({ ...e, time: e.time ?? this.core.clock() })
    if (this.pending.length >= this.batchSize) this.commitInBackground()
    else if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => {
        this.scheduled = false
        if (!this.closed) this.commitInBackground()
      })
    }
  }

  /** Commits everything queued and returns it as stored. Throws a storage error (keeping the queue) when the write fails. */
  flush(): AuditRecord[] {
    this.ensureOpen()
    return this.commit()
  }

  /** Flushes, then closes the file. Further calls throw. */
  close(): void {
    if (this.closed) return
    clearTimeout(this.retryTimer)
    clearInterval(this.checkpointTimer)
    try {
      this.commit()
      // A signed checkpoint at shutdown covers every record of this run.
      this.checkpointNow(true)
    } finally {
      this.closed = true
      this.pending = []
      try {
        // Fold the WAL back in, so audit.db alone is the whole log (to copy or hand over as evidence).
        this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
      } catch {
        // another connection may still be reading; the WAL then stays beside the file, which is fine
      }
      this.db.close()
    }
  }

  private commitInBackground(): void {
    // After a failure, wait for the retry rather than hitting a locked or full disk on every append.
    if (this.retryTimer) return
    try {
      this.commit()
    } catch (err) {
      this.onError?.(err as WaferError)
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined
        if (!this.closed) this.commitInBackground()
      }, 1000)
      this.retryTimer.unref()
    }
  }

  private commit(): AuditRecord[] {
    if (this.pending.length === 0) return []
    const batch = this.pending
    const started = performance.now()
    try {
      const { records, witness } = this.inWriteTransaction(this.core.commit(batch))
      this.pending = this.pending.slice(batch.length)
      this.lastError = undefined
      this.noteCommit(started, batch.length)
      this.core.witness(witness, this.onError)
      return records
    } catch (err) {
      this.lastError = storageError('Writing the audit log failed', err)
      this.noteCommit(started, batch.length)
      throw this.lastError
    }
  }

  private noteCommit(started: number, records: number): void {
    const ms = performance.now() - started
    const ok = !this.lastError
    Object.assign(this.stats, { lastCommitMs: ms, lastError: this.lastError?.message ?? null })
    if (ok) this.stats.commits++
    else this.stats.failedCommits++
    this.onCommit?.({ ms, ok, records })
  }

  /** Commit latency and failures, as last seen (a file is always reachable). */
  health(): AuditStoreHealth {
    return { ...this.stats, pending: this.pending.length }
  }

  private inWriteTransaction<T>(program: Program<T>): T {
    // IMMEDIATE takes the write lock before reading the head, so no other
    // writer can extend the chain between our read and our inserts.
    this.db.exec('BEGIN IMMEDIATE')
    try {
      const result = this.sql.run(program)
      this.db.exec('COMMIT')
      return result
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      this.core.rolledBack()
      throw err
    }
  }

  /** A checkpoint on the timer, or at close (`force`), when records have arrived since the last one. */
  private checkpointNow(force: boolean): void {
    if (!this.core.signed || this.closed) return
    try {
      if (!this.sql.run(this.core.checkpointDue(force))) return
      const line = this.inWriteTransaction(this.core.signIfDue(force))
      this.core.witness(line ? [line] : [], this.onError)
    } catch (err) {
      this.onError?.(storageError('Signing an audit checkpoint failed', err))
    }
  }

  // ─── reading ────────────────────────────────────────────────────────────

  /** The newest committed record's seq and hash (seq 0 and the genesis hash when empty). Keep a copy elsewhere to pin the log. */
  head(): AuditHead {
    this.ensureOpen()
    return this.sql.run(readHead())
  }

  /** The salted hash a finding keeps of `text`. */
  matchHash(text: string): string {
    return this.core.matchHash(text)
  }

  /** Facts about the log for a status line (see log-info.ts); reads no record content. */
  info(): AuditInfo {
    this.ensureOpen()
    return this.sql.run(this.core.info())
  }

  /** A page of records, newest first, for the browse screen. An access record is written before the page is returned. */
  query(q: AuditQuery = {}, ctx: AccessContext = {}): AuditPage {
    this.ensureOpen()
    const c = this.core.compile(q)
    const page = this.sql.run(this.core.page(c))
    this.recordAccess('query', { filter: this.core.describeFilter(c.parsed), returned: page.records.length }, ctx)
    return page
  }

  /**
   * Checks the whole log (see verify.ts) on a snapshot taken after
   * everything queued so far is committed. `expectHead`: a head kept outside
   * the log earlier, which must still be part of it.
   */
  async verify(opts: AccessContext & { expectHead?: AuditHead; witness?: WitnessLine[] } = {}): Promise<AuditVerifyResult> {
    this.ensureOpen()
    this.recordAccess(
      'verify',
      { ...(opts.expectHead ? { expectHead: opts.expectHead } : {}), ...(opts.witness ? { witnessHeads: opts.witness.length } : {}) },
      opts,
    )
    this.commit()
    const proof = this.core.proofContext(opts.witness)
    return withSnapshot(this.connectOptions, (db) => verifyOnSnapshot(runnerOn(db), this.core.meta.genesis, opts.expectHead, proof))
  }

  /**
   * Writes records oldest first, one JSON object per line, hashes included
   * (so the chain can be checked outside the app). `filter` takes the
   * query's filters; cursor and limit are ignored. Honours backpressure.
   */
  async exportJsonl(out: Writable, opts: AccessContext & { filter?: AuditQuery } = {}): Promise<{ records: number }> {
    this.ensureOpen()
    const { cursor: _c, limit: _l, ...filter } = opts.filter ?? {}
    const c = this.core.compile(filter)
    this.recordAccess('export', { filter: this.core.describeFilter(c.parsed) }, opts)
    this.commit()
    return withSnapshot(this.connectOptions, (db) => exportOnSnapshot(runnerOn(db), c, out))
  }

  /** log_all_access: the read is on disk before any data is handed out; if it cannot be written, the read fails. */
  private recordAccess(action: string, detail: Record<string, unknown>, ctx: AccessContext): void {
    if (!this.core.logAllAccess) return
    this.append({ kind: 'access', client: ctx.actor ?? this.core.actor, detail: JSON.parse(JSON.stringify({ action, ...detail })) })
    this.commit()
  }

  // ─── retention ──────────────────────────────────────────────────────────

  /**
   * Removes whole segments whose newest record is older than retention_days
   * at `now`, leaving a checkpoint the rest of the chain verifies from (see
   * prune.ts); the records to be removed are verified first.
   */
  prune(now: number = this.core.clock()): AuditPruneResult {
    this.ensureOpen()
    this.commit()
    const result = this.inWriteTransaction(this.core.prune(now))
    if (result.checkpoint) {
      try {
        this.db.exec('PRAGMA incremental_vacuum')
      } catch {
        // reclaiming space is a nicety; the prune itself is committed
      }
    }
    return result
  }

  private ensureOpen(): void {
    if (this.closed) throw new WaferError('storage', 'The audit log is closed')
  }
}

/** A snapshot connection as a program runner. */
const runnerOn = (db: Db) => {
  const runner = new SqliteRunner(db)
  return <T>(p: Program<T>): T => runner.run(p)
}

/** Opens (creating when allowed) the audit log at `file` or `dir/audit.db`. */
export function openAuditLog(opts: AuditLogOptions): AuditLog {
  return AuditLog.open(opts)
}

export const auditDbPath = (dir: string): string => join(dir, AUDIT_DB_NAME)
