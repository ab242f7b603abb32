import { sha256Hex } from './sha256'
import type { BlockCode, Verdict } from './types'

/**
 * What the audit-logger policy records for each decision. Never the matched
 * text: only where a finding was and what it was. The durable, tamper-evident
 * store comes with the gateway (electron/main/services/audit); it implements
 * AuditSink. MemoryAuditSink is the reference implementation used in tests
 * and in the test bench.
 */
export interface PolicyAuditEntry {
  /** Epoch milliseconds. */
  time: number
  requestId: string | null
  model: string | null
  pack: { name: string; version: string }
  verdict: Verdict
  verdicts: Array<{ policy: string; verdict: Verdict; code?: BlockCode; message?: string }>
  findings: Array<{ policy: string; entity: string; location: string; start: number; end: number; score: number }>
  /** Settings of the audit-logger block that wrote it. */
  retentionDays: number
  hipaaAuditControls: boolean
}

export interface AuditSink {
  append(entry: PolicyAuditEntry): void
}

export interface ChainedAuditRecord extends PolicyAuditEntry {
  seq: number
  prevHash: string
  hash: string
}

const GENESIS = '0'.repeat(64)

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const obj = value as Record<string, unknown>
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`
}

function hashRecord(r: Omit<ChainedAuditRecord, 'hash'>): string {
  return sha256Hex(canonical(r))
}

export type AuditVerification = { ok: true; records: number } | { ok: false; seq: number; reason: string }

/** Checks every link of a chain of records from its anchor; reports the first record that does not verify. */
export function verifyAuditChain(records: readonly ChainedAuditRecord[], anchor: { seq: number; hash: string } = { seq: 0, hash: GENESIS }): AuditVerification {
  let prev = anchor.hash
  let seq = anchor.seq
  for (const r of records) {
    if (r.seq !== seq + 1) return { ok: false, seq: r.seq, reason: 'sequence gap' }
    if (r.prevHash !== prev) return { ok: false, seq: r.seq, reason: 'broken link to the previous record' }
    const { hash, ...body } = r
    if (hashRecord(body) !== hash) return { ok: false, seq: r.seq, reason: 'record altered' }
    prev = hash
    seq = r.seq
  }
  return { ok: true, records: records.length }
}

/**
 * Append-only, hash-chained, in memory. There is no update or delete: the
 * only removal is `prune`, which leaves a checkpoint so the rest still verifies.
 */
export class MemoryAuditSink implements AuditSink {
  private readonly records: ChainedAuditRecord[] = []
  private checkpoint: { seq: number; hash: string } = { seq: 0, hash: GENESIS }

  append(entry: PolicyAuditEntry): void {
    const last = this.records[this.records.length - 1]
    const seq = (last?.seq ?? this.checkpoint.seq) + 1
    const prevHash = last?.hash ?? this.checkpoint.hash
    const body = { ...structuredClone(entry), seq, prevHash }
    this.records.push(Object.freeze({ ...body, hash: hashRecord(body) }) as ChainedAuditRecord)
  }

  /** A copy: changing it cannot change the log. */
  entries(): ChainedAuditRecord[] {
    return this.records.map((r) => structuredClone(r))
  }

  get size(): number {
    return this.records.length
  }

  /** The record the first remaining one links to (genesis, or the last pruned record). */
  get anchor(): { seq: number; hash: string } {
    return { ...this.checkpoint }
  }

  verify(): AuditVerification {
    return verifyAuditChain(this.records, this.checkpoint)
  }

  /** Remove records older than the retention; the last removed record becomes the checkpoint. */
  prune(now: number, retentionDays: number): number {
    const cutoff = now - retentionDays * 86_400_000
    let n = 0
    while (n < this.records.length && this.records[n].time < cutoff) n++
    if (n === 0) return 0
    const lastRemoved = this.records[n - 1]
    this.checkpoint = { seq: lastRemoved.seq, hash: lastRemoved.hash }
    this.records.splice(0, n)
    return n
  }
}
