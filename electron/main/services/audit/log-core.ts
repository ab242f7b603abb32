import { resolve } from 'node:path'

import type { AuditHead, AuditInfo, AuditPage, AuditPruneResult, AuditQuery, AuditRecord } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'

import { type ChainKeys, deriveChainKeys } from './chain-keys'
import { matchHash } from './hashing'
import type { ParsedAuditEntry } from './input'
import { loadFindingsKey, readKeyFileFull } from './key-file'
import { readLogInfo } from './log-info'
import { type AuditLogOptions, checkRetentionDays } from './options'
import { pruneSegments } from './prune'
import { type CompiledQuery, compileQuery, encodeCursor, FINISHED_COLUMN } from './query'
import { RECORD_COLUMNS, recordFromRow, type RecordRow } from './record'
import { readHead, RecordWriter } from './record-writer'
import { type AuditMeta, readSetting, writeSetting } from './schema'
import { appendWitness, DEFAULT_CHECKPOINTS, SignedHeads, type WitnessLine } from './signed-heads'
import type { ProofContext } from './snapshot-reads'
import { all, type Program } from './sql-program'

const DAY_MS = 86_400_000
export const DEFAULT_RETENTION_DAYS = 365

/** The options both stores take that the chain itself uses. */
export type CoreOptions = Pick<
  AuditLogOptions,
  | 'retentionDays'
  | 'logAllAccess'
  | 'clock'
  | 'actor'
  | 'segmentSpanMs'
  | 'segmentMaxRecords'
  | 'checkpointEveryRecords'
  | 'checkpointEveryMs'
  | 'witnessFile'
  | 'onError'
>

/** What the log keeps in audit_settings, as opened. */
export interface LogSettings {
  retentionDays: number
  logAllAccess: boolean
}

/** Saves the settings a writer was opened with and reads back what is in force (a reader takes what the log says). */
export function* openSettings(opts: CoreOptions, writer: boolean): Program<LogSettings> {
  checkRetentionDays(opts.retentionDays)
  if (opts.retentionDays !== undefined) yield* writeSetting('retention_days', String(opts.retentionDays))
  if (opts.logAllAccess !== undefined) yield* writeSetting('log_all_access', opts.logAllAccess ? '1' : '0')
  if (opts.witnessFile !== undefined && writer) yield* writeSetting('witness_file', resolve(opts.witnessFile))
  return {
    retentionDays: Number((yield* readSetting('retention_days')) ?? DEFAULT_RETENTION_DAYS),
    logAllAccess: (yield* readSetting('log_all_access')) === '1',
  }
}

/**
 * The audit log's rules, whatever database holds it: sealing entries into
 * the chain, signed checkpoints, retention, the browse query, facts for the
 * status line, the proofs verification needs. A store (store.ts for SQLite,
 * pg-store.ts for PostgreSQL) owns the connection, the queue and the
 * transactions, and runs what this hands it.
 */
export class LogCore {
  readonly meta: AuditMeta
  readonly actor: string
  readonly clock: () => number
  readonly retentionDays: number
  readonly logAllAccess: boolean
  /** The findings key; undefined for a reader whose key file is missing. */
  private readonly key: string | undefined
  /** Format 2 with the key file: the MAC and signing keys. */
  private readonly keys: ChainKeys | undefined
  /** A writer's signed checkpoints (format 2 with the key file). */
  readonly signed: SignedHeads | undefined
  readonly checkpointEveryMs: number
  readonly witnessFile: string | undefined
  private readonly writer: RecordWriter

  constructor(
    /** The log as people name it: its file, or its database's URL without the password. */
    readonly location: string,
    /** Where its key file is. */
    readonly keyFile: string,
    meta: AuditMeta,
    settings: LogSettings,
    opts: CoreOptions,
    writer: boolean,
  ) {
    this.meta = meta
    this.clock = opts.clock ?? Date.now
    this.actor = opts.actor ?? 'local'
    this.retentionDays = settings.retentionDays
    this.logAllAccess = settings.logAllAccess
    this.key = loadFindingsKey(keyFile, meta.findingsKey, writer)
    this.keys = meta.version === 2 && this.key ? deriveChainKeys(this.key) : undefined
    if (writer && this.keys && this.keys.publicKeyHex !== meta.signingKey) {
      throw new WaferError('storage', `The public key recorded in ${location} is not its key file's: the log was tampered with. Run \`wafer audit verify\`.`)
    }
    this.witnessFile = opts.witnessFile === undefined ? undefined : resolve(opts.witnessFile)
    this.writer = new RecordWriter({
      segmentSpanMs: opts.segmentSpanMs ?? DAY_MS,
      segmentMaxRecords: opts.segmentMaxRecords ?? 100_000,
      clock: this.clock,
      findingsKey: () => this.findingsKey(),
      logId: meta.logId,
      macKey: meta.version === 2 ? () => this.macKey() : undefined,
    })
    const policy = {
      everyRecords: opts.checkpointEveryRecords ?? DEFAULT_CHECKPOINTS.everyRecords,
      everyMs: opts.checkpointEveryMs ?? DEFAULT_CHECKPOINTS.everyMs,
    }
    this.checkpointEveryMs = policy.everyMs
    this.signed = writer && this.keys ? new SignedHeads(meta.logId, this.keys, policy) : undefined
  }

  // ─── inside a write transaction ─────────────────────────────────────────

  /** Seals the batch into the chain after the locked head, and signs a checkpoint when one is due. */
  *commit(batch: readonly ParsedAuditEntry[]): Program<{ records: AuditRecord[]; witness: WitnessLine[] }> {
    const records = yield* this.writer.write(batch)
    // The head is the last record just written (this transaction holds its lock): no need to read it again.
    const last = records.at(-1)
    const line = yield* this.signIfDue(false, last && { seq: last.seq, hash: last.hash })
    return { records, witness: line ? [line] : [] }
  }

  /** Signs the head (`known`, or read and locked) when the checkpoint policy says so (always with `force`, if it moved). */
  *signIfDue(force: boolean, known?: AuditHead): Program<WitnessLine | undefined> {
    if (!this.signed) return undefined
    const head = known ?? (yield* readHead(true))
    const now = this.clock()
    return (yield* this.signed.due(head, now, force)) ? yield* this.signed.sign(head, now) : undefined
  }

  /** Outside a transaction: whether a checkpoint is worth a write transaction now. */
  *checkpointDue(force: boolean): Program<boolean> {
    if (!this.signed) return false
    return yield* this.signed.due(yield* readHead(), this.clock(), force)
  }

  /** Removes whole segments past retention at `now` (see prune.ts). */
  *prune(now: number): Program<AuditPruneResult> {
    return yield* pruneSegments(
      {
        genesis: this.meta.genesis,
        retentionDays: this.retentionDays,
        actor: this.actor,
        macs: this.meta.version === 2,
        writeRecords: (e) => this.writer.write(e),
      },
      now,
      now - this.retentionDays * DAY_MS,
    )
  }

  /** A transaction rolled back: forget what was read inside it. */
  rolledBack(): void {
    this.signed?.reset()
  }

  /** Appends committed heads to the witness file; a failure is reported, the log goes on. */
  witness(lines: readonly WitnessLine[], onError?: (err: WaferError) => void): void {
    const problem = this.witnessFile ? appendWitness(this.witnessFile, lines) : null
    if (problem) onError?.(new WaferError('storage', problem))
  }

  // ─── reading ────────────────────────────────────────────────────────────

  *info(): Program<AuditInfo> {
    const head = yield* readHead()
    return yield* readLogInfo({
      file: this.location,
      meta: this.meta,
      head,
      retentionDays: this.retentionDays,
      logAllAccess: this.logAllAccess,
      witnessFile: this.witnessFile ?? (yield* readSetting('witness_file')),
    })
  }

  /** The browse query, compiled (bad input throws a clear error before any database work). */
  compile(q: unknown): CompiledQuery & { parsed: AuditQuery } {
    return compileQuery(q, (t) => this.matchHash(t))
  }

  /** A page of records, newest first. */
  *page(c: CompiledQuery): Program<AuditPage> {
    const rows = yield* all<RecordRow>(
      `SELECT ${RECORD_COLUMNS}, ${FINISHED_COLUMN} FROM audit_records ${c.where} ORDER BY seq DESC LIMIT ?`,
      ...c.params,
      c.limit + 1,
    )
    const records = rows.slice(0, c.limit).map(recordFromRow)
    const nextCursor = rows.length > c.limit ? encodeCursor(records[records.length - 1].seq) : null
    return { records, nextCursor }
  }

  /** What verification needs to check the keyed proofs. */
  proofContext(witness: WitnessLine[] | undefined): ProofContext {
    const keyFile = this.meta.findingsKey.kind === 'file' ? readKeyFileFull(this.keyFile) : undefined
    return {
      logId: this.meta.logId,
      version: this.meta.version,
      macKey: this.keys?.macKey,
      loggedSigningKey: this.meta.signingKey,
      keyFileSigningKey: this.keys?.publicKeyHex,
      keyFileSaysChain: keyFile?.chain ?? false,
      witness,
    }
  }

  /** The salted hash a finding keeps of `text`. */
  matchHash(text: string): string {
    return matchHash(this.findingsKey(), text)
  }

  /** The filter as an access record keeps it: the search text only as its salted hash, since people search for PII. */
  describeFilter(q: AuditQuery): Record<string, unknown> {
    const { text, ...rest } = q
    return JSON.parse(JSON.stringify({ ...rest, ...(text !== undefined ? { textHash: this.matchHash(text) } : {}) }))
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
}
