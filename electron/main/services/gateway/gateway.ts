import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ChatRequest } from '../../../../shared/ipc/domains/chat'
import { formatZodError } from '../../../../shared/ipc/errors'
import { applyChanges, contentText, toEngineRequest, worseVerdict } from '../../../../shared/policy/enforcement'
import type { ChainResult, Finding, PolicyResult } from '../../../../shared/policy/engine/types'
import type { AuditFindingInput, AuditSink } from '../audit'
import { appendRequestAudit, auditFinding } from '../policy-core'
import { TransportError, type CerebrasClient, type ConnectionConfig } from '../cerebras/cerebras-client'
import { readSse } from '../cerebras/sse-reader'
import { RateLimitStore } from '../cerebras/rate-limits'
import { systemClock, type Clock } from '../cerebras/clock'
import { redactConfig, type LoadedConfig, type ResolvedTarget } from './config'
import { GatewayHttpError, sendError, sendJson } from './http-errors'
import type { GatewayPolicy } from './policy-port'
import { StreamOutputPolicy, type Blocked, type StepResult } from './stream-output'
import { RequestLog, type GatewayLogEntry } from './request-log'
import { TargetRouter, type FailureKind } from './router'

/** The body the gateway accepts: a Cerebras chat request plus the streaming switches. */
const GatewayRequest = ChatRequest.extend({
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullable().optional(),
}).strict()

export interface GatewayOptions {
  config: LoadedConfig
  targets: ResolvedTarget[]
  policy: GatewayPolicy
  client: CerebrasClient
  audit?: AuditSink
  /** What happens when a policy itself fails: refuse the request, or let it through (and log it). */
  failMode: 'block' | 'allow'
  maxConcurrency: number
  /** Required from clients when set (Authorization: Bearer T). */
  authToken?: string
  maxBodyBytes?: number
  /** Upstream time to response headers before the attempt counts as a timeout. */
  upstreamTimeoutMs?: number
  /** Upstream silence mid-stream before the stream is failed. */
  idleTimeoutMs?: number
  clock?: Clock
  random?: () => number
  log?: RequestLog
}

export interface RunningGateway {
  url: string
  host: string
  port: number
}

const HEADER_TARGET = 'x-wafer-target'
const HEADER_VERDICT = 'x-wafer-policy-verdict'
const HEADER_REQUEST_ID = 'x-wafer-request-id'

type Stage = 'input' | 'output'

/** A text the PII policy reads, where it was, and how to put its redacted form back. */
interface SideText {
  text: unknown
  location: string
  put: (text: string) => void
}

/** The body for one target: its own model when it names one, else the client's. */
const bodyFor = (t: ResolvedTarget, body: Record<string, unknown>) => (t.model ? { ...body, model: t.model } : body)

/**
 * The local OpenAI-compatible gateway: the policy chain on the input before
 * any upstream call, on whole answers, and on streams chunk by chunk; routing
 * with fallback across provider targets; every request in the audit log.
 * The same class runs headless (`wafer gateway run`) and inside the app.
 */
export class Gateway {
  readonly log: RequestLog
  readonly router: TargetRouter
  /** The upstreams' x-ratelimit-* figures, per target id (shown in /healthz and /wafer/config). */
  readonly rateLimits = new RateLimitStore()
  private server: http.Server | undefined
  private inflight = 0
  private readonly active = new Set<AbortController>()
  /** Responses being streamed, for the bytes they hold that clients have not read yet. */
  private readonly streaming = new Set<ServerResponse>()
  private readonly clock: Clock
  private accepting = false
  private readonly startedAt: number

  constructor(private readonly opts: GatewayOptions) {
    this.clock = opts.clock ?? systemClock
    this.log = opts.log ?? new RequestLog()
    this.router = new TargetRouter(opts.targets, opts.config.config.providers?.fallback, { random: opts.random })
    this.startedAt = this.clock.now()
  }

  get inFlight(): number {
    return this.inflight
  }

  async start(host: string, port: number): Promise<RunningGateway> {
    const server = http.createServer((req, res) => void this.handle(req, res))
    server.keepAliveTimeout = 5_000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.server = server
    this.accepting = true
    const addr = server.address() as AddressInfo
    const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
    return { url: `http://${shownHost}:${addr.port}`, host: addr.address, port: addr.port }
  }

  /**
   * Stop accepting, let running requests finish up to the deadline, then cut
   * what is left, and flush the audit log.
   */
  async stop(deadlineMs = 10_000): Promise<{ cut: number }> {
    this.accepting = false
    const server = this.server
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve()
    server?.closeIdleConnections()
    const until = this.clock.now() + deadlineMs
    while (this.inflight > 0 && this.clock.now() < until) await new Promise((r) => setTimeout(r, 20))
    const cut = this.active.size
    for (const c of this.active) c.abort(new Error('The gateway is shutting down.'))
    server?.closeAllConnections()
    await closed
    await this.opts.audit?.flush().catch(() => {
      // the sink has reported it (onError); stopping goes on
    })
    return { cut }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway')
    try {
      if (!this.authorized(req)) {
        throw new GatewayHttpError(401, 'authentication_error', 'Missing or wrong gateway token (Authorization: Bearer …).', 'invalid_api_key')
      }
      if (req.method === 'GET' && url.pathname === '/healthz') {
        return sendJson(res, 200, {
          status: this.accepting ? 'ok' : 'draining',
          inflight: this.inflight,
          uptimeMs: this.clock.now() - this.startedAt,
          buffered_bytes: this.bufferedBytes(),
          rate_limits: this.rateLimits.all(),
        })
      }
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        const created = Math.floor(this.startedAt / 1000)
        return sendJson(res, 200, {
          object: 'list',
          data: this.router.models().map((id) => ({ id, object: 'model', created, owned_by: 'wafer-gateway' })),
        })
      }
      if (req.method === 'GET' && url.pathname === '/wafer/config') {
        return sendJson(res, 200, {
          files: this.opts.config.files,
          config: redactConfig(this.opts.config.config),
          targets: this.opts.targets.map((t) => ({ id: t.id, provider: t.provider, model: t.model ?? null, base_url: t.baseUrl, key: t.keySource })),
          fallback: { strategy: this.router.strategy, max_retries: this.router.maxRetries, retry_on: [...this.router.retryOn] },
          chain: this.opts.policy.chain,
          fail_mode: this.opts.failMode,
          max_concurrency: this.opts.maxConcurrency,
          warnings: this.opts.config.warnings.map((w) => `${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`),
          rate_limits: this.rateLimits.all(),
        })
      }
      if (url.pathname === '/v1/chat/completions') {
        if (req.method !== 'POST') throw new GatewayHttpError(405, 'invalid_request_error', 'Use POST for /v1/chat/completions.', 'method_not_allowed')
        return await this.chat(req, res)
      }
      throw new GatewayHttpError(404, 'not_found_error', `No route ${req.method} ${url.pathname}.`, 'not_found')
    } catch (err) {
      if (err instanceof GatewayHttpError) return sendError(res, err)
      sendError(res, new GatewayHttpError(500, 'api_error', `Gateway error: ${(err as Error).message}`, 'internal_error'))
    }
  }

  /** Bytes written to streaming clients that they have not taken yet (bounded by backpressure). */
  bufferedBytes(): number {
    let n = 0
    for (const res of this.streaming) n += res.writableLength
    return n
  }

  private authorized(req: IncomingMessage): boolean {
    const token = this.opts.authToken
    if (!token) return true
    const header = req.headers.authorization ?? ''
    return header === `Bearer ${token}`
  }

  private async chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.clock.now()
    const requestId = `gw-${randomUUID()}`
    const entry: GatewayLogEntry = {
      requestId,
      time: Date.now(),
      client: `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
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
    const findingsForAudit: AuditFindingInput[] = []
    const controller = new AbortController()
    this.active.add(controller)
    // The client going away stops the upstream call too.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'))
    })

    if (!this.accepting) {
      this.active.delete(controller)
      return sendError(res, new GatewayHttpError(503, 'unavailable_error', 'The gateway is shutting down.', 'shutting_down'))
    }
    if (this.inflight >= this.opts.maxConcurrency) {
      this.active.delete(controller)
      const err = new GatewayHttpError(429, 'rate_limit_error', `The gateway is at its limit of ${this.opts.maxConcurrency} concurrent requests; retry shortly.`, 'concurrency_limit', {
        headers: { 'retry-after': '1' },
      })
      entry.status = 429
      entry.error = err.message
      this.log.add(entry)
      return sendError(res, err)
    }
    this.inflight++
    try {
      await this.chatInner(req, res, entry, controller, findingsForAudit)
    } catch (err) {
      const e = err instanceof GatewayHttpError ? err : new GatewayHttpError(500, 'api_error', `Gateway error: ${(err as Error).message}`, 'internal_error')
      entry.status = e.status
      entry.error = e.message
      if (!res.headersSent) sendError(res, e, { [HEADER_REQUEST_ID]: requestId })
      else res.end()
    } finally {
      this.inflight--
      this.active.delete(controller)
      entry.latencyMs = Math.round((this.clock.now() - started) * 100) / 100
      this.log.add(entry)
      this.audit(entry, findingsForAudit)
    }
  }

  private async chatInner(
    req: IncomingMessage,
    res: ServerResponse,
    entry: GatewayLogEntry,
    controller: AbortController,
    auditFindings: AuditFindingInput[],
  ): Promise<void> {
    const raw = await readBody(req, this.opts.maxBodyBytes ?? 4 * 1024 * 1024)
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch (err) {
      throw new GatewayHttpError(400, 'invalid_request_error', `The body is not valid JSON: ${(err as Error).message}`, 'invalid_json')
    }
    const parsed = GatewayRequest.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new GatewayHttpError(
        422,
        'invalid_request_error',
        `Invalid request: ${formatZodError(parsed.error)}`,
        'validation_error',
        { param: issue?.path.join('.') || null },
      )
    }
    const body = parsed.data
    entry.model = body.model
    entry.stream = body.stream === true
    if (!this.router.accepts(body.model)) {
      throw new GatewayHttpError(
        404,
        'not_found_error',
        `Model ${body.model} is not served by this gateway. Available: ${this.router.models().join(', ') || '(any)'}.`,
        'model_not_found',
        { param: 'model' },
      )
    }

    // ---- input policies, before anything goes upstream
    const engineRequest = toEngineRequest(body)
    let input: ChainResult | null = null
    try {
      input = await this.opts.policy.checkInput(engineRequest)
    } catch (err) {
      this.policyFailure(entry, 'input', err)
    }
    if (input) {
      this.recordVerdicts(entry, 'input', input.policies)
      const llm = input.policies.find((p) => p.llm)?.llm
      if (llm) entry.llm = llm
      collectFindings(auditFindings, input.findings, (f) => engineRequest.messages[f.message_index]?.content ?? '', (f) => `input.messages[${f.message_index}].content`)
      if (input.blocked) {
        entry.verdict = 'block'
        throw new GatewayHttpError(409, 'policy_violation', input.blocked.message, input.blocked.code, { policy: input.blocked.policy })
      }
      entry.verdict = input.verdict
    }
    // Redacted text replaces what the client sent, a clamp goes into the client's own field; the rest passes as it came.
    const upstreamBody: Record<string, unknown> = { ...(input ? applyChanges(body, input) : body) }
    delete upstreamBody.stream
    delete upstreamBody.stream_options
    upstreamBody.messages = [...(upstreamBody.messages as unknown[])]
    this.redactSideTexts(upstreamBody, entry, auditFindings)
    if (this.opts.policy.readsOutput) {
      // Log probabilities spell out the raw tokens, PII included: an answer the
      // output policies redact cannot carry them.
      delete upstreamBody.logprobs
      delete upstreamBody.top_logprobs
    }

    if (entry.stream) await this.streamThrough(res, entry, controller, upstreamBody, auditFindings)
    else await this.completeThrough(res, entry, controller, upstreamBody, auditFindings)
  }

  /** Try the planned targets in order until one answers; returns what it answered. */
  private async attempt<T extends { headers: Headers }>(
    entry: GatewayLogEntry,
    controller: AbortController,
    requestedModel: string,
    call: (target: ResolvedTarget, conn: ConnectionConfig, signal: AbortSignal) => Promise<T>,
  ): Promise<{ target: ResolvedTarget; result: T; ms: number }> {
    const plan = this.router.plan(requestedModel)
    let last: { kind: FailureKind | 'client'; status: number; message: string; headers?: Headers } | undefined
    for (const target of plan) {
      const attemptController = new AbortController()
      const onAbort = () => attemptController.abort(controller.signal.reason)
      controller.signal.addEventListener('abort', onAbort, { once: true })
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        attemptController.abort(new Error('upstream timeout'))
      }, this.opts.upstreamTimeoutMs ?? 30_000)
      const t0 = this.clock.now()
      try {
        const conn: ConnectionConfig = {
          baseUrl: target.baseUrl,
          apiKey: target.apiKey,
          compression: { msgpack: target.compression, gzip: target.compression },
        }
        const result = await call(target, conn, attemptController.signal)
        this.rateLimits.update(target.id, result.headers, Date.now())
        const ms = this.clock.now() - t0
        this.router.recordLatency(target.id, ms)
        entry.attempts.push({ target: target.id, outcome: 'ok' })
        return { target, result, ms }
      } catch (err) {
        if (controller.signal.aborted) throw new GatewayHttpError(499, 'client_closed', 'The client closed the connection.', 'client_closed')
        const failure = classify(err, timedOut)
        if (failure.headers) this.rateLimits.update(target.id, failure.headers, Date.now())
        entry.attempts.push({ target: target.id, outcome: `${failure.kind}${failure.status ? ` ${failure.status}` : ''}` })
        last = failure
        if (failure.kind === 'client' || !this.router.retryOn.has(failure.kind)) break
      } finally {
        clearTimeout(timer)
        controller.signal.removeEventListener('abort', onAbort)
      }
    }
    if (last?.kind === 'client') {
      // The upstream refused the request itself (400, 404…): say so with its status.
      throw new GatewayHttpError(last.status, 'upstream_error', last.message, 'upstream_rejected')
    }
    if (last?.kind === 'rate_limit') {
      const retry = last.headers?.get('retry-after')
      throw new GatewayHttpError(429, 'rate_limit_error', `Every target is rate limited: ${last.message}`, 'upstream_rate_limited', retry ? { headers: { 'retry-after': retry } } : {})
    }
    throw new GatewayHttpError(502, 'upstream_error', `No upstream target answered (${entry.attempts.map((a) => `${a.target}: ${a.outcome}`).join('; ')}). Last error: ${last?.message ?? 'unknown'}`, 'upstream_failed')
  }

  /**
   * Text that goes upstream outside the messages' content — `prediction.content`
   * and the arguments of earlier tool calls in the history — has its PII
   * redacted as the messages do (or blocks, when pii-detector blocks); else
   * it would be a way around the input policy.
   */
  private redactSideTexts(upstreamBody: Record<string, unknown>, entry: GatewayLogEntry, auditFindings: AuditFindingInput[]): void {
    const texts: SideText[] = []
    const prediction = upstreamBody.prediction as { content?: unknown } | null | undefined
    const predicted = contentText(prediction?.content)
    if (predicted) texts.push({ text: predicted, location: 'input.prediction.content', put: (t) => (upstreamBody.prediction = { type: 'content', content: t }) })
    const messages = upstreamBody.messages as Array<Record<string, unknown>>
    messages.forEach((m, i) => {
      if (!Array.isArray(m.tool_calls)) return
      m.tool_calls.forEach((call: { function?: { arguments?: unknown } }, j: number) => {
        const args = call?.function?.arguments
        if (typeof args !== 'string' || !args) return
        texts.push({
          text: args,
          location: `input.messages[${i}].tool_calls[${j}].function.arguments`,
          put: (t) => {
            // Copies, so the client's parsed body is not changed under it.
            const calls = [...(messages[i].tool_calls as Array<Record<string, unknown>>)]
            calls[j] = { ...calls[j], function: { ...(calls[j].function as object), arguments: t } }
            messages[i] = { ...messages[i], tool_calls: calls }
          },
        })
      })
    })
    this.redactTexts(texts, 'input', entry, auditFindings)
  }

  /**
   * The PII policy over texts outside the messages' content (input) or in an
   * answer (output): each is replaced by its redacted form, findings go to
   * the audit log, and a block answers 409.
   */
  private redactTexts(texts: SideText[], stage: Stage, entry: GatewayLogEntry, auditFindings: AuditFindingInput[]): void {
    for (const { text: original, location, put } of texts) {
      if (typeof original !== 'string' || !original) continue
      let out: ReturnType<GatewayPolicy['checkOutput']>
      try {
        out = this.opts.policy.checkOutput(original)
      } catch (err) {
        this.policyFailure(entry, stage, err)
        continue
      }
      if (!out.findings.length) continue
      this.recordVerdicts(entry, stage, out.results)
      collectFindings(auditFindings, out.findings, () => original, () => location)
      if (out.blocked) {
        entry.verdict = 'block'
        const message = stage === 'input' ? `Personal data in ${location.replace(/^input\./, '')}, and pii-detector is set to block.` : out.blocked.message
        throw new GatewayHttpError(409, 'policy_violation', message, `${stage}_blocked`, { policy: out.blocked.policy })
      }
      put(out.text)
      entry.verdict = worseVerdict(entry.verdict, out.verdict)
    }
  }

  private async completeThrough(
    res: ServerResponse,
    entry: GatewayLogEntry,
    controller: AbortController,
    body: Record<string, unknown>,
    auditFindings: AuditFindingInput[],
  ): Promise<void> {
    const { target, result } = await this.attempt(entry, controller, body.model as string, async (t, conn, signal) => {
      const response = await this.opts.client.rawChat(conn, bodyFor(t, body), { requestId: entry.requestId, signal, stream: false })
      return { headers: response.headers, data: (await response.json()) as unknown }
    })
    entry.target = target.id
    const data = result.data as { choices?: Array<{ index?: unknown; message?: Record<string, unknown> }>; usage?: Record<string, number> }
    // Every choice (n > 1), its content, reasoning and tool-call arguments: no answer gets past the output policies.
    for (const [i, choice] of (Array.isArray(data.choices) ? data.choices : []).entries()) {
      if (this.opts.policy.readsOutput && choice && 'logprobs' in choice) (choice as Record<string, unknown>).logprobs = null
      const message = choice?.message
      if (!message || typeof message !== 'object') continue
      const index = typeof choice.index === 'number' ? choice.index : i
      const texts: SideText[] = [
        { text: message.content, location: index === 0 ? 'output.content' : `output.choices[${index}].content`, put: (t) => (message.content = t) },
        { text: message.reasoning, location: `output.choices[${index}].reasoning`, put: (t) => (message.reasoning = t) },
      ]
      if (Array.isArray(message.tool_calls)) {
        message.tool_calls.forEach((call: { function?: { arguments?: unknown } }, k: number) => {
          const fn = call?.function
          if (fn) texts.push({ text: fn.arguments, location: `output.choices[${index}].tool_calls[${k}].function.arguments`, put: (t) => (fn.arguments = t) })
        })
      }
      this.redactTexts(texts, 'output', entry, auditFindings)
    }
    entry.usage = usageOf(data.usage)
    entry.status = 200
    sendJson(res, 200, data, this.responseHeaders(entry))
  }

  private async streamThrough(
    res: ServerResponse,
    entry: GatewayLogEntry,
    controller: AbortController,
    body: Record<string, unknown>,
    auditFindings: AuditFindingInput[],
  ): Promise<void> {
    const { target, result } = await this.attempt(entry, controller, body.model as string, (t, conn, signal) =>
      this.opts.client.rawChat(conn, bodyFor(t, body), { requestId: entry.requestId, signal, stream: true }),
    )
    entry.target = target.id
    entry.status = 200
    // The output policies, when any reads output: a redactor per choice and channel.
    let output: StreamOutputPolicy | null = null
    try {
      const first = this.opts.policy.outputStream()
      if (first) {
        let made = 0
        output = new StreamOutputPolicy(() => (made++ === 0 ? first : this.opts.policy.outputStream()!))
      }
    } catch (err) {
      this.policyFailure(entry, 'output', err)
    }
    this.streaming.add(res)
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // No connection header of our own: Node keeps the connection alive, or
      // closes it after the answer when the client asked for that.
      ...this.responseHeaders(entry),
    })
    let pending = ''
    let ended = false
    /** [DONE] has gone out: nothing may follow, so the response can end with the read that carried it. */
    let finished = false
    const write = (s: string) => {
      pending += s
    }
    const step = (r: StepResult) => {
      write(r.out)
      if (r.blocked) blockStream(r.blocked)
    }
    const endOfRead = (): Promise<void> | undefined => {
      if (output && !ended) step(output.endOfRead())
      if (res.writableEnded) return
      const out = pending
      pending = ''
      // Ending with the last data makes one write of it and the closing chunk.
      if (finished) res.end(out)
      // A client that reads slower than the upstream answers: stop reading the
      // upstream until it catches up, rather than hold the answer in memory.
      else if (out && !res.write(out)) return drained(res)
    }
    const blockStream = (blocked: Blocked) => {
      entry.verdict = 'block'
      write(`data: ${JSON.stringify({ error: { type: 'policy_violation', code: 'output_blocked', policy: blocked.policy, message: blocked.message }, status_code: 409 })}\n\n`)
      ended = true
      controller.abort(new Error('output blocked'))
    }
    try {
      await readSse(result.body, {
        clock: this.clock,
        idleTimeoutMs: this.opts.idleTimeoutMs ?? 60_000,
        signal: controller.signal,
        onReadEnd: endOfRead,
        onData: (data) => {
          if (ended || finished) return
          if (data === '[DONE]') {
            if (output) step(output.end())
            if (ended) return
            write('data: [DONE]\n\n')
            finished = true
            return
          }
          if (!output) {
            // Nothing looks at the output: pass the event through untouched, reading only its usage.
            if (data.includes('"usage"')) entry.usage = usageOf(safeJson(data)?.usage) ?? entry.usage
            write(`data: ${data}\n\n`)
            return
          }
          const chunk = safeJson(data)
          if (chunk?.usage) entry.usage = usageOf(chunk.usage)
          step(output.event(data, chunk))
        },
      })
      if (output && !ended) step(output.end())
    } catch (err) {
      if (!ended) {
        if (output) write(output.end().out)
        const message = controller.signal.aborted ? 'The client closed the connection.' : `The upstream stream failed: ${(err as Error).message}`
        entry.error = message
        write(`data: ${JSON.stringify({ error: { type: 'upstream_error', code: 'stream_failed', message }, status_code: 502 })}\n\n`)
      }
    } finally {
      if (output) this.finishOutput(entry, output, auditFindings)
      if (!res.writableEnded) res.end(pending)
      this.streaming.delete(res)
    }
  }

  private finishOutput(entry: GatewayLogEntry, output: StreamOutputPolicy, auditFindings: AuditFindingInput[]): void {
    for (const lane of output.findings()) {
      entry.verdicts.push({ policy: lane.findings[0].policy, verdict: lane.verdict, stage: 'output' })
      collectFindings(auditFindings, lane.findings, () => lane.text, () => lane.location)
    }
    entry.verdict = worseVerdict(entry.verdict, output.verdict())
  }

  private responseHeaders(entry: GatewayLogEntry): Record<string, string> {
    return {
      [HEADER_REQUEST_ID]: entry.requestId,
      ...(entry.target ? { [HEADER_TARGET]: entry.target } : {}),
      [HEADER_VERDICT]: entry.verdict,
    }
  }

  private recordVerdicts(entry: GatewayLogEntry, stage: Stage, results: PolicyResult[]): void {
    for (const r of results) if (r.status === 'ran') entry.verdicts.push({ policy: r.policy, verdict: r.verdict, stage })
  }

  private policyFailure(entry: GatewayLogEntry, stage: Stage, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
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

  private audit(entry: GatewayLogEntry, findings: AuditFindingInput[]): void {
    if (!this.opts.audit) return
    const refused = appendRequestAudit(this.opts.audit, {
      requestId: entry.requestId,
      client: entry.client,
      target: entry.target,
      model: entry.model,
      status: entry.status,
      verdicts: entry.verdicts,
      findings,
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

// ---------------------------------------------------------------- helpers

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) throw new GatewayHttpError(413, 'invalid_request_error', `The body is larger than the gateway's limit of ${limit} bytes.`, 'body_too_large')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new GatewayHttpError(413, 'invalid_request_error', `The body is larger than the gateway's limit of ${limit} bytes.`, 'body_too_large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function classify(err: unknown, timedOut: boolean): { kind: FailureKind | 'client'; status: number; message: string; headers?: Headers } {
  if (timedOut) return { kind: 'timeout', status: 0, message: 'the upstream did not answer in time' }
  if (err instanceof TransportError) {
    const f = err.failure
    if (f.kind === 'http') {
      const message = f.body?.message ?? `HTTP ${f.status}`
      if (f.status === 429) return { kind: 'rate_limit', status: 429, message, headers: f.headers }
      if (f.status >= 500) return { kind: '5xx', status: f.status, message }
      return { kind: 'client', status: f.status, message }
    }
    if (f.kind === 'network') return { kind: '5xx', status: 0, message: `network error: ${(f.cause as Error)?.message ?? String(f.cause)}` }
  }
  return { kind: '5xx', status: 0, message: (err as Error)?.message ?? String(err) }
}

function collectFindings(
  out: AuditFindingInput[],
  findings: Finding[],
  source: (f: Finding) => string | null,
  location: (f: Finding) => string,
): void {
  for (const f of findings) out.push(auditFinding(f, location(f), source(f)))
}

function usageOf(u: unknown): GatewayLogEntry['usage'] {
  if (!u || typeof u !== 'object') return null
  const x = u as Record<string, unknown>
  if (typeof x.prompt_tokens !== 'number') return null
  return { promptTokens: x.prompt_tokens, completionTokens: Number(x.completion_tokens ?? 0), totalTokens: Number(x.total_tokens ?? 0) }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function safeJson(s: string): any {
  try {
    return JSON.parse(s)
  } catch {
    return null
  }
}

/** Resolves when a backed-up response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done)
      resolve()
    }
    res.on('drain', done).on('close', done)
  })
}
