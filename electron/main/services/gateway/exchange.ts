import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'

import { worseVerdict } from '@shared/policy/enforcement'
import type { Finding, PolicyResult } from '@shared/policy/engine/types'

import type { AuditFindingInput, AuditSink } from '../audit'
import { auditFinding, requestCompletedEntry, requestStartedEntry } from '../policy-core'
import { GatewayHttpError } from './http-errors'
import type { GatewayLogEntry } from './request-log'
import type { RequestTelemetry } from './request-telemetry'
import { triedHeader } from './upstream-headers'

export type Stage = 'input' | 'output'

export const HEADER_REQUEST_ID = 'x-wafer-request-id'
const HEADER_TARGET = 'x-wafer-target'
const HEADER_VERDICT = 'x-wafer-policy-verdict'

export interface ExchangeOptions {
  /** What happens when a policy itself fails: refuse the request, or let it through (and log it). */
  failMode: 'block' | 'allow'
  audit?: AuditSink
  /** The request's metrics and trace (request-telemetry.ts). */
  telemetry: RequestTelemetry
}

/**
 * One chat request through the gateway, as its stages record it: the line
 * for the request log, the findings for the audit log (with the text each
 * matched, which the log keeps only as a keyed hash), and the abort signal
 * that the client leaving or the gateway stopping sets.
 */
export class Exchange {
  readonly entry: GatewayLogEntry
  readonly controller = new AbortController()
  readonly telemetry: RequestTelemetry
  /** The answering upstream's headers that go on to the client (rate limits, retry hints, inference id). */
  upstreamHeaders: Record<string, string> = {}
  private readonly findings: AuditFindingInput[] = []
  /** The write-ahead record's commit, once started; resolves to why it failed, or null. */
  private started: Promise<string | null> | undefined
  /** Verdicts and findings already in the started record (the completion record carries the rest). */
  private startedVerdicts = 0
  private startedFindings = 0

  constructor(
    client: string,
    private readonly opts: ExchangeOptions,
  ) {
    this.telemetry = opts.telemetry
    this.entry = {
      requestId: `gw-${randomUUID()}`,
      time: Date.now(),
      client,
      model: null,
      stream: false,
      verdicts: [],
      verdict: 'allow',
      target: null,
      attempts: [],
      status: 0,
      latencyMs: 0,
      usage: null,
      error: null,
    }
  }

  get requestId(): string {
    return this.entry.requestId
  }

  /** The verdicts of the policies that ran. */
  recordVerdicts(stage: Stage, results: readonly PolicyResult[]): void {
    for (const r of results) if (r.status === 'ran') this.entry.verdicts.push({ policy: r.policy, verdict: r.verdict, stage })
  }

  /** Findings for the audit log: the text each matched in its source, and where that text was. */
  addFindings(findings: readonly Finding[], source: (f: Finding) => string | null, location: (f: Finding) => string): void {
    for (const f of findings) {
      const where = location(f)
      this.findings.push(auditFinding(f, where, source(f)))
      this.telemetry.findings([f], where.startsWith('output') ? 'output' : 'input')
    }
  }

  /** Where the record stands now, to tell later what one stage added (stageOutcome). */
  mark(): { verdicts: number; findings: number } {
    return { verdicts: this.entry.verdicts.length, findings: this.findings.length }
  }

  /** What was recorded since `mark`: the worst verdict and how many findings. */
  stageOutcome(mark: { verdicts: number; findings: number }): { verdict: string; findings: number } {
    const verdict = this.entry.verdicts.slice(mark.verdicts).reduce((w, v) => worseVerdict(w, v.verdict), 'allow')
    return { verdict, findings: this.findings.length - mark.findings }
  }

  /** The request's verdict becomes `verdict` when that is worse. */
  escalate(verdict: string): void {
    this.entry.verdict = worseVerdict(this.entry.verdict, verdict)
  }

  /** Usage figures from the upstream's answer, when it sent them. */
  noteUsage(u: unknown): void {
    if (!u || typeof u !== 'object') return
    const x = u as Record<string, unknown>
    if (typeof x.prompt_tokens !== 'number') return
    this.entry.usage = { promptTokens: x.prompt_tokens, completionTokens: Number(x.completion_tokens ?? 0), totalTokens: Number(x.total_tokens ?? 0) }
  }

  /** A policy itself failed: with --fail-mode block the request is refused (503); with allow it goes on, noted. */
  policyFailed(stage: Stage, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    const entry = this.entry
    entry.verdicts.push({ policy: 'chain', verdict: 'error', stage })
    this.opts.audit?.append({
      kind: 'policy_failure',
      requestId: entry.requestId,
      client: entry.client,
      model: entry.model,
      detail: { stage, error: message.slice(0, 500), failMode: this.opts.failMode },
    })
    if (this.opts.failMode === 'block') {
      entry.verdict = 'error'
      throw new GatewayHttpError(503, 'policy_error', `A policy failed on the ${stage} (${message}); --fail-mode block refuses the request.`, 'policy_failed')
    }
    entry.error = `policy failed on ${stage}, allowed by --fail-mode allow: ${message}`
  }

  /** What every answer carries: the upstream's passed-on headers, the request's id, the target that answered (and those tried before it), the verdict. */
  responseHeaders(): Record<string, string> {
    const entry = this.entry
    return {
      ...this.upstreamHeaders,
      ...(entry.attempts.length > 1 ? triedHeader(entry.attempts) : {}),
      [HEADER_REQUEST_ID]: entry.requestId,
      ...(entry.target ? { [HEADER_TARGET]: entry.target } : {}),
      [HEADER_VERDICT]: entry.verdict,
    }
  }

  /**
   * Write-ahead: commits the request's started record — client, model, the
   * input verdicts and findings — and resolves once it is durable. The
   * gateway awaits this before the first byte of any answer leaves, so a
   * request a client saw answered is in the log even if the process is
   * killed a moment later. Once per request; later calls share the commit.
   * Resolves to why the log refused it, or null.
   */
  recordDecision(): Promise<string | null> {
    const sink = this.opts.audit
    if (!sink) return Promise.resolve(null)
    const entry = this.entry
    this.startedVerdicts = entry.verdicts.length
    this.startedFindings = this.findings.length
    const t0 = performance.now()
    this.started ??= sink
      .appendCommitted(
        requestStartedEntry({
          requestId: entry.requestId,
          time: entry.time,
          client: entry.client,
          model: entry.model,
          verdicts: entry.verdicts,
          findings: this.findings,
          detail: { stream: entry.stream },
        }),
      )
      .then(
        () => {
          this.telemetry.auditWrite((performance.now() - t0) / 1000, true, null)
          return null
        },
        (err: unknown) => {
          const why = err instanceof Error ? err.message : String(err)
          this.telemetry.auditWrite((performance.now() - t0) / 1000, false, why)
          return why
        },
      )
    return this.started
  }

  /**
   * The started record is durable before the answer begins. When it cannot
   * be written, --fail-mode block refuses the request (503): an unrecorded
   * answer is what the audit log promises never to give; allow goes on, noted.
   */
  async decided(): Promise<void> {
    const refused = await this.recordDecision()
    if (!refused) return
    if (this.opts.failMode === 'block') {
      throw new GatewayHttpError(
        503,
        'unavailable_error',
        `The audit log could not record the request (${refused}); --fail-mode block refuses it.`,
        'audit_unavailable',
      )
    }
    this.entry.error = `audit record not written before the answer (allowed by --fail-mode allow): ${refused}`
  }

  /** The request's completion record in the audit log, once it has ended (linked to its started record by request id). */
  audit(): void {
    const sink = this.opts.audit
    if (!sink) return
    const entry = this.entry
    // A request refused before any decision (a bad body, an unknown model) is recorded whole: its started record is this one.
    if (!this.started) void this.recordDecision()
    const refused = appendOrWhy(sink, {
      requestId: entry.requestId,
      client: entry.client,
      target: entry.target,
      model: entry.model,
      status: entry.status,
      verdicts: entry.verdicts.slice(this.startedVerdicts),
      findings: this.findings.slice(this.startedFindings),
      usage: entry.usage,
      latencyMs: entry.latencyMs,
      detail: {
        stream: entry.stream,
        attempts: entry.attempts,
        ...(entry.llm ? { llm_check: JSON.parse(JSON.stringify(entry.llm)) as Record<string, string | number> } : {}),
      },
      error: entry.error,
    })
    // The log must not take requests down; the failure is visible in the request log.
    if (refused) entry.error = `audit append failed: ${refused}`
  }
}

/** Appends the completion record; returns why the log refused it, or null. */
function appendOrWhy(sink: AuditSink, r: Parameters<typeof requestCompletedEntry>[0]): string | null {
  try {
    sink.append(requestCompletedEntry(r))
    return null
  } catch (err) {
    return (err as Error).message
  }
}
