import type { Finding } from '@shared/policy/engine/types'

import type { Clock } from '../cerebras/clock'
import type { ResolvedTarget } from './config'
import type { GatewayMetrics } from './metrics'
import type { Readiness } from './readiness'
import type { GatewayRequest } from './request-body'
import type { GatewayLogEntry } from './request-log'
import type { RequestSpan, Span } from './tracing'
import type { AttemptFailure } from './upstream-failure'

export const CHAT_ROUTE = '/v1/chat/completions'

export interface TelemetryDeps {
  metrics: GatewayMetrics
  readiness: Readiness
  clock: Clock
}

/** A policy stage's span, ended with what the stage decided (`error`: the policy itself failed). */
export interface StageTrace {
  end(outcome: { verdict: string; findings: number; decidedBy?: string | null }, error?: string): void
}

/**
 * What one chat request tells the metrics, the trace and readiness, as its
 * stages reach each point: the stages call these one-liners; the names of
 * metrics and attributes live here and in metrics.ts. What goes into a
 * span is ids, models, counts, codes and finish reasons — never text of the
 * prompt or the answer (docs/metrics.md).
 */
export class RequestTelemetry {
  /** The upstream attempt under way (its span stays open while a stream runs). */
  private upstream: { span: Span; target: ResolvedTarget } | undefined
  private attempts = 0
  private sawToken = false
  private responseModel: string | undefined
  private responseId: string | undefined
  private readonly finishReasons = new Set<string>()
  private errorType: string | undefined
  /** gen_ai.provider.name of the last target tried. */
  private provider: string | undefined

  constructor(
    private readonly deps: TelemetryDeps,
    readonly span: RequestSpan,
    /** When the request arrived (clock ms): time to first token counts from here. */
    private readonly arrivedAt: number,
  ) {}

  /** The request as parsed: its model and sampling settings (never its messages). */
  requested(body: GatewayRequest): void {
    if (!this.span.recording) return
    this.span.set({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': body.model,
      'gen_ai.request.stream': body.stream === true,
      'gen_ai.request.max_tokens': body.max_completion_tokens ?? body.max_tokens ?? undefined,
      'gen_ai.request.temperature': body.temperature ?? undefined,
      'gen_ai.request.top_p': body.top_p ?? undefined,
      'gen_ai.request.seed': body.seed ?? undefined,
      'gen_ai.request.choice.count': body.n ?? undefined,
    })
  }

  /** A policy stage starts: a child span until its end. */
  stage(stage: 'input' | 'output'): StageTrace {
    if (!this.span.recording) return NO_STAGE
    const span = this.span.child(`policy ${stage}`, 'internal', { 'wafer.policy.stage': stage })
    return {
      end(outcome, error) {
        span.set({
          'wafer.policy.verdict': outcome.verdict,
          'wafer.policy.findings': outcome.findings,
          'wafer.policy.decided_by': outcome.decidedBy ?? undefined,
        })
        span.end(error)
      },
    }
  }

  /** Findings recorded for the audit log: counted by policy and kind. */
  findings(findings: readonly Finding[], stage: 'input' | 'output'): void {
    for (const f of findings) this.deps.metrics.finding(f.policy, f.entity, stage)
  }

  /** An upstream attempt begins; `model` is what goes upstream. */
  attemptStarted(target: ResolvedTarget, model: string): void {
    this.upstream?.span.end()
    const n = ++this.attempts
    if (n > 1) this.deps.metrics.fallbackAttempt(target.id)
    this.provider = providerName(target.provider)
    if (!this.span.recording) {
      this.upstream = { span: this.span, target }
      return
    }
    const server = serverOf(target.baseUrl)
    const span = this.span.child(`chat ${model}`, 'client', {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': this.provider,
      'gen_ai.system': this.provider,
      'gen_ai.request.model': model,
      'server.address': server.address,
      'server.port': server.port,
      'wafer.target.id': target.id,
      'wafer.attempt': n,
    })
    this.upstream = { span, target }
  }

  /** The attempt answered (its span ends with what it said: wholeAnswer, or the stream's end at finish). */
  attemptAnswered(seconds: number): void {
    const up = this.upstream
    if (!up) return
    this.deps.metrics.upstreamAnswered(up.target.id, seconds)
    this.deps.readiness.noteTarget(up.target.id, true)
  }

  /** The attempt failed; `aborted` when the client left (not the upstream's fault). */
  attemptFailed(failure: AttemptFailure | 'aborted'): void {
    const up = this.upstream
    if (!up) return
    this.upstream = undefined
    if (failure === 'aborted') return up.span.end('client_closed')
    const code = failureCode(failure)
    this.deps.metrics.upstreamError(up.target.id, code)
    // A status is an answer from a live server; no answer at all is what makes a target unreachable.
    const answered = code !== 'timeout' && code !== 'unreachable'
    this.deps.readiness.noteTarget(up.target.id, answered, answered ? null : failure.outcome)
    up.span.set({ 'http.response.status_code': failure.error.status })
    up.span.end(failure.error.code ?? code)
  }

  /** A streamed event from the upstream (`chunk` when already parsed): first token, response model and id, finish reasons. */
  streamEvent(data: string, chunk?: unknown): void {
    // After the first token only a span wants more (the finish reasons).
    if (this.sawToken && (!this.span.recording || !FINISH.test(data))) return
    const c = (chunk !== undefined ? chunk : safeJson(data)) as UpstreamChunk | null
    if (!c || typeof c !== 'object') return
    if (this.span.recording) this.noteResponse(c)
    if (!this.sawToken && hasText(c)) {
      this.sawToken = true
      const up = this.upstream
      if (up) this.deps.metrics.firstToken(up.target.id, (this.deps.clock.now() - this.arrivedAt) / 1000)
    }
  }

  /** A whole answer from the upstream: response model, id and finish reasons. */
  wholeAnswer(data: unknown): void {
    if (!data || typeof data !== 'object' || !this.span.recording) return this.endUpstream()
    this.noteResponse(data as UpstreamChunk)
    const usage = (data as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage
    this.endUpstream({
      ...this.response(),
      'gen_ai.usage.input_tokens': typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : undefined,
      'gen_ai.usage.output_tokens': typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : undefined,
    })
  }

  /** The upstream stream broke off mid-answer. */
  streamFailed(): void {
    const up = this.upstream
    if (!up) return
    this.deps.metrics.upstreamError(up.target.id, 'stream_failed')
    this.errorType = 'stream_failed'
    this.upstream = undefined
    up.span.end('stream_failed')
  }

  /** The answer ended with an error the client saw (or in the stream): its code becomes error.type. */
  failed(code: string): void {
    this.errorType ??= code
  }

  /** A write-ahead audit commit took `seconds` and went through or not. */
  auditWrite(seconds: number, ok: boolean, reason: string | null): void {
    this.deps.metrics.auditWrite('write_ahead', ok, seconds)
    this.deps.readiness.noteAudit(ok, reason)
  }

  /** The request has ended: count it, and end its spans with what it came to. */
  finish(entry: GatewayLogEntry, seconds: number): void {
    const { metrics } = this.deps
    metrics.request(CHAT_ROUTE, entry.status, entry.verdicts.length ? entry.verdict : 'none', seconds)
    const usage = entry.usage
    if (usage && entry.target) {
      metrics.tokens(entry.target, 'input', usage.promptTokens)
      metrics.tokens(entry.target, 'output', usage.completionTokens)
    }
    if (!this.span.recording) {
      this.upstream = undefined
      return
    }
    const answer = { ...this.response(), 'gen_ai.usage.input_tokens': usage?.promptTokens, 'gen_ai.usage.output_tokens': usage?.completionTokens }
    // A stream's upstream span ends with the stream.
    this.endUpstream(answer)
    this.span.set({
      ...answer,
      'gen_ai.provider.name': this.provider,
      'gen_ai.system': this.provider,
      'http.response.status_code': entry.status || undefined,
      'wafer.request.id': entry.requestId,
      'wafer.policy.verdict': entry.verdict,
      'wafer.target.id': entry.target ?? undefined,
      'wafer.attempts': this.attempts,
    })
    const error = this.errorType ?? (entry.status >= 400 ? String(entry.status) : entry.verdict === 'block' ? 'output_blocked' : undefined)
    this.span.end(error)
  }

  /** What the upstream said about its answer, so far. */
  private response() {
    return {
      'gen_ai.response.model': this.responseModel,
      'gen_ai.response.id': this.responseId,
      'gen_ai.response.finish_reasons': this.finishReasons.size ? [...this.finishReasons] : undefined,
    }
  }

  private endUpstream(attributes: Parameters<Span['set']>[0] = {}): void {
    const up = this.upstream
    if (!up) return
    this.upstream = undefined
    up.span.set(attributes)
    up.span.end()
  }

  private noteResponse(c: UpstreamChunk): void {
    if (!this.responseModel && typeof c.model === 'string') this.responseModel = c.model
    if (!this.responseId && typeof c.id === 'string') this.responseId = c.id
    if (!Array.isArray(c.choices)) return
    for (const choice of c.choices) {
      const reason = choice && typeof choice === 'object' ? (choice as { finish_reason?: unknown }).finish_reason : undefined
      if (typeof reason === 'string' && reason.length <= 64) this.finishReasons.add(reason)
    }
  }
}

interface UpstreamChunk {
  id?: unknown
  model?: unknown
  choices?: unknown
}

const FINISH = /"finish_reason":\s*"/

/** A stage's trace when nothing records spans. */
const NO_STAGE: StageTrace = { end() {} }

/** Does a streamed chunk carry generated text (content, reasoning or tool-call arguments)? */
function hasText(c: UpstreamChunk): boolean {
  if (!Array.isArray(c.choices)) return false
  return c.choices.some((choice: { delta?: { content?: unknown; reasoning?: unknown; tool_calls?: Array<{ function?: { arguments?: unknown } }> } }) => {
    const d = choice?.delta
    if (!d) return false
    if ((typeof d.content === 'string' && d.content) || (typeof d.reasoning === 'string' && d.reasoning)) return true
    return Array.isArray(d.tool_calls) && d.tool_calls.some((t) => typeof t?.function?.arguments === 'string' && t.function.arguments !== '')
  })
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s)
  } catch {
    return null
  }
}

/** The label for a failed attempt: the upstream's HTTP status, or what kept it from answering. */
export function failureCode(f: AttemptFailure): string {
  if (f.kind === 'timeout') return 'timeout'
  if (f.outcome.startsWith('unreachable')) return 'unreachable'
  if (f.outcome.startsWith('failed')) return 'bad_answer'
  return String(f.error.status)
}

/** gen_ai.provider.name: cerebras for every Cerebras target (cerebras, cerebras:chat:MODEL), else the provider's name from the config. */
export function providerName(provider: string): string {
  const name = provider.split(':')[0].toLowerCase()
  return name || 'unknown'
}

function serverOf(baseUrl: string): { address?: string; port?: number } {
  try {
    const u = new URL(baseUrl)
    return { address: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 }
  } catch {
    return {}
  }
}
