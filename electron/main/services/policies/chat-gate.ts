import type { ChatRequest } from '@shared/ipc/domains/chat'
import type {
  PolicyBlock,
  PolicyBlockedDetails,
  PolicyFinding,
  PolicyOutcome,
  PolicyStepResult,
  PolicyVerdictKind,
  SentMessage,
} from '@shared/ipc/domains/policies'
import { WaferError } from '@shared/ipc/errors'
import {
  applyChanges,
  type ChainResult,
  type ChatRequest as EngineRequest,
  type Finding,
  OUTPUT_BLOCKED_MESSAGE,
  outputVerdict,
  runChain,
  type StreamRedactor,
  toEngineRequest,
  verdictSeverity,
} from '@shared/policy'

import type { AuditFindingInput, AuditSink } from '../audit'
import type { ChatPolicyGate, ChatPolicyRun, OutputChannel, OutputFilter, RunEnd } from '../cerebras/chat-policy'
import { appendRequestAudit, auditFinding, failClosedRun } from '../policy-core'
import type { ActivePolicyService, LoadedPolicy } from './active-policy'
import { checkWithJudge, type InjectionJudge, llmCheckSettings } from './llm-judge'
import type { VerdictLedger } from './verdict-ledger'

/**
 * The active policy applied to one chat request: the chain runs over the
 * input before anything is sent (a block fails the request with a
 * policy_blocked error naming the policy and the finding; redactions and
 * token clamps change what is sent), and pii-detector redacts the output
 * as it streams, through a redactor that holds back a possible match until
 * it is whole. The decision is remembered for the saved run.
 */

/** Lists sent over the bridge are capped: one huge prompt must not flood it. */
export const MAX_LISTED_FINDINGS = 200
const EXCERPT_CONTEXT = 160

export interface PolicyGateDeps {
  active: Pick<ActivePolicyService, 'current'>
  ledger: VerdictLedger
  /**
   * The audit log, for policies with audit-logger in their chain (opened on
   * first use with that policy's settings); null when it cannot be opened.
   */
  audit?: (policy: LoadedPolicy) => AuditSink | null
  /** The semantic injection check, for policies whose prompt-injection has llm_check (null until Cerebras is connected). */
  judge?: () => InjectionJudge | null
}

export function createPolicyGate(deps: PolicyGateDeps): ChatPolicyGate {
  return {
    async begin(request, requestId) {
      let loaded: LoadedPolicy | null
      try {
        loaded = await deps.active.current()
      } catch (err) {
        const error =
          err instanceof WaferError ? err : new WaferError('policy_blocked', `The policy could not be loaded (${String(err)}), so nothing was sent.`)
        const details = (error.details ?? {}) as Partial<PolicyBlockedDetails>
        const run = failClosedRun(request, error, { policy: '(policy file)', reason: error.message, file: details.file ?? '', pack: details.pack ?? '' })
        deps.ledger.record(requestId, run.outcome())
        return run
      }
      if (!loaded) return null
      const input = await checkInput(loaded, request, requestId, deps.judge?.() ?? null)
      return new EnforcedRun(loaded, request, requestId, deps.ledger, deps.audit, input)
    },
  }
}

function wireFinding(f: Finding): PolicyFinding {
  return {
    policy: f.policy,
    entity: f.entity,
    start: f.start,
    end: f.end,
    score: f.score,
    message_index: f.message_index,
    ...(f.encoding ? { encoding: f.encoding } : {}),
    ...(f.detail ? { detail: f.detail } : {}),
  }
}

function capped(findings: readonly Finding[]): { findings: PolicyFinding[]; moreFindings?: number } {
  const listed = findings.slice(0, MAX_LISTED_FINDINGS).map(wireFinding)
  return findings.length > MAX_LISTED_FINDINGS ? { findings: listed, moreFindings: findings.length - MAX_LISTED_FINDINGS } : { findings: listed }
}

/** The text around a finding, so the renderer can show and highlight it without the whole request. */
function excerptOf(engine: EngineRequest, f: Finding): PolicyBlockedDetails['excerpt'] {
  const m = engine.messages[f.message_index]
  if (!m || typeof m.content !== 'string') return undefined
  const from = Math.max(0, f.start - EXCERPT_CONTEXT)
  const to = Math.min(m.content.length, f.end + EXCERPT_CONTEXT)
  return {
    text: m.content.slice(from, to),
    start: f.start - from,
    end: f.end - from,
    role: m.role,
    message_index: f.message_index,
    clippedBefore: from > 0,
    clippedAfter: to < m.content.length,
  }
}

interface CheckedInput {
  engine: EngineRequest
  result: ChainResult
}

/**
 * The input policies on one request: the lexical chain, then, when the
 * policy's prompt-injection has llm_check and nothing blocked yet, the
 * semantic check (through main's Cerebras client, cached, with the policy's
 * timeout and on_error). Its verdict, latency and cost go on the
 * prompt-injection step.
 */
export async function checkInput(loaded: LoadedPolicy, original: ChatRequest, requestId: string, judge: InjectionJudge | null): Promise<CheckedInput> {
  const engine = toEngineRequest(original)
  const lexical = runChain(loaded.chain, engine, 'enforce', { requestId })
  const result = await checkWithJudge(loaded.chain, engine, lexical, llmCheckSettings(loaded.config), judge, requestId)
  return { engine, result }
}

class EnforcedRun implements ChatPolicyRun {
  readonly request: ChatRequest
  readonly blocked: WaferError | null = null
  readonly sentMessages: SentMessage[] | undefined
  private readonly result: ChainResult
  private readonly outputFindings: Finding[] = []
  private outputBlock: PolicyBlock | undefined
  /** The policy changed what is sent (redactions, a clamped token limit). */
  private readonly changed: boolean = false
  /** Findings with the text they matched, for the audit log (which keeps only keyed hashes of it). */
  private readonly auditFindings: AuditFindingInput[] = []
  private settled = false

  constructor(
    private readonly loaded: LoadedPolicy,
    original: ChatRequest,
    private readonly requestId: string,
    private readonly ledger: VerdictLedger,
    private readonly audit?: (policy: LoadedPolicy) => AuditSink | null,
    input?: CheckedInput,
  ) {
    const engine = input?.engine ?? toEngineRequest(original)
    this.result = input?.result ?? runChain(loaded.chain, engine, 'enforce', { requestId })
    for (const f of this.result.findings) {
      this.auditFindings.push(auditFinding(f, `input.messages[${f.message_index}].content`, engine.messages[f.message_index]?.content ?? null))
    }
    const b = this.result.blocked
    if (b) {
      const finding = b.finding
      const details: PolicyBlockedDetails = {
        stage: 'input',
        policy: b.policy,
        code: b.code,
        pack: loaded.name,
        file: loaded.path,
        ...(finding ? { finding: wireFinding(finding), excerpt: excerptOf(engine, finding) } : {}),
      }
      this.blocked = new WaferError(
        'policy_blocked',
        `Blocked by ${b.policy} (policy "${loaded.name}"): ${b.message.replace(/\.?$/, '.')} Nothing was sent to Cerebras.`,
        details as unknown as Record<string, unknown>,
      )
      this.request = original
      this.sentMessages = undefined
    } else {
      this.request = applyChanges(original, this.result)
      this.changed = this.request !== original
      this.sentMessages = this.result.redactions.length ? this.result.messages.map((m) => ({ role: m.role, content: m.content })) : undefined
    }
    this.outcome(0)
  }

  get readsOutput(): boolean {
    return !this.blocked && this.loaded.chain.readsOutput
  }

  outputFilter(channel: OutputChannel): OutputFilter | null {
    if (this.blocked) return null
    const redactor = this.loaded.chain.createOutputRedactor()
    return redactor ? this.filterOver(redactor, channel) : null
  }

  checkOutput(text: string): string {
    const out = this.loaded.chain.checkOutput(text)
    this.outputFindings.push(...out.findings)
    for (const f of out.findings) this.auditFindings.push(auditFinding(f, 'output', text))
    if (this.loaded.chain.blocksOutput && out.findings.length) throw this.blockOutput(out.findings[0])
    return out.redacted
  }

  outcome(withheldChars = 0): PolicyOutcome {
    const outcome = this.decision(withheldChars)
    this.ledger.record(this.requestId, outcome, this.changed ? this.request : undefined)
    return outcome
  }

  /** The decision so far, without recording it. */
  private decision(withheldChars: number): PolicyOutcome {
    const r = this.result
    const output: PolicyVerdictKind = outputVerdict(this.loaded.chain, this.outputFindings.length)
    let verdict: PolicyVerdictKind = r.verdict
    let policy = r.policy
    if (verdictSeverity(output) > verdictSeverity(verdict)) {
      verdict = output
      policy = 'pii-detector'
    }
    const outcome: PolicyOutcome = {
      file: this.loaded.path,
      pack: this.loaded.name,
      verdict,
      policy,
      input: {
        verdict: r.verdict,
        policies: r.policies.map(stepResult),
        redactions: r.redactions.slice(0, MAX_LISTED_FINDINGS).map((x) => ({ ...x })),
        time_ms: r.time_ms,
      },
      output: this.blocked || !this.loaded.chain.readsOutput ? null : { verdict: output, ...capped(this.outputFindings), withheldChars },
    }
    if (r.blocked) {
      outcome.blocked = {
        stage: 'input',
        policy: r.blocked.policy,
        code: r.blocked.code,
        message: r.blocked.message,
        ...(r.blocked.finding ? { finding: wireFinding(r.blocked.finding) } : {}),
      }
    } else if (this.outputBlock) {
      outcome.blocked = this.outputBlock
    }
    return outcome
  }

  settle(end: RunEnd): void {
    if (this.settled) return
    this.settled = true
    if (!this.loaded.chain.kinds.includes('audit-logger') || this.loaded.config.pack?.enabled === false) return
    const sink = this.audit?.(this.loaded)
    if (!sink) return
    const outcome = this.decision(0)
    const verdicts: Array<{ policy: string; verdict: string; code?: string }> = outcome.input.policies.filter((p) => p.status === 'ran')
    if (outcome.output && outcome.output.verdict !== 'allow') verdicts.push({ policy: 'pii-detector', verdict: outcome.output.verdict })
    appendRequestAudit(sink, {
      requestId: this.requestId,
      client: 'wafer-app',
      target: end.target,
      model: end.model,
      status: end.status,
      verdicts,
      findings: this.auditFindings,
      usage: end.usage,
      latencyMs: end.latencyMs,
      detail: { source: 'app', stream: end.stream, pack: this.loaded.name },
      error: end.error,
    })
  }

  private blockOutput(first: Finding): WaferError {
    this.outputBlock = { stage: 'output', policy: 'pii-detector', code: 'output_blocked', message: OUTPUT_BLOCKED_MESSAGE, finding: wireFinding(first) }
    const details: PolicyBlockedDetails = {
      stage: 'output',
      policy: 'pii-detector',
      code: 'output_blocked',
      pack: this.loaded.name,
      file: this.loaded.path,
      finding: wireFinding(first),
    }
    return new WaferError(
      'policy_blocked',
      `Blocked by pii-detector (policy "${this.loaded.name}"): the answer contained ${first.entity}, so it was stopped there. The text before it is kept.`,
      details as unknown as Record<string, unknown>,
    )
  }

  private filterOver(redactor: StreamRedactor, channel: OutputChannel): OutputFilter {
    let blocked: WaferError | null = null
    let seen = 0
    // What came on this channel, for the audit log's hashes of what the findings matched.
    let original = ''
    const take = () => {
      const fresh = redactor.findings.slice(seen)
      seen = redactor.findings.length
      for (const f of fresh) this.auditFindings.push(auditFinding(f, `output.${channel}`, original))
      for (const f of fresh)
        this.outputFindings.push(channel === 'content' ? f : { ...f, detail: channel === 'reasoning' ? 'in the reasoning' : 'in tool-call arguments' })
      if (this.loaded.chain.blocksOutput && fresh.length && !blocked) blocked = this.blockOutput(fresh[0])
    }
    return {
      push: (text) => {
        if (blocked) return ''
        original += text
        const out = redactor.push(text)
        take()
        return blocked ? '' : out
      },
      flush: () => {
        if (blocked) return ''
        const out = redactor.flush()
        take()
        return blocked ? '' : out
      },
      get pending() {
        return redactor.pending
      },
      get blocked() {
        return blocked
      },
    }
  }
}

function stepResult(p: ChainResult['policies'][number]): PolicyStepResult {
  return {
    policy: p.policy,
    verdict: p.verdict,
    status: p.status,
    ...capped(p.findings),
    time_ms: p.time_ms,
    ...(p.message ? { message: p.message } : {}),
    ...(p.code ? { code: p.code } : {}),
    ...(p.llm ? { llm: { ...p.llm } } : {}),
  }
}
