import type { AuditUsage, AuditVerdict } from '@shared/audit/types'
import type { Finding } from '@shared/policy'

import type { AuditEntryInput, AuditFindingInput, AuditSink } from '../audit'

/**
 * A request's record in the audit log, written the same way for the app's
 * own requests and for the gateway's: which policies said what, what they
 * found (the log keeps only keyed hashes of the matched text), and how the
 * request ended.
 */

/** Findings kept per record (the log's own bound). */
const MAX_FINDINGS = 1024
/** Characters of an error message kept in a record's detail. */
const MAX_ERROR_CHARS = 500

/** A finding with the text it matched in `source`, for the audit log. */
export function auditFinding(f: Finding, location: string, source: string | null): AuditFindingInput {
  return { policy: f.policy, entity: f.entity, location, start: f.start, end: f.end, text: (source ?? '').slice(f.start, f.end) }
}

export interface RequestAudit {
  requestId: string
  client: string
  target: string | null
  model: string | null
  status: number
  /** Each policy's verdict as the stage reported it; log is recorded as allow, and a policy that failed ('error') is left out. */
  verdicts: ReadonlyArray<{ policy: string; verdict: string; code?: string }>
  findings: readonly AuditFindingInput[]
  usage: AuditUsage | null
  latencyMs: number | null
  detail: NonNullable<AuditEntryInput['detail']>
  error?: string | null
}

/**
 * Append one request's record. Returns why the log refused it, or null: the
 * log must not take the request down (its own onError reports failed writes).
 */
export function appendRequestAudit(sink: AuditSink, r: RequestAudit): string | null {
  try {
    // The in-app request is recorded whole, once it has ended: the completion record's fields under kind 'request'.
    sink.append({ ...requestCompletedEntry(r), kind: 'request' })
    return null
  } catch (err) {
    return (err as Error).message
  }
}

/** The verdicts a record keeps (a policy that errored is told by the request's error, not as a verdict). */
function auditVerdicts(verdicts: ReadonlyArray<{ policy: string; verdict: string; code?: string }>): AuditVerdict[] {
  return verdicts.filter((v) => v.verdict !== 'error').map(auditVerdict)
}

function auditVerdict(v: { policy: string; verdict: string; code?: string }): AuditVerdict {
  const verdict = v.verdict === 'log' ? 'allow' : (v.verdict as AuditVerdict['verdict'])
  return { policy: v.policy, verdict, ...(v.code ? { code: v.code } : {}) }
}

/**
 * Write-ahead, part one: what is known of a gateway request before the
 * upstream answers — who asked, for which model, what the input policies
 * said and found. Committed before the first byte of the answer leaves.
 */
export interface StartedAudit {
  requestId: string
  time: number
  client: string
  model: string | null
  verdicts: ReadonlyArray<{ policy: string; verdict: string; code?: string }>
  findings: readonly AuditFindingInput[]
  detail: NonNullable<AuditEntryInput['detail']>
}

export function requestStartedEntry(r: StartedAudit): AuditEntryInput {
  return {
    kind: 'request_started',
    time: r.time,
    requestId: r.requestId,
    client: r.client,
    model: r.model,
    verdicts: auditVerdicts(r.verdicts),
    findings: r.findings.slice(0, MAX_FINDINGS),
    detail: r.detail,
  }
}

/**
 * Write-ahead, part two: how the request ended, its own record linked to
 * the started one by request id, so the chain stays append-only. Verdicts
 * and findings are those of the output stage (the input's are in the
 * started record).
 */
export function requestCompletedEntry(r: RequestAudit): AuditEntryInput {
  return {
    kind: 'request_completed',
    requestId: r.requestId,
    client: r.client,
    target: r.target,
    model: r.model,
    status: r.status,
    verdicts: auditVerdicts(r.verdicts),
    findings: r.findings.slice(0, MAX_FINDINGS),
    usage: r.usage,
    latencyMs: r.latencyMs,
    detail: { ...r.detail, ...(r.error ? { error: r.error.slice(0, MAX_ERROR_CHARS) } : {}) },
  }
}
