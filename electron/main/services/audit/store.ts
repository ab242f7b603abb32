import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import type { AuditHead, AuditInfo, AuditPage, AuditPruneResult, AuditQuery, AuditRecord, AuditVerifyResult } from '../../../../shared/audit/types'
import { WaferError } from '../../../../shared/ipc/errors'
import { canonicalJson } from './canonical'
import { AUDIT_DB_NAME, connect, resolveFile, storageError, withSnapshot, type ConnectOptions, type Db } from './connection'
import { matchHash } from './hashing'
import { keyFilePath, loadFindingsKey } from './key-file'
import { AuditEntryInput, MAX_DETAIL_CHARS, type ParsedAuditEntry } from './input'
import { compileQuery, encodeCursor } from './query'
import { pruneSegments } from './prune'
import { RecordWriter } from './record-writer'
import { RECORD_COLUMNS, recordFromRow, type RecordRow } from './record'
import { notAnAuditLog, openSchema, readSetting, writeSetting, type AuditMeta } from './schema'
import { exportOnSnapshot, verifyOnSnapshot } from './snapshot-reads'

export { AUDIT_DB_NAME } from './connection'

const DAY_MS = 86_400_000
export const DEFAULT_RETENTION_DAYS = 365

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
  /** A background commit failed. Its records stay queued; it is retried a second later, or by flush(). */
  onError?: (err: WaferError) => void
}

/** Who is reading, for the access record log_all_access appends. */
export interface AccessContext {
  actor?: string
}

/**
 * The tamper-evident audit log: an append-only, hash-chained SQLite store
 * (see schema.ts for the layout and verify.ts for what verification proves).
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
  private readonly db: Db
  private readonly meta: AuditMeta
  /** The findings key; undefined for a reader whose key file is missing. */
  private readonly key: string | undefined
  private readonly clock: () => number
  private readonly actor: string
  private readonly batchSize: number
  private readonly maxPending: number
  private readonly durability: 'full' | 'normal'
  private readonly onError?: (err: WaferError) => void
  private readonly busyTimeoutMs: number
  private retryTimer: NodeJS.Timeout | undefined
  private readonly retentionDays: number
  private readonly logAllAccess: boolean
  private pending: ParsedAuditEntry[] = []
  private scheduled = false
  private closed = false
  private lastError: WaferError | undefined
  private readonly writer: RecordWriter

  static open(opts: AuditLogOptions): AuditLog {
    return new AuditLog(opts)
  }

  private constructor(opts: AuditLogOptions) {
    this.file = resolveFile(opts)
    this.clock = opts.clock ?? Date.now
    this.actor = opts.actor ?? 'local'
    this.batchSize = opts.batchSize ?? 512
    this.maxPending = opts.maxPending ?? 100_000
    this.durability = opts.durability ?? 'normal'
    this.onError = opts.onError
    this.busyTimeoutMs = opts.busyTimeoutMs ?? 2000
    if (opts.retentionDays !== undefined && (!Number.isInteger(opts.retentionDays) || opts.retentionDays < 1 || opts.retentionDays > 36_500)) {
      throw new WaferError('bad_request', `retention_days must be a whole number from 1 to 36500, not ${opts.retentionDays}`)
    }

    const create = opts.create ?? true
    if (!existsSync(this.file)) {
      if (!create) throw new WaferError('not_found', `No audit log at ${this.file}`, { reason: 'missing', file: this.file })
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 })
    } else if (statSync(this.file).isDirectory()) {
      throw new WaferError('bad_request', `${this.file} is a directory; pass the audit log file or use dir`, { file: this.file })
    }

    let db: Db
    try {
      db = connect(this.connectOptions)
    } catch (err) {
      if (/not a database|malformed/i.test(err instanceof Error ? err.message : '')) throw notAnAuditLog(this.file, (err as Error).message)
      throw storageError(`Cannot open the audit log ${this.file}`, err)
    }
    try {
      this.meta = openSchema(db, this.file, create, this.clock())
      // WAL: readers (verify, export, the CLI) never block the writer, and a
      // killed writer leaves only whole transactions behind.
      db.exec('PRAGMA journal_mode = WAL')
      if (opts.retentionDays !== undefined) writeSetting(db, 'retention_days', String(opts.retentionDays))
      if (opts.logAllAccess !== undefined) writeSetting(db, 'log_all_access', opts.logAllAccess ? '1' : '0')
      this.retentionDays = Number(readSetting(db, 'retention_days') ?? DEFAULT_RETENTION_DAYS)
      this.logAllAccess = readSetting(db, 'log_all_access') === '1'
      this.key = loadFindingsKey(this.file, this.meta.findingsKey, create)
    } catch (err) {
      db.close()
      throw storageError(`Cannot open the audit log ${this.file}`, err)
    }
    this.db = db
    this.writer = new RecordWriter(db, {
      segmentSpanMs: opts.segmentSpanMs ?? DAY_MS,
      segmentMaxRecords: opts.segmentMaxRecords ?? 100_000,
      clock: this.clock,
      findingsKey: () => this.findingsKey(),
    })
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
    const parsed = AuditEntryInput.safeParse(entry)
    if (!parsed.success) {
      throw new WaferError(
        'bad_request',
        `Invalid audit entry: ${parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
          .join('; ')}`,
      )
    }
    const e = parsed.data
    if (e.detail && canonicalJson(e.detail).length > MAX_DETAIL_CHARS) {
      throw new WaferError('bad_request', `Invalid audit entry: detail is over ${MAX_DETAIL_CHARS} characters`)
    }
    if (this.pending.length >= this.maxPending) {
      throw new WaferError('storage', `The audit log is not accepting records: ${this.pending.length} are waiting to be written`, {
        cause: this.lastError?.message,
      })
    }
    this.pending.push({ ...e, time: e.time ?? this.clock() })
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
    try {
      this.commit()
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
    try {
      const sealed = this.inWriteTransaction(() => this.writer.write(batch))
      this.pending = this.pending.slice(batch.length)
      this.lastError = undefined
      return sealed
    } catch (err) {
      this.lastError = storageError('Writing the audit log failed', err)
      throw this.lastError
    }
  }

  private inWriteTransaction<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock before reading the head, so no other
    // writer can extend the chain between our read and our inserts.
    this.db.exec('BEGIN IMMEDIATE')
    try {
      const result = fn()
      this.db.exec('COMMIT')
      return result
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw err
    }
  }

  // ─── reading ────────────────────────────────────────────────────────────

  /** The newest committed record's seq and hash (seq 0 and the genesis hash when empty). Keep a copy elsewhere to pin the log. */
  head(): AuditHead {
    this.ensureOpen()
    return this.writer.head()
  }

  /** The salted hash a finding keeps of `text`. */
  matchHash(text: string): string {
    return matchHash(this.findingsKey(), text)
  }

  /** Facts about the log for a status line; reads no record content. */
  info(): AuditInfo {
    this.ensureOpen()
    const counts = this.db.prepare('SELECT count(*) AS n, min(seq) AS first FROM audit_records').get() as { n: number; first: number | null }
    const segs = this.db.prepare('SELECT count(*) AS n FROM audit_segments').get() as { n: number }
    const cps = this.db.prepare('SELECT count(*) AS n FROM audit_checkpoints').get() as { n: number }
    return {
      file: this.file,
      logId: this.meta.logId,
      createdAt: this.meta.createdAt,
      head: this.head(),
      firstSeq: counts.first,
      records: counts.n,
      segments: segs.n,
      checkpoints: cps.n,
      retentionDays: this.retentionDays,
      logAllAccess: this.logAllAccess,
    }
  }

  /** A page of records, newest first, for the browse screen. An access record is written before the page is returned. */
  query(q: AuditQuery = {}, ctx: AccessContext = {}): AuditPage {
    this.ensureOpen()
    const c = compileQuery(q, (t) => this.matchHash(t))
    const rows = this.db
      .prepare(`SELECT ${RECORD_COLUMNS} FROM audit_records ${c.where} ORDER BY seq DESC LIMIT ?`)
      .all(...c.params, c.limit + 1) as RecordRow[]
    const records = rows.slice(0, c.limit).map(recordFromRow)
    const nextCursor = rows.length > c.limit ? encodeCursor(records[records.length - 1].seq) : null
    this.recordAccess('query', { filter: this.describeFilter(c.parsed), returned: records.length }, ctx)
    return { records, nextCursor }
  }

  /**
   * Checks the whole log (see verify.ts) on a snapshot taken after
   * everything queued so far is committed. `expectHead`: a head kept outside
   * the log earlier, which must still be part of it.
   */
  async verify(opts: AccessContext & { expectHead?: AuditHead } = {}): Promise<AuditVerifyResult> {
    this.ensureOpen()
    this.recordAccess('verify', opts.expectHead ? { expectHead: opts.expectHead } : {}, opts)
    this.commit()
    return withSnapshot(this.connectOptions, (db) => verifyOnSnapshot(db, this.meta.genesis, opts.expectHead))
  }

  /**
   * Writes records oldest first, one JSON object per line, hashes included
   * (so the chain can be checked outside the app). `filter` takes the
   * query's filters; cursor and limit are ignored. Honours backpressure.
   */
  async exportJsonl(out: Writable, opts: AccessContext & { filter?: AuditQuery } = {}): Promise<{ records: number }> {
    this.ensureOpen()
    const { cursor: _c, limit: _l, ...filter } = opts.filter ?? {}
    const c = compileQuery(filter, (t) => this.matchHash(t))
    this.recordAccess('export', { filter: this.describeFilter(c.parsed) }, opts)
    this.commit()
    return withSnapshot(this.connectOptions, (db) => exportOnSnapshot(db, c, out))
  }

  /** The filter as an access record keeps it: the search text only as its salted hash, since people search for PII. */
  private describeFilter(q: AuditQuery): Record<string, unknown> {
    const { text, ...rest } = q
    return JSON.parse(JSON.stringify({ ...rest, ...(text !== undefined ? { textHash: this.matchHash(text) } : {}) }))
  }

  /** log_all_access: the read is on disk before any data is handed out; if it cannot be written, the read fails. */
  private recordAccess(action: string, detail: Record<string, unknown>, ctx: AccessContext): void {
    if (!this.logAllAccess) return
    this.append({ kind: 'access', client: ctx.actor ?? this.actor, detail: JSON.parse(JSON.stringify({ action, ...detail })) })
    this.commit()
  }

  // ─── retention ──────────────────────────────────────────────────────────

  /**
   * Removes whole segments whose newest record is older than retention_days
   * at `now`, leaving a checkpoint the rest of the chain verifies from (see
   * prune.ts); the records to be removed are verified first.
   */
  prune(now: number = this.clock()): AuditPruneResult {
    this.ensureOpen()
    this.commit()
    const cutoff = now - this.retentionDays * DAY_MS
    const result = this.inWriteTransaction(() =>
      pruneSegments(
        { db: this.db, genesis: this.meta.genesis, retentionDays: this.retentionDays, actor: this.actor, writeRecords: (e) => this.writer.write(e) },
        now,
        cutoff,
      ),
    )
    if (result.checkpoint) {
      try {
        this.db.exec('PRAGMA incremental_vacuum')
      } catch {
        // reclaiming space is a nicety; the prune itself is committed
      }
    }
    return result
  }

  /** The key findings are hashed with; refused, saying why, when the key file is missing. */
  private findingsKey(): string {
    if (this.key === undefined) {
      throw new WaferError('storage', `Recording or searching for finding values needs the audit log's key file ${keyFilePath(this.file)}, which is missing`, {
        reason: 'key_missing',
        file: keyFilePath(this.file),
      })
    }
    return this.key
  }

  private ensureOpen(): void {
    if (this.closed) throw new WaferError('storage', 'The audit log is closed')
  }
}

/** Opens (creating when allowed) the audit log at `file` or `dir/audit.db`. */
export function openAuditLog(opts: AuditLogOptions): AuditLog {
  return AuditLog.open(opts)
}

export const auditDbPath = (dir: string): string => join(dir, AUDIT_DB_NAME)
