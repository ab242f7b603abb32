import type { AuditFinding, AuditRecord, AuditVerdict, AuditVerdictValue } from '../../../../shared/audit/types'
import { AUDIT_VERDICTS } from '../../../../shared/audit/types'
import { canonicalJson } from './canonical'
import { matchHash, recordHash } from './hashing'
import type { ParsedAuditEntry } from './input'

/** The most severe verdict, in the order allow < redact < escalate < block. */
export function overallVerdict(verdicts: readonly AuditVerdict[]): AuditVerdictValue | null {
  let worst = -1
  for (const v of verdicts) worst = Math.max(worst, AUDIT_VERDICTS.indexOf(v.verdict))
  return worst < 0 ? null : AUDIT_VERDICTS[worst]
}

/** Everything a record's hash covers. */
export function recordBody(r: Omit<AuditRecord, 'hash'> | AuditRecord): Record<string, unknown> {
  return {
    seq: r.seq,
    time: r.time,
    kind: r.kind,
    requestId: r.requestId,
    client: r.client,
    target: r.target,
    model: r.model,
    status: r.status,
    verdict: r.verdict,
    verdicts: r.verdicts,
    findings: r.findings,
    usage: r.usage,
    latencyMs: r.latencyMs,
    detail: r.detail,
    prevHash: r.prevHash,
  }
}

/** Turns a validated entry into the record stored at `seq`, hashing the finding texts away. */
export function sealRecord(
  entry: ParsedAuditEntry,
  at: { seq: number; prevHash: string; time: number; saltHex: string },
): AuditRecord {
  const findings: AuditFinding[] = entry.findings.map((f) => ({
    policy: f.policy,
    entity: f.entity,
    location: f.location,
    start: f.start,
    end: f.end,
    hash: matchHash(at.saltHex, f.text),
  }))
  const body: Omit<AuditRecord, 'hash'> = {
    seq: at.seq,
    time: entry.time ?? at.time,
    kind: entry.kind,
    requestId: entry.requestId ?? null,
    client: entry.client ?? null,
    target: entry.target ?? null,
    model: entry.model ?? null,
    status: entry.status ?? null,
    verdict: overallVerdict(entry.verdicts),
    verdicts: entry.verdicts,
    findings,
    usage: entry.usage ?? null,
    latencyMs: entry.latencyMs ?? null,
    detail: entry.detail ?? null,
    prevHash: at.prevHash,
  }
  return { ...body, hash: recordHash(recordBody(body)) }
}

/** A row of audit_records as SQLite returns it. */
export interface RecordRow {
  seq: number
  time: number
  kind: string
  request_id: string | null
  client: string | null
  target: string | null
  model: string | null
  status: number | null
  verdict: string | null
  verdicts: string
  findings: string
  usage: string | null
  latency_ms: number | null
  detail: string | null
  prev_hash: string
  hash: string
}

export const RECORD_COLUMNS =
  'seq, time, kind, request_id, client, target, model, status, verdict, verdicts, findings, usage, latency_ms, detail, prev_hash, hash'

/** Positional values for `INSERT INTO audit_records (RECORD_COLUMNS)`. */
export function recordToParams(r: AuditRecord): unknown[] {
  return [
    r.seq,
    r.time,
    r.kind,
    r.requestId,
    r.client,
    r.target,
    r.model,
    r.status,
    r.verdict,
    canonicalJson(r.verdicts),
    canonicalJson(r.findings),
    r.usage === null ? null : canonicalJson(r.usage),
    r.latencyMs,
    r.detail === null ? null : canonicalJson(r.detail),
    r.prevHash,
    r.hash,
  ]
}

/**
 * Reads a row back into a record. Throws on JSON that does not parse, which
 * the verifier reports as an edited record. Field shapes are not checked
 * here: the hash comparison is what proves a row is as it was written.
 */
export function recordFromRow(row: RecordRow): AuditRecord {
  return {
    seq: row.seq,
    time: row.time,
    kind: row.kind as AuditRecord['kind'],
    requestId: row.request_id,
    client: row.client,
    target: row.target,
    model: row.model,
    status: row.status,
    verdict: row.verdict as AuditRecord['verdict'],
    verdicts: JSON.parse(row.verdicts) as AuditRecord['verdicts'],
    findings: JSON.parse(row.findings) as AuditRecord['findings'],
    usage: row.usage === null ? null : (JSON.parse(row.usage) as AuditRecord['usage']),
    latencyMs: row.latency_ms,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as AuditRecord['detail']),
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}
