import type { ChatRequest } from '@shared/ipc/domains/chat'
import type { RunInput } from '@shared/ipc/domains/history'
import type { PolicyOutcome } from '@shared/ipc/domains/policies'

/**
 * What the active policy decided about recent requests, by request id, so
 * that a run is saved with its verdicts and with the request as it was
 * actually sent, whoever saves it (the renderer after a playground or
 * compare run, main after a batch cell). Bounded: old entries fall out.
 */

interface Entry {
  outcome: PolicyOutcome
  /** The request as sent, when the policy changed it. */
  sent?: ChatRequest
}

/** Findings kept per verdict in the saved run. */
const SAVED_FINDINGS = 50

export class VerdictLedger {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly capacity = 1000) {}

  record(requestId: string, outcome: PolicyOutcome, sent?: ChatRequest): void {
    this.entries.delete(requestId)
    this.entries.set(requestId, { outcome, ...(sent ? { sent } : {}) })
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
  }

  get(requestId: string): Entry | undefined {
    return this.entries.get(requestId)
  }

  /**
   * The run with the policy's verdicts (unless the caller already gave some)
   * and with the request as sent (redacted), so History shows what Cerebras
   * received rather than what was typed.
   */
  apply<R extends RunInput>(run: R): R {
    const entry = this.entries.get(run.id)
    if (!entry) return run
    const verdicts = run.policyVerdicts && run.policyVerdicts.length ? run.policyVerdicts : outcomeToVerdicts(entry.outcome)
    return { ...run, policyVerdicts: verdicts, ...(entry.sent ? { request: entry.sent } : {}) }
  }
}

/** One record per policy step (input), one for the output check, one summary: what History keeps. */
export function outcomeToVerdicts(outcome: PolicyOutcome): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [
    {
      stage: 'summary',
      file: outcome.file,
      pack: outcome.pack,
      verdict: outcome.verdict,
      policy: outcome.policy,
      redactions: outcome.input.redactions.length,
      ...(outcome.blocked ? { blocked: outcome.blocked } : {}),
      time_ms: outcome.input.time_ms,
    },
  ]
  for (const p of outcome.input.policies) {
    out.push({
      stage: 'input',
      policy: p.policy,
      verdict: p.verdict,
      status: p.status,
      findings: p.findings.slice(0, SAVED_FINDINGS).map(({ entity, start, end, score, message_index }) => ({ entity, start, end, score, message_index })),
      findingCount: p.findings.length + (p.moreFindings ?? 0),
      time_ms: p.time_ms,
      ...(p.message ? { message: p.message } : {}),
      ...(p.code ? { code: p.code } : {}),
    })
  }
  if (outcome.output) {
    out.push({
      stage: 'output',
      policy: 'pii-detector',
      verdict: outcome.output.verdict,
      findings: outcome.output.findings.slice(0, SAVED_FINDINGS).map(({ entity, start, end, score }) => ({ entity, start, end, score })),
      findingCount: outcome.output.findings.length + (outcome.output.moreFindings ?? 0),
      withheldChars: outcome.output.withheldChars,
    })
  }
  return out.slice(0, 100)
}
