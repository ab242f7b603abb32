import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Writable } from 'node:stream'

import type { AuditHead, AuditInfo, AuditPage, AuditPruneResult, AuditQuery, AuditRecord, AuditVerifyResult } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'

import type { AuditStore, AuditStoreHealth, CommitObserver } from '../audit-store'
import { type AuditEntryInput, parseAuditEntry, type ParsedAuditEntry } from '../input'
import { createKeyFile } from '../key-file'
import { type CoreOptions, LogCore, openSettings } from '../log-core'
import { type AccessContext, checkRetentionDays } from '../options'
import { readHead } from '../record-writer'
import { initialRows, notAnAuditLog, readMeta } from '../schema'
import type { WitnessLine } from '../signed-heads'
import { exportOnSnapshot, verifyOnSnapshot } from '../snapshot-reads'
import { insertRows, type Program } from '../sql-program'
import { isUnreachable, pgClient, type PgClientOptions, pgError, type PgSql, type PgTx, runOnPostgres } from './client'
import { MIGRATIONS_TABLE, PG_MIGRATIONS } from './migrations'
import { parsePostgresUrl } from './url'

export interface PgAuditLogOptions extends CoreOptions, PgClientOptions {
  /** postgres://user:password@host:port/database */
  url: string
  /**
   * The log's key file (MAC, signing and findings key). Every replica of a
   * fleet writing one log needs the same file; a writer that creates the
   * log makes it when it is missing.
   */
  keyFile: string
  /** Create the log's tables when the database has none (default true). Readers pass false. */
  create?: boolean
  /** Pending records that force a commit at once (default 512). */
  batchSize?: number
  /** Pending records beyond which append() refuses while commits fail (default 100 000). */
  maxPending?: number
  /** Told of every commit: how long it took and whether it was written (for metrics). */
  onCommit?: CommitObserver
}

/** How long appended records wait for a flush to take them before they are committed on their own. */
const BACKGROUND_DELAY_MS = 10

/** Serialises creating the tables across processes (an arbitrary constant of this app's). */
const SCHEMA_LOCK = 0x5741_4655 // "WAFU"

/**
 * The audit log in PostgreSQL: the same chain, MACs, signed checkpoints and
 * retention as the SQLite log (the rules are LogCore's), for a fleet of
 * gateways writing one log. Every commit is a transaction that first locks
 * the head row (SELECT … FOR UPDATE), so appends from all replicas are
 * serialised by the database and the chain stays one line.
 *
 * Appends queue and go in the next commit: when flush() asks (the gateway's
 * write-ahead record), when `batchSize` are waiting, or 10 ms later; one commit runs at a time
 * and takes everything queued, so concurrent requests share commits. A
 * failed commit keeps its records queued and is retried (a second later,
 * or at the next flush): when the database comes back, what was queued is
 * written. A commit whose answer was lost with the connection may be
 * written twice on retry: a duplicate record, never a broken chain.
 */
export class PgAuditLog implements AuditStore {
  readonly kind = 'postgres' as const
  readonly location: string
  private readonly sql: PgSql
  private readonly core: LogCore
  private readonly batchSize: number
  private readonly maxPending: number
  private readonly onError?: (err: WaferError) => void
  private readonly onCommit?: CommitObserver
  private pending: ParsedAuditEntry[] = []
  private scheduled = false
  private closed = false
  private lastError: WaferError | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private readonly checkpointTimer: NodeJS.Timeout | undefined
  /** The commit under way, and those waiting for the one that follows it (every flush asked for meanwhile shares it). */
  private inFlight: Promise<AuditRecord[]> | undefined
  private following: { promise: Promise<AuditRecord[]>; resolve: (r: AuditRecord[]) => void; reject: (err: unknown) => void } | undefined
  private readonly stats: AuditStoreHealth = { reachable: null, lastError: null, lastCommitMs: null, commits: 0, failedCommits: 0, pending: 0 }

  static async open(opts: PgAuditLogOptions): Promise<PgAuditLog> {
    checkRetentionDays(opts.retentionDays)
    const { url, display } = parsePostgresUrl(opts.url)
    const create = opts.create ?? true
    if (create) mkdirSync(dirname(opts.keyFile), { recursive: true, mode: 0o700 })
    const sql = pgClient(url, opts)
    try {
      const now = (opts.clock ?? Date.now)()
      await sql.begin((tx) => ensureSchema(tx, display, opts.keyFile, create, now))
      const meta = await runOnPostgres(sql, readMeta(display))
      const settings = await sql.begin((tx) => runOnPostgres(tx, openSettings(opts, create)))
      const core = new LogCore(display, opts.keyFile, meta, settings, opts, create)
      return new PgAuditLog(sql, display, core, opts)
    } catch (err) {
      await sql.end({ timeout: 1 }).catch(() => {})
      throw pgError(`Cannot open the audit log ${display}`, display, err)
    }
  }

  private constructor(sql: PgSql, display: string, core: LogCore, opts: PgAuditLogOptions) {
    this.sql = sql
    this.location = display
    this.core = core
    this.batchSize = opts.batchSize ?? 512
    this.maxPending = opts.maxPending ?? 100_000
    this.onError = opts.onError
    this.onCommit = opts.onCommit
    this.stats.reachable = true
    if (core.signed) {
      this.checkpointTimer = setInterval(() => void this.checkpointNow(false), Math.max(50, Math.min(core.checkpointEveryMs, 60_000)))
      this.checkpointTimer.unref()
    }
  }

  // ─── writing ────────────────────────────────────────────────────────────

  append(entry: AuditEntryInput): void {
    this.ensureOpen()
    const e = parseAuditEntry(entry)
    if (this.pending.length >= this.maxPending) {
      throw new WaferError('storage', `The audit log is not accepting records: ${this.pending.length} are waiting to be written`, {
        cause: this.lastError?.message,
      })
    }
    this.pending.push({ ...e, time: e.time ?? this.core.clock() })
    this.stats.pending = this.pending.length
    if (this.pending.length >= this.batchSize) this.commitInBackground()
    else if (!this.scheduled) {
      // Not at once: records nobody waits for (a request's completion) go with the next write-ahead
      // commit when one comes within BACKGROUND_DELAY_MS, rather than holding the head row just before it.
      this.scheduled = true
      setTimeout(() => {
        this.scheduled = false
        if (!this.closed) this.commitInBackground()
      }, BACKGROUND_DELAY_MS)
    }
  }

  /** Commits everything queued (in the commit after any under way) and returns what that commit wrote; rejects, keeping the queue, when it fails. */
  flush(): Promise<AuditRecord[]> {
    try {
      this.ensureOpen()
    } catch (err) {
      return Promise.reject(err)
    }
    return this.commitSoon()
  }

  async close(): Promise<void> {
    if (this.closed) return
    clearTimeout(this.retryTimer)
    clearInterval(this.checkpointTimer)
    try {
      await this.commitSoon()
      // A signed checkpoint at shutdown covers every record of this run.
      await this.checkpointNow(true)
    } finally {
      this.closed = true
      this.pending = []
      await this.sql.end({ timeout: 5 }).catch(() => {})
    }
  }

  /**
   * Group commit: with no commit under way, one starts now with everything
   * queued; while one is, every caller shares the next, which starts when it
   * ends and takes everything queued by then. So a commit's round trips and
   * the database's flush to disk are paid once for all the requests that
   * arrived meanwhile, however many replicas write.
   */
  private commitSoon(): Promise<AuditRecord[]> {
    if (!this.inFlight) return this.startCommit()
    if (!this.following) {
      let resolve!: (r: AuditRecord[]) => void
      let reject!: (err: unknown) => void
      const promise = new Promise<AuditRecord[]>((res, rej) => {
        resolve = res
        reject = rej
      })
      this.following = { promise, resolve, reject }
    }
    return this.following.promise
  }

  private startCommit(): Promise<AuditRecord[]> {
    const p = this.commit()
    this.inFlight = p
    // Registered before anyone else can wait on p, so it runs first when p settles: the next
    // commit starts in the same turn, and no flush in between can start a second one beside it.
    const done = () => {
      this.inFlight = undefined
      const next = this.following
      if (!next) return
      this.following = undefined
      this.startCommit().then(next.resolve, next.reject)
    }
    p.then(done, done)
    return p
  }

  private commitInBackground(): void {
    // After a failure, wait for the retry rather than hitting an unreachable database on every append (flush still tries at once).
    if (this.retryTimer) return
    this.commitSoon().catch((err: WaferError) => {
      this.onError?.(err)
      if (this.closed || this.retryTimer) return
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined
        if (!this.closed && this.pending.length) this.commitInBackground()
      }, 1000)
      this.retryTimer.unref()
    })
  }

  private async commit(): Promise<AuditRecord[]> {
    if (this.pending.length === 0) return []
    const batch = this.pending.slice()
    const started = performance.now()
    try {
      const { records, witness } = await this.inWriteTransaction(() => this.core.commit(batch))
      this.pending = this.pending.slice(batch.length)
      this.lastError = undefined
      this.noteCommit(started, true, batch.length)
      this.core.witness(witness, this.onError)
      return records
    } catch (err) {
      this.lastError = pgError('Writing the audit log failed', this.location, err)
      this.noteCommit(started, false, batch.length, err)
      throw this.lastError
    }
  }

  private noteCommit(started: number, ok: boolean, records: number, err?: unknown): void {
    const ms = performance.now() - started
    const s = this.stats
    s.pending = this.pending.length
    s.lastCommitMs = ms
    if (ok) {
      s.commits++
      s.reachable = true
      s.lastError = null
    } else {
      s.failedCommits++
      if (isUnreachable(err)) s.reachable = false
      s.lastError = this.lastError?.message ?? null
    }
    this.onCommit?.({ ms, ok, records })
  }

  private async inWriteTransaction<T>(program: () => Program<T>): Promise<T> {
    try {
      return await this.sql.begin((tx) => runOnPostgres(tx, program()))
    } catch (err) {
      this.core.rolledBack()
      throw err
    }
  }

  private async checkpointNow(force: boolean): Promise<void> {
    if (!this.core.signed || this.closed) return
    try {
      if (!(await runOnPostgres(this.sql, this.core.checkpointDue(force)))) return
      // The head row's lock serialises this with every writer's commits, this process's too.
      const line = await this.inWriteTransaction(() => this.core.signIfDue(force))
      this.core.witness(line ? [line] : [], this.onError)
    } catch (err) {
      this.onError?.(pgError('Signing an audit checkpoint failed', this.location, err))
    }
  }

  // ─── reading ────────────────────────────────────────────────────────────

  async head(): Promise<AuditHead> {
    this.ensureOpen()
    return this.read(readHead())
  }

  matchHash(text: string): string {
    return this.core.matchHash(text)
  }

  async info(): Promise<AuditInfo> {
    this.ensureOpen()
    return this.read(this.core.info())
  }

  async query(q: AuditQuery = {}, ctx: AccessContext = {}): Promise<AuditPage> {
    this.ensureOpen()
    const c = this.core.compile(q)
    const page = await this.read(this.core.page(c))
    await this.recordAccess('query', { filter: this.core.describeFilter(c.parsed), returned: page.records.length }, ctx)
    return page
  }

  async verify(opts: AccessContext & { expectHead?: AuditHead; witness?: WitnessLine[] } = {}): Promise<AuditVerifyResult> {
    this.ensureOpen()
    await this.recordAccess(
      'verify',
      { ...(opts.expectHead ? { expectHead: opts.expectHead } : {}), ...(opts.witness ? { witnessHeads: opts.witness.length } : {}) },
      opts,
    )
    await this.flush()
    const proof = this.core.proofContext(opts.witness)
    return this.snapshot((run) => verifyOnSnapshot(run, this.core.meta.genesis, opts.expectHead, proof))
  }

  async exportJsonl(out: Writable, opts: AccessContext & { filter?: AuditQuery } = {}): Promise<{ records: number }> {
    this.ensureOpen()
    const { cursor: _c, limit: _l, ...filter } = opts.filter ?? {}
    const c = this.core.compile(filter)
    await this.recordAccess('export', { filter: this.core.describeFilter(c.parsed) }, opts)
    await this.flush()
    return this.snapshot((run) => exportOnSnapshot(run, c, out))
  }

  async prune(now: number = this.core.clock()): Promise<AuditPruneResult> {
    this.ensureOpen()
    await this.flush()
    return this.inWriteTransaction(() => this.core.prune(now))
  }

  health(): AuditStoreHealth {
    return { ...this.stats, pending: this.pending.length }
  }

  async ping(): Promise<boolean> {
    try {
      await this.sql.unsafe('SELECT 1')
      this.stats.reachable = true
      return true
    } catch (err) {
      if (isUnreachable(err)) this.stats.reachable = false
      return false
    }
  }

  /** log_all_access: the read is committed before any data is handed out; if it cannot be written, the read fails. */
  private async recordAccess(action: string, detail: Record<string, unknown>, ctx: AccessContext): Promise<void> {
    if (!this.core.logAllAccess) return
    this.append({ kind: 'access', client: ctx.actor ?? this.core.actor, detail: JSON.parse(JSON.stringify({ action, ...detail })) })
    await this.flush()
  }

  private async read<T>(program: Program<T>): Promise<T> {
    try {
      return await runOnPostgres(this.sql, program)
    } catch (err) {
      throw pgError('Reading the audit log failed', this.location, err)
    }
  }

  /** A long read on one snapshot that never blocks the writers. */
  private async snapshot<T>(fn: (run: <R>(p: Program<R>) => Promise<R>) => Promise<T>): Promise<T> {
    try {
      return (await this.sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', (tx) => fn((p) => runOnPostgres(tx, p)))) as T
    } catch (err) {
      throw pgError('Reading the audit log failed', this.location, err)
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new WaferError('storage', 'The audit log is closed')
  }
}

/**
 * Inside one transaction holding a lock of this app's: creates the log's
 * tables in an empty database (migrations, then the new log's identity),
 * or checks that the tables there are an audit log this Wafer can read.
 * Several replicas starting at once create it once.
 */
async function ensureSchema(tx: PgTx, display: string, keyFile: string, create: boolean, now: number): Promise<void> {
  await tx.unsafe(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`)
  const tables = new Set(
    (await tx.unsafe<{ name: string }[]>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()')).map((r) => r.name),
  )
  if (!tables.has('audit_meta') || !tables.has('audit_records')) {
    if (tables.size > 0) throw notAnAuditLog(display, 'its schema holds other tables: give the audit log a database of its own')
    if (!create) throw new WaferError('not_found', `No audit log in ${display}`, { reason: 'missing', file: display })
    await tx.unsafe(MIGRATIONS_TABLE)
    for (const m of PG_MIGRATIONS) {
      await tx.unsafe(m.sql)
      await runOnPostgres(tx, insertRows('audit_migrations', ['version', 'name', 'applied_at'], [[m.version, m.name, now]]))
    }
    const key = createKeyFile(keyFile)
    await runOnPostgres(tx, initialRows(now, key))
    return
  }
  const applied = tables.has('audit_migrations') ? (await tx.unsafe<{ v: number | null }[]>('SELECT max(version) AS v FROM audit_migrations'))[0]?.v : null
  const known = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version
  if (applied !== null && applied !== undefined && applied > known) {
    throw new WaferError('storage', `${display} holds an audit log of schema version ${applied}, made by a newer Wafer; this one knows up to ${known}`, {
      reason: 'unsupported_version',
      file: display,
    })
  }
}

/** Opens (creating when allowed) the audit log in the PostgreSQL database `url` names. */
export function openPgAuditLog(opts: PgAuditLogOptions): Promise<PgAuditLog> {
  return PgAuditLog.open(opts)
}
