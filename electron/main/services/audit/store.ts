import { join, resolve } from 'node:path'
import type { Writable } from 'node:stream'

import type { AuditHead, AuditInfo, AuditPage, AuditPruneResult, AuditQuery, AuditRecord, AuditVerifyResult } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'

import { type ChainKeys, deriveChainKeys } from './chain-keys'
import { AUDIT_DB_NAME, type ConnectOptions, type Db, openLogFile, resolveFile, storageError, withSnapshot } from './connection'
import { matchHash } from './hashing'
import { type AuditEntryInput, parseAuditEntry, type ParsedAuditEntry } from './input'
import { keyFilePath, loadFindingsKey, readKeyFileFull } from './key-file'
import { readLogInfo } from './log-info'
import { type AccessContext, type AuditLogOptions, checkRetentionDays } from './options'
import { pruneSegments } from './prune'
import { compileQuery, encodeCursor, FINISHED_COLUMN } from './query'
import { RECORD_COLUMNS, recordFromRow, type RecordRow } from './record'
import { readHead, RecordWriter } from './record-writer'
import { type AuditMeta, openSchema, readSetting, writeSetting } from './schema'
import { appendWitness, DEFAULT_CHECKPOINTS, SignedHeads, type WitnessLine } from './signed-heads'
import { exportOnSnapshot, verifyOnSnapshot } from './snapshot-reads'
import { all, type Program } from './sql-program'
import { SqliteRunner } from './sqlite-runner'

export { AUDIT_DB_NAME } from './connection'
export type { AccessContext, AuditLogOptions } from './options'

const DAY_MS = 86_400_000
export const DEFAULT_RETENTION_DAYS = 365

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
  /** The key file: `<file>.key`. */
  readonly keyFile: string
  private readonly db: Db
  private readonly sql: SqliteRunner
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
  /** Format 2 with the key file: the MAC and signing keys; a writer's signed checkpoints and witness file. */
  private readonly keys: ChainKeys | undefined
  private readonly signed: SignedHeads | undefined
  private readonly witnessFile: string | undefined
  private readonly checkpointTimer: NodeJS.Timeout | undefined

  static open(opts: AuditLogOptions): AuditLog {
    return new AuditLog(opts)
  }

  private constructor(opts: AuditLogOptions) {
    this.file = resolveFile(opts)
    this.keyFile = keyFilePath(this.file)
    this.clock = opts.clock ?? Date.now
    this.actor = opts.actor ?? 'local'
    this.batchSize = opts.batchSize ?? 512
    this.maxPending = opts.maxPending ?? 100_000
    this.durability = opts.durability ?? 'normal'
    this.onError = opts.onError
    this.busyTimeoutMs = opts.busyTimeoutMs ?? 2000
    checkRetentionDays(opts.retentionDays)
    const create = opts.create ?? true
    const db = openLogFile(this.connectOptions, create)
    const sql = new SqliteRunner(db)
    try {
      this.meta = openSchema(db, sql, this.file, this.keyFile, create, this.clock())
      // WAL: readers (verify, export, the CLI) never block the writer, and a
      // killed writer leaves only whole transactions behind.
      db.exec('PRAGMA journal_mode = WAL')
      if (opts.retentionDays !== undefined) sql.run(writeSetting('retention_days', String(opts.retentionDays)))
      if (opts.logAllAccess !== undefined) sql.run(writeSetting('log_all_access', opts.logAllAccess ? '1' : '0'))
      this.retentionDays = Number(sql.run(readSetting('retention_days')) ?? DEFAULT_RETENTION_DAYS)
      this.logAllAccess = sql.run(readSetting('log_all_access')) === '1'
      this.key = loadFindingsKey(this.keyFile, this.meta.findingsKey, create)
      this.keys = this.meta.version === 2 && this.key ? deriveChainKeys(this.key) : undefined
      if (create && this.keys && this.keys.publicKeyHex !== this.meta.signingKey) {
        throw new WaferError('storage', `The public key recorded in ${this.file} is not its key file's: the log was tampered with. Run \`wafer audit verify\`.`)
      }
      this.witnessFile = opts.witnessFile === undefined ? undefined : resolve(opts.witnessFile)
      if (this.witnessFile && create) sql.run(writeSetting('witness_file', this.witnessFile))
    } catch (err) {
      db.close()
      throw storageError(`Cannot open the audit log ${this.file}`, err)
    }
    this.db = db
    this.sql = sql
    this.writer = new RecordWriter({
      segmentSpanMs: opts.segmentSpanMs ?? DAY_MS,
      segmentMaxRecords: opts.segmentMaxRecords ?? 100_000,
      clock: this.clock,
      findingsKey: () => this.findingsKey(),
      logId: this.meta.logId,
      macKey: this.meta.version === 2 ? () => this.macKey() : undefined,
    })
    if (create && this.keys) {
      const policy = {
        everyRecords: opts.checkpointEveryRecords ?? DEFAULT_CHECKPOINTS.everyRecords,
        everyMs: opts.checkpointEveryMs ?? DEFAULT_CHECKPOINTS.everyMs,
      }
      this.signed = new SignedHeads(this.meta.logId, this.keys, policy)
      this.checkpointTimer = setInterval(() => this.checkpointNow(false), Math.max(50, Math.min(policy.everyMs, 60_000)))
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
    try {
      const witnessed: WitnessLine[] = []
      const sealed = this.inWriteTransaction(() => {
        const written = this.sql.run(this.writer.write(batch))
        const line = this.sql.run(this.signIfDue(false))
        if (line) witnessed.push(line)
        return written
      })
      this.pending = this.pending.slice(batch.length)
      this.lastError = undefined
      this.witness(witnessed)
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
      this.signed?.reset()
      throw err
    }
  }

  // ─── signed checkpoints ────────────────────────────────────────────────

  /** Inside a write transaction: signs the head when the checkpoint policy says so (always with `force`, if it moved). */
  private *signIfDue(force: boolean): Program<WitnessLine | undefined> {
    if (!this.signed) return undefined
    const head = yield* readHead()
    const now = this.clock()
    return (yield* this.signed.due(head, now, force)) ? yield* this.signed.sign(head, now) : undefined
  }

  /** A checkpoint on the timer, or at close (`force`), when records have arrived since the last one. */
  private checkpointNow(force: boolean): void {
    if (!this.signed || this.closed) return
    try {
      if (!this.sql.run(this.signed.due(this.sql.run(readHead()), this.clock(), force))) return
      const line = this.inWriteTransaction(() => this.sql.run(this.signIfDue(force)))
      this.witness(line ? [line] : [])
    } catch (err) {
      this.onError?.(storageError('Signing an audit checkpoint failed', err))
    }
  }

  /** Appends committed heads to the witness file; a failure is reported, the log goes on. */
  private witness(lines: WitnessLine[]): void {
    const problem = this.witnessFile ? appendWitness(this.witnessFile, lines) : null
    if (problem) this.onError?.(new WaferError('storage', problem))
  }

  // ─── reading ────────────────────────────────────────────────────────────

  /** The newest committed record's seq and hash (seq 0 and the genesis hash when empty). Keep a copy elsewhere to pin the log. */
  head(): AuditHead {
    this.ensureOpen()
    return this.sql.run(readHead())
  }

  /** The salted hash a finding keeps of `text`. */
  matchHash(text: string): string {
    return matchHash(this.findingsKey(), text)
  }

  /** Facts about the log for a status line (see log-info.ts); reads no record content. */
  info(): AuditInfo {
    this.ensureOpen()
    return this.sql.run(
      readLogInfo({
        file: this.file,
        meta: this.meta,
        head: this.head(),
        retentionDays: this.retentionDays,
        logAllAccess: this.logAllAccess,
        witnessFile: this.witnessFile ?? this.sql.run(readSetting('witness_file')),
      }),
    )
  }

  /** A page of records, newest first, for the browse screen. An access record is written before the page is returned. */
  query(q: AuditQuery = {}, ctx: AccessContext = {}): AuditPage {
    this.ensureOpen()
    const c = compileQuery(q, (t) => this.matchHash(t))
    const rows = this.sql.run(
      all<RecordRow>(`SELECT ${RECORD_COLUMNS}, ${FINISHED_COLUMN} FROM audit_records ${c.where} ORDER BY seq DESC LIMIT ?`, ...c.params, c.limit + 1),
    )
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
  async verify(opts: AccessContext & { expectHead?: AuditHead; witness?: WitnessLine[] } = {}): Promise<AuditVerifyResult> {
    this.ensureOpen()
    this.recordAccess(
      'verify',
      { ...(opts.expectHead ? { expectHead: opts.expectHead } : {}), ...(opts.witness ? { witnessHeads: opts.witness.length } : {}) },
      opts,
    )
    this.commit()
    const keyFile = this.meta.findingsKey.kind === 'file' ? readKeyFileFull(this.keyFile) : undefined
    const proof = {
      logId: this.meta.logId,
      version: this.meta.version,
      macKey: this.keys?.macKey,
      loggedSigningKey: this.meta.signingKey,
      keyFileSigningKey: this.keys?.publicKeyHex,
      keyFileSaysChain: keyFile?.chain ?? false,
      witness: opts.witness,
    }
    return withSnapshot(this.connectOptions, (db) => verifyOnSnapshot(runnerOn(db), this.meta.genesis, opts.expectHead, proof))
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
    return withSnapshot(this.connectOptions, (db) => exportOnSnapshot(runnerOn(db), c, out))
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
      this.sql.run(
        pruneSegments(
          {
            genesis: this.meta.genesis,
            retentionDays: this.retentionDays,
            actor: this.actor,
            macs: this.meta.version === 2,
            writeRecords: (e) => this.writer.write(e),
          },
          now,
          cutoff,
        ),
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
      throw new WaferError('storage', `Recording or searching for finding values needs the audit log's key file ${this.keyFile}, which is missing`, {
        reason: 'key_missing',
        file: this.keyFile,
      })
    }
    return this.key
  }

  /** Format 2: the key records are MACed with; a log whose key file is missing cannot be extended. */
  private macKey(): Buffer {
    if (!this.keys) this.findingsKey()
    if (!this.keys) throw new WaferError('storage', `Extending the audit log needs its key file ${this.keyFile}`, { reason: 'key_missing' })
    return this.keys.macKey
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
