import type { AuditFinding, AuditRecord, AuditVerdict, AuditVerdictValue } from '@shared/audit/types'
import { AUDIT_VERDICTS } from '@shared/audit/types'

import { canonicalJson } from './canonical'
import { matchHash, recordHashOfCanonical } from './hashing'
import type { ParsedAuditEntry } from './input'

/** The most severe verdict, in the order allow < redact < escalate < block. */
export function overallVerdict(verdicts: readonly AuditVerdict[]): AuditVerdictValue | null {
  let worst = -1
  for (const v of verdicts) worst = Math.max(worst, AUDIT_VERDICTS.indexOf(v.verdict))
  return worst < 0 ? null : AUDIT_VERDICTS[worst]
}

type Body = Omit<AuditRecord, 'hash'>

/** Everything a record's hash covers, as a plain object (the definition `canonicalBody` must agree with). */
export function recordBody(r: Body | AuditRecord): Record<string, unknown> {
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

/** The structured fields in canonical JSON: hashed as part of the body and stored as the JSON columns. */
interface JsonParts {
  verdicts: string
  findings: string
  usage: string | null
  detail: string | null
}

function jsonParts(r: Body): JsonParts {
  return {
    verdicts: canonicalJson(r.verdicts),
    findings: canonicalJson(r.findings),
    usage: r.usage === null ? null : canonicalJson(r.usage),
    detail: r.detail === null ? null : canonicalJson(r.detail),
  }
}

const scalar = (v: unknown): string => canonicalJson(v ?? null)

/**
 * canonicalJson(recordBody(r)) written out with the keys already in sorted
 * order, reusing the JSON parts that are also stored: appending is three
 * times faster this way. A unit test holds the two forms equal.
 */
function canonicalBody(r: Body, p: JsonParts): string {
  return (
    `{"client":${scalar(r.client)},"detail":${p.detail ?? 'null'},"findings":${p.findings},"kind":${scalar(r.kind)}` +
    `,"latencyMs":${scalar(r.latencyMs)},"model":${scalar(r.model)},"prevHash":${scalar(r.prevHash)}` +
    `,"requestId":${scalar(r.requestId)},"seq":${scalar(r.seq)},"status":${scalar(r.status)},"target":${scalar(r.target)}` +
    `,"time":${scalar(r.time)},"usage":${p.usage ?? 'null'},"verdict":${scalar(r.verdict)},"verdicts":${p.verdicts}}`
  )
}

/** The hash a record must carry. Throws on values JSON cannot represent (a damaged row). */
export function hashOfRecord(r: Body | AuditRecord): string {
  return recordHashOfCanonical(canonicalBody(r, jsonParts(r)))
}

/** Turns a validated entry into the record stored at `seq` (finding texts hashed away) and its insert parameters. */
export function sealRecord(
  entry: ParsedAuditEntry,
  at: { seq: number; prevHash: string; time: number; saltHex: string },
): { record: AuditRecord; params: unknown[] } {
  const findings: AuditFinding[] = entry.findings.map((f) => ({
    policy: f.policy,
    entity: f.entity,
    location: f.location,
    start: f.start,
    end: f.end,
    hash: matchHash(at.saltHex, f.text),
  }))
  const body: Body = {
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
  const parts = jsonParts(body)
  const record: AuditRecord = { ...body, hash: recordHashOfCanonical(canonicalBody(body, parts)) }
  const params = [
    record.seq,
    record.time,
    record.kind,
    record.requestId,
    record.client,
    record.target,
    record.model,
    record.status,
    record.verdict,
    parts.verdicts,
    parts.findings,
    parts.usage,
    record.latencyMs,
    parts.detail,
    record.prevHash,
    record.hash,
  ]
  return { record, params }
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
  /** Browse pages only: for request_started rows whether they finished (1/0 from SQLite, a boolean from PostgreSQL; see query.ts), null otherwise. */
  finished?: number | boolean | null
}

/** Column order of `sealRecord(...).params`. */
export const RECORD_COLUMN_LIST = [
  'seq',
  'time',
  'kind',
  'request_id',
  'client',
  'target',
  'model',
  'status',
  'verdict',
  'verdicts',
  'findings',
  'usage',
  'latency_ms',
  'detail',
  'prev_hash',
  'hash',
] as const
export const RECORD_COLUMNS = RECORD_COLUMN_LIST.join(', ')

/**
 * Reads a row back into a record. Throws on JSON that does not parse, which
 * the verifier reports as a damaged record. Field shapes are not checked
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
    ...(row.finished === undefined || row.finished === null ? {} : { finished: row.finished === 1 || row.finished === true }),
  }
}
