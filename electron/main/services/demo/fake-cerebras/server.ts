import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sameSecret } from '../../../security/constant-time'
import { FAKE_MODELS, RETIRED_MODEL_IDS, findFakeModel, type FakeModel } from './fake-models'
import { FAULT_HEADER, FaultCounter, faultFromModel, numberParam, parseFault, type Fault } from './faults'
import { FakeRateLimits } from './rate-limit-headers'
import { planReply, type ReplyPlan } from './reply'
import { BodyError, decodeBody, estimatePromptTokens, validateChatBody, type ChatBody } from './request-body'
import { SseWriter } from './sse-writer'

/**
 * A local stand-in for the Cerebras Inference API, faithful to what
 * docs/cerebras-api.md describes: JSON/msgpack/gzip bodies, unknown fields
 * rejected, SSE at a set speed with Cerebras's chunk shapes (usage and
 * time_info in the final chunk, no [DONE]), rate-limit headers on every
 * response, the two model lists, and scripted faults per request.
 * It records every request it received, for tests to inspect.
 */

export interface FakeCerebrasOptions {
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Streaming speed for the catalog models (test models keep their own). */
  tokensPerSecond?: number
  /** Time to first token. */
  ttftMs?: number
  /** How many tokens an answer has when max_completion_tokens does not cut it. */
  replyTokens?: number
  /** If set, only these keys are accepted (others get 401). Any key is accepted otherwise. */
  apiKeys?: string[]
  /** End streams with `data: [DONE]` (real Cerebras streams do not). */
  sendDoneMarker?: boolean
  /** Split some events across writes (default true). */
  splitEvents?: boolean
  /** How often the streaming loop writes (ms). */
  tickMs?: number
  /** Ignore speed and TTFT and stream as fast as the socket takes it (benchmarks). */
  firehose?: boolean
  /** Answer this status to every msgpack or gzip body (a server without payload optimisation). */
  rejectEncoded?: 400 | 415 | false
  /**
   * Refuse requests whose Host is not this server's loopback address and any
   * request a browser sends (it carries Origin), so a web page cannot use it
   * through DNS rebinding. On for the app's demo endpoint; tests leave it off.
   */
  loopbackOnly?: boolean
  /** Keep every request in `received` (default true; the demo endpoint keeps none). */
  recordRequests?: boolean
  log?: (line: string) => void
}

export interface SentText {
  content: string
  reasoning: string
  toolArguments: string
}

export interface ReceivedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  contentType: string | null
  contentEncoding: string | null
  /** Bytes on the wire (before gunzip). */
  wireBytes: number
  /** The decoded body, or null if it could not be decoded. */
  body: Record<string, unknown> | null
  format: 'json' | 'msgpack' | null
  gzip: boolean
  fault: string | null
  status: number
  /** Epoch ms. */
  arrivedAt: number
  /** What was streamed or returned. */
  sent: SentText
  /** What had been streamed when a mid-stream fault struck (the stream may go on after a malformed chunk). */
  beforeFault: SentText | null
  /** The client closed the connection before the response was complete. */
  clientClosed: boolean
}

const MAX_BODY_BYTES = 64 * 1024 * 1024

const MID_STREAM_FAULTS = new Set(['midstream_error', 'drop', 'malformed', 'stall', 'end_early'])

type Json = Record<string, unknown>

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)))
}

export class FakeCerebras {
  readonly received: ReceivedRequest[] = []
  /** Faults applied to the next requests, in order, before header or model faults. */
  readonly queuedFaults: string[] = []
  private server: Server | null = null
  private readonly counter = new FaultCounter()
  private readonly limits = new FakeRateLimits()
  private readonly opts: Required<Omit<FakeCerebrasOptions, 'apiKeys' | 'log' | 'tokensPerSecond'>> &
    Pick<FakeCerebrasOptions, 'apiKeys' | 'log' | 'tokensPerSecond'>
  private idCounter = 0
  private readonly openResponses = new Set<ServerResponse>()

  constructor(options: FakeCerebrasOptions = {}) {
    this.opts = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      tokensPerSecond: options.tokensPerSecond,
      ttftMs: options.ttftMs ?? 120,
      replyTokens: options.replyTokens ?? 120,
      apiKeys: options.apiKeys,
      sendDoneMarker: options.sendDoneMarker ?? false,
      splitEvents: options.splitEvents ?? true,
      tickMs: options.tickMs ?? 4,
      firehose: options.firehose ?? false,
      rejectEncoded: options.rejectEncoded ?? false,
      loopbackOnly: options.loopbackOnly ?? false,
      recordRequests: options.recordRequests ?? true,
      log: options.log,
    }
  }

  /** Start listening; resolves with the base URL to give a client (`http://127.0.0.1:PORT/v1`). */
  async start(): Promise<string> {
    if (this.server) return this.baseUrl
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        this.opts.log?.(`fake-cerebras: handler failed: ${err instanceof Error ? err.stack : String(err)}`)
        if (!res.headersSent) this.json(res, 500, { message: 'fake server error', type: 'server_error' })
        else res.destroy()
      })
    })
    server.keepAliveTimeout = 5000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.opts.port, this.opts.host, () => resolve())
    })
    this.server = server
    return this.baseUrl
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0
  }

  get origin(): string {
    return `http://${this.opts.host}:${this.port}`
  }

  get baseUrl(): string {
    return `${this.origin}/v1`
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    for (const res of this.openResponses) res.destroy()
    server.closeAllConnections?.()
    await new Promise<void>((r) => server.close(() => r()))
  }

  /** Forget recorded requests, fault counters and rate-limit usage. */
  reset(): void {
    this.received.length = 0
    this.queuedFaults.length = 0
    this.counter.reset()
    this.limits.reset()
  }

  /** Requests to /v1/chat/completions only. */
  get chatRequests(): ReceivedRequest[] {
    return this.received.filter((r) => r.path === '/v1/chat/completions')
  }

  // ---- routing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.opts.loopbackOnly && !this.fromLoopbackClient(req)) {
      return this.json(res, 403, { message: 'This local demo server only answers the app itself.', type: 'forbidden' })
    }
    const url = new URL(req.url ?? '/', this.origin)
    const raw = await readBody(req)
    const record: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: { ...req.headers },
      contentType: req.headers['content-type'] ?? null,
      contentEncoding: (req.headers['content-encoding'] as string | undefined) ?? null,
      wireBytes: raw.length,
      body: null,
      format: null,
      gzip: false,
      fault: null,
      status: 0,
      arrivedAt: Date.now(),
      sent: { content: '', reasoning: '', toolArguments: '' },
      beforeFault: null,
      clientClosed: false,
    }
    if (this.opts.recordRequests) this.received.push(record)
    this.openResponses.add(res)
    res.on('close', () => {
      this.openResponses.delete(res)
      if (!res.writableFinished) record.clientClosed = true
    })
    const origWriteHead = res.writeHead.bind(res)
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      record.status = status
      return (origWriteHead as (...a: unknown[]) => ServerResponse)(status, ...rest)
    }) as typeof res.writeHead

    const path = url.pathname.replace(/\/+$/, '')
    if (path === '/v1/chat/completions' && req.method === 'POST') return this.chat(req, res, raw, record)
    if (path === '/v1/models' && req.method === 'GET') return this.accessibleModels(req, res)
    if (path === '/public/v1/models' && req.method === 'GET') return this.publicModels(res)
    if (path.startsWith('/public/v1/models/') && req.method === 'GET') {
      return this.publicModel(res, decodeURIComponent(path.slice('/public/v1/models/'.length)))
    }
    if (path === '/v1/tcp_warming') return this.json(res, 200, {})
    return this.json(res, 404, { detail: 'Not Found' })
  }

  private authError(req: IncomingMessage, res: ServerResponse): boolean {
    const auth = req.headers.authorization
    if (!auth) {
      this.json(res, 403, { detail: 'Not authenticated' })
      return true
    }
    const key = auth.replace(/^Bearer\s+/i, '')
    if (this.opts.apiKeys && !this.opts.apiKeys.some((k) => sameSecret(k, key))) {
      this.json(res, 401, wrongKeyBody())
      return true
    }
    return false
  }

  /** Host names this server (the client connected to its loopback port) and no browser Origin came along. */
  private fromLoopbackClient(req: IncomingMessage): boolean {
    if (req.headers.origin !== undefined) return false
    const host = req.headers.host ?? ''
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`
  }

  private accessibleModels(req: IncomingMessage, res: ServerResponse): void {
    if (this.authError(req, res)) return
    const created = 1_735_689_600
    this.json(res, 200, {
      object: 'list',
      data: FAKE_MODELS.map((m) => ({ id: m.id, created, object: 'model', owned_by: m.ownedBy })),
    })
  }

  private publicModels(res: ServerResponse): void {
    this.json(res, 200, { object: 'list', data: FAKE_MODELS.map(publicEntry) })
  }

  private publicModel(res: ServerResponse, id: string): void {
    const m = findFakeModel(id)
    if (!m) return this.json(res, 404, { detail: `Model '${id}' not found or not publicly available` })
    this.json(res, 200, publicEntry(m))
  }

  // ---- chat

  private pickFault(req: IncomingMessage, body: Json | null): Fault | undefined {
    const candidates: (Fault | undefined)[] = []
    while (this.queuedFaults.length) {
      const f = parseFault(this.queuedFaults.shift()!)
      if (f) {
        candidates.push(f)
        break
      }
    }
    const header = req.headers[FAULT_HEADER]
    if (typeof header === 'string') candidates.push(parseFault(header))
    if (body) candidates.push(faultFromModel(body.model))
    for (const f of candidates) if (f && this.counter.take(f)) return f
    return undefined
  }

  private async chat(req: IncomingMessage, res: ServerResponse, raw: Buffer, record: ReceivedRequest): Promise<void> {
    const encoded = /msgpack/i.test(record.contentType ?? '') || (record.contentEncoding ?? '').toLowerCase() === 'gzip'
    const headerFault = typeof req.headers[FAULT_HEADER] === 'string' ? parseFault(req.headers[FAULT_HEADER] as string) : undefined
    if (encoded && (this.opts.rejectEncoded || headerFault?.kind === 'reject_encoded')) {
      record.fault = 'reject_encoded'
      const status = this.opts.rejectEncoded || 415
      return this.json(res, status, {
        message: `Unsupported request encoding: ${record.contentType ?? ''} ${record.contentEncoding ?? ''}`.trim(),
        type: 'invalid_request_error',
        param: null,
        code: 'unsupported_media_type',
      })
    }

    if (this.authError(req, res)) return

    let body: ChatBody
    try {
      const decoded = decodeBody(raw, record.contentType ?? undefined, record.contentEncoding ?? undefined)
      record.body = decoded.value
      record.format = decoded.format
      record.gzip = decoded.gzip
      body = validateChatBody(decoded.value)
    } catch (err) {
      if (!(err instanceof BodyError)) throw err
      return this.json(res, 400, { message: err.message, type: 'invalid_request_error', param: err.param, code: err.code })
    }

    const fault = this.pickFault(req, record.body)
    record.fault = fault?.spec ?? null
    const modelFromFault = fault?.params.model
    const modelId = modelFromFault ?? (faultFromModel(body.model) ? 'gpt-oss-120b' : body.model)
    const model = findFakeModel(modelId)
    const promptTokens = estimatePromptTokens(body)
    const reserve = promptTokens + (body.max_completion_tokens ?? body.max_tokens ?? model?.maxCompletionTokens ?? 0)
    const rl = this.limits.charge(body.model, reserve)

    if (fault) {
      const handled = this.immediateFault(fault, res, rl, body, promptTokens)
      if (handled) return
    }
    if (!model || RETIRED_MODEL_IDS.includes(modelId)) {
      return this.json(res, 404, modelNotFoundBody(body.model), rl)
    }
    const limit = model.contextLength
    const requested = promptTokens + (body.max_completion_tokens ?? body.max_tokens ?? 0)
    if (requested > limit) return this.json(res, 400, contextLengthBody(requested, limit), rl)

    const tps = Number(req.headers['x-fake-tps']) || (fault?.kind === 'slow_drip' ? 1000 / numberParam(fault, 'gap_ms', 150) : undefined) ||
      (model.fixedSpeed ? model.tokensPerSecond : (this.opts.tokensPerSecond ?? model.tokensPerSecond))
    const ttftMs = req.headers['x-fake-ttft-ms'] !== undefined ? Number(req.headers['x-fake-ttft-ms']) : this.opts.ttftMs
    const naturalTokens = Number(req.headers['x-fake-tokens']) || this.opts.replyTokens
    const plan = planReply(body, model, { naturalTokens, promptTokens })
    const id = `chatcmpl-${(++this.idCounter).toString(36)}${Date.now().toString(36)}`
    const choices = typeof body.n === 'number' && Number.isInteger(body.n) && body.n > 1 ? Math.min(body.n, 16) : 1
    const topLogprobs = typeof body.top_logprobs === 'number' ? Math.max(0, Math.min(20, Math.floor(body.top_logprobs))) : 0
    const ctx: ReplyContext = { id, choices, logprobs: body.logprobs === true, topLogprobs, model: body.model, plan, tps, ttftMs, record, fault, rl, startedAt: Date.now() }
    if (body.stream) return this.stream(res, ctx)
    return this.complete(res, ctx)
  }

  /** Faults answered before any generation; false if the fault acts later. */
  private immediateFault(f: Fault, res: ServerResponse, rl: Record<string, string>, body: ChatBody, promptTokens: number): boolean {
    switch (f.kind) {
      case 'model_not_found':
        this.json(res, 404, modelNotFoundBody(body.model), rl)
        return true
      case '401':
        this.json(res, 401, wrongKeyBody(), rl)
        return true
      case '403':
        this.json(res, 403, { detail: 'Not authenticated' }, rl)
        return true
      case '429': {
        const headers: Record<string, string> = { ...rl }
        const p = f.params
        const hasTiming = ['retry_after_ms', 'retry_after', 'reset_tokens_minute', 'reset_requests_day'].some((k) => k in p)
        if (!hasTiming) {
          headers['retry-after-ms'] = '1250'
          headers['retry-after'] = '2'
          headers['x-ratelimit-reset-tokens-minute'] = '1.25'
        }
        if (p.retry_after_ms) headers['retry-after-ms'] = p.retry_after_ms
        if (p.retry_after) headers['retry-after'] = p.retry_after
        if (p.reset_tokens_minute) headers['x-ratelimit-reset-tokens-minute'] = p.reset_tokens_minute
        if (p.reset_requests_day) headers['x-ratelimit-reset-requests-day'] = p.reset_requests_day
        const code = p.code ?? 'request_quota_exceeded'
        if (code === 'token_quota_exceeded') headers['x-ratelimit-remaining-tokens-minute'] = '0'
        const body429 =
          code === 'token_quota_exceeded'
            ? { message: 'Tokens per minute limit exceeded - too many tokens processed.', type: 'too_many_tokens_error', param: 'quota', code }
            : code === 'queue_exceeded'
              ? { message: "We're experiencing high traffic right now! Please try again soon.", type: 'too_many_requests_error', param: 'queue', code }
              : { message: 'Requests per minute limit exceeded - too many requests sent.', type: 'too_many_requests_error', param: 'quota', code }
        this.json(res, 429, body429, headers)
        return true
      }
      case '500':
        this.json(res, 500, { message: 'Internal server error', type: 'server_error' }, rl)
        return true
      case '503': {
        const headers = { ...rl, ...(f.params.retry_after ? { 'retry-after': f.params.retry_after } : {}) }
        this.json(res, 503, { message: 'Service temporarily unavailable', type: 'service_unavailable', param: null, code: 'service_unavailable' }, headers)
        return true
      }
      case 'context_length': {
        const limit = numberParam(f, 'limit', 131_072)
        const current = numberParam(f, 'current', Math.max(limit + 1, promptTokens))
        this.json(res, 400, contextLengthBody(current, limit), rl)
        return true
      }
      default:
        return false
    }
  }

  private async stream(res: ServerResponse, ctx: ReplyContext): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'inference-id': ctx.id,
      ...ctx.rl,
    })
    res.flushHeaders()
    const events = buildEvents(ctx)
    if (this.opts.firehose) return this.firehose(res, events, ctx)

    const writer = new SseWriter(res, this.opts.splitEvents)
    const midStream = ctx.fault && MID_STREAM_FAULTS.has(ctx.fault.kind) ? ctx.fault : null
    const faultAt = midStream ? numberParam(midStream, 'after', 10) : Infinity
    await sleep(ctx.ttftMs)
    const genStart = Date.now()
    const msPerToken = 1000 / ctx.tps
    let next = 0
    let tokensWritten = 0
    while (next < events.length) {
      if (res.destroyed) return
      const due = Math.floor((Date.now() - genStart) / msPerToken) + 1
      while (next < events.length && (events[next].token ? tokensWritten < due : true)) {
        const ev = events[next]
        if (ev.token && ctx.fault && tokensWritten >= faultAt) {
          const stop = await this.streamFault(ctx.fault, writer, res, ctx)
          if (stop) return
        }
        if (ev.final) ev.data = finalChunk(ctx, (Date.now() - genStart) / 1000)
        writer.event(ev.data)
        record(ctx.record.sent, ev)
        if (ev.token) tokensWritten++
        next++
      }
      await writer.flush(next >= events.length)
      if (next < events.length) await sleep(this.opts.tickMs)
    }
    if (this.opts.sendDoneMarker) writer.event('[DONE]')
    await writer.flush(true)
    res.end()
  }

  /** Streams everything as fast as the socket drains: for measuring the client, not the fake. */
  private async firehose(res: ServerResponse, events: StreamEvent[], ctx: ReplyContext): Promise<void> {
    const batch: string[] = []
    let size = 0
    for (const ev of events) {
      if (ev.final) ev.data = finalChunk(ctx, 0.001)
      batch.push(`data: ${ev.data}\n\n`)
      size += ev.data.length + 8
      if (size >= 64 * 1024) {
        if (!res.write(batch.join(''))) await new Promise((r) => res.once('drain', r))
        batch.length = 0
        size = 0
        if (res.destroyed) return
      }
    }
    if (this.opts.sendDoneMarker) batch.push('data: [DONE]\n\n')
    res.end(batch.join(''))
  }

  /** A fault that strikes mid-stream; true when the stream is over. */
  private async streamFault(f: Fault, writer: SseWriter, res: ServerResponse, ctx: ReplyContext): Promise<boolean> {
    ctx.record.beforeFault = { ...ctx.record.sent }
    switch (f.kind) {
      case 'midstream_error': {
        const status = numberParam(f, 'status', 500)
        writer.event(
          JSON.stringify({
            error: { id: ctx.id, code: status === 429 ? 'queue_exceeded' : 'internal_error', message: 'Error during generation: the model server failed', param: null, type: 'server_error' },
            status_code: status,
          }),
        )
        await writer.flush(true)
        res.end()
        return true
      }
      case 'drop':
        await writer.flush(true)
        res.socket?.destroy()
        res.destroy()
        return true
      case 'malformed':
        writer.raw(`data: {"id":"${ctx.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"brok\n\n`)
        ctx.fault = null
        return false
      case 'stall':
        await writer.flush(true)
        // Keep the connection open and silent until the client gives up or the server stops.
        await new Promise<void>((r) => res.once('close', () => r()))
        return true
      case 'end_early':
        await writer.flush(true)
        res.end()
        return true
      default:
        return false
    }
  }

  private async complete(res: ServerResponse, ctx: ReplyContext): Promise<void> {
    const { plan } = ctx
    const tokens = plan.reasoning.length + plan.content.length + (plan.toolCall?.argumentPieces.length ?? 0)
    const genMs = this.opts.firehose ? 0 : ctx.ttftMs + (tokens * 1000) / ctx.tps
    const f = ctx.fault
    if (f?.kind === 'stall') return new Promise<void>((r) => res.once('close', () => r()))
    await sleep(f?.kind === 'slow_drip' ? genMs * 3 : genMs)
    if (f?.kind === 'drop' || f?.kind === 'end_early') {
      res.socket?.destroy()
      return
    }
    if (f?.kind === 'midstream_error') {
      return this.json(res, numberParam(f, 'status', 500), { message: 'Error during generation: the model server failed', type: 'server_error' }, ctx.rl)
    }
    if (f?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json', ...ctx.rl })
      res.end(`{"id":"${ctx.id}","object":"chat.completion","choices":[{"index":0,"message":{"content":"brok`)
      return
    }
    const content = plan.content.join('')
    const reasoning = plan.reasoning.join('')
    const args = plan.toolCall?.argumentPieces.join('') ?? ''
    ctx.record.sent = { content, reasoning, toolArguments: args }
    const message: Json = { role: 'assistant', content: plan.toolCall ? null : content }
    if (reasoning) message.reasoning = reasoning
    if (plan.toolCall) {
      message.tool_calls = [{ id: plan.toolCall.id, type: 'function', function: { name: plan.toolCall.name, arguments: args } }]
    }
    this.json(
      res,
      200,
      {
        id: ctx.id,
        object: 'chat.completion',
        created: Math.floor(ctx.startedAt / 1000),
        model: ctx.model,
        system_fingerprint: 'fp_fake0001',
        choices: Array.from({ length: ctx.choices }, (_, index) => ({
          index,
          finish_reason: plan.finishReason,
          message,
          logprobs: ctx.logprobs ? { content: plan.content.map((t) => tokenLogprob(t, ctx.topLogprobs)) } : null,
        })),
        usage: usage(plan),
        time_info: timeInfo(ctx, genMs / 1000),
      },
      ctx.rl,
    )
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
    res.end(text)
  }
}

// ---- the shapes Cerebras sends

interface ReplyContext {
  id: string
  /** The request's n: how many choices answer it. */
  choices: number
  /** The request asked for logprobs. */
  logprobs: boolean
  /** top_logprobs: alternatives per token. */
  topLogprobs: number
  model: string
  plan: ReplyPlan
  tps: number
  ttftMs: number
  record: ReceivedRequest
  fault: Fault | null | undefined
  rl: Record<string, string>
  startedAt: number
}

interface StreamEvent {
  data: string
  /** Counts as an output token for speed and fault positions. */
  token: boolean
  kind: 'content' | 'reasoning' | 'tool' | 'other'
  text: string
  final?: boolean
}

function record(sent: SentText, ev: StreamEvent): void {
  if (ev.kind === 'content') sent.content += ev.text
  else if (ev.kind === 'reasoning') sent.reasoning += ev.text
  else if (ev.kind === 'tool') sent.toolArguments += ev.text
}

function buildEvents(ctx: ReplyContext): StreamEvent[] {
  const head = (index: number) =>
    `{"id":"${ctx.id}","object":"chat.completion.chunk","created":${Math.floor(ctx.startedAt / 1000)},"model":${JSON.stringify(ctx.model)},"system_fingerprint":"fp_fake0001","choices":[{"index":${index},"delta":`
  const tail = '}]}'
  const chunkOf = (index: number, delta: string, finish: string | null = null, logprobs = '') =>
    `${head(index)}${delta}${logprobs}${finish === null ? ',"finish_reason":null' : `,"finish_reason":"${finish}"`}${tail}`
  // logprobs: true gets each content token with its (made-up) log probability.
  const logprobsOf = (t: string) => (ctx.logprobs ? `,"logprobs":{"content":[${JSON.stringify(tokenLogprob(t, ctx.topLogprobs))}]}` : '')
  const chunk = (delta: string, finish: string | null = null) => chunkOf(0, delta, finish)
  // n > 1: every choice gets the same text, its events interleaved with choice 0's
  // (the shape of a real n > 1 stream); only choice 0 counts as output tokens.
  const others = Array.from({ length: ctx.choices - 1 }, (_, i) => i + 1)
  const echo = (ev: StreamEvent, delta: string) =>
    [ev, ...others.map((index): StreamEvent => ({ data: chunkOf(index, delta), token: false, kind: 'other', text: '' }))]
  const events: StreamEvent[] = echo({ data: chunk('{"role":"assistant"}'), token: false, kind: 'other', text: '' }, '{"role":"assistant"}')
  for (const t of ctx.plan.reasoning) events.push(...echo({ data: chunk(`{"reasoning":${JSON.stringify(t)}}`), token: true, kind: 'reasoning', text: t }, `{"reasoning":${JSON.stringify(t)}}`))
  const call = ctx.plan.toolCall
  if (call) {
    call.argumentPieces.forEach((piece, i) => {
      const fn = i === 0 ? `{"name":${JSON.stringify(call.name)},"arguments":${JSON.stringify(piece)}}` : `{"arguments":${JSON.stringify(piece)}}`
      const tc = i === 0 ? `{"index":0,"id":"${call.id}","type":"function","function":${fn}}` : `{"index":0,"function":${fn}}`
      events.push({ data: chunk(`{"tool_calls":[${tc}]}`), token: true, kind: 'tool', text: piece })
    })
  }
  for (const t of ctx.plan.content) {
    events.push({ data: chunkOf(0, `{"content":${JSON.stringify(t)}}`, null, logprobsOf(t)), token: true, kind: 'content', text: t })
    for (const index of others) events.push({ data: chunkOf(index, `{"content":${JSON.stringify(t)}}`, null, logprobsOf(t)), token: false, kind: 'other', text: '' })
  }
  events.push({ data: chunk('{}'), token: false, kind: 'other', text: '' })
  for (const index of others) events.push({ data: chunkOf(index, '{}', ctx.plan.finishReason), token: false, kind: 'other', text: '' })
  events.push({ data: '', token: false, kind: 'other', text: '', final: true })
  return events
}

/**
 * A token's made-up log probability, the same for the same token (so tests
 * can predict it) and spread over 0 … -3 (so a heat map has something to
 * show), with `top` alternatives led by the token itself.
 */
function tokenLogprob(token: string, top: number): Json {
  let h = 7
  for (const ch of token) h = (h * 31 + ch.charCodeAt(0)) | 0
  const logprob = -((Math.abs(h) % 300) / 100)
  const alternatives = Array.from({ length: top }, (_, i) =>
    i === 0 ? { token, logprob, bytes: [...Buffer.from(token)] } : { token: `${token.trim() || '_'}~${i}`, logprob: logprob - i * 0.7 - 0.1, bytes: [] },
  )
  return { token, logprob, bytes: [...Buffer.from(token)], top_logprobs: alternatives }
}

function usage(plan: ReplyPlan): Json {
  const contentTokens = plan.content.length + (plan.toolCall?.argumentPieces.length ?? 0)
  const completion = plan.reasoningTokens + contentTokens
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: completion,
    total_tokens: plan.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: plan.reasoningTokens, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
}

function timeInfo(ctx: ReplyContext, completionSeconds: number): Json {
  const queue = 0.0004
  const prompt = Math.max(0.0001, ctx.plan.promptTokens / 200_000)
  return {
    queue_time: queue,
    prompt_time: Number(prompt.toFixed(6)),
    completion_time: Number(Math.max(0.0001, completionSeconds).toFixed(6)),
    total_time: Number((queue + prompt + Math.max(0.0001, completionSeconds)).toFixed(6)),
    created: ctx.startedAt / 1000,
  }
}

function finalChunk(ctx: ReplyContext, completionSeconds: number): string {
  return JSON.stringify({
    id: ctx.id,
    object: 'chat.completion.chunk',
    created: Math.floor(ctx.startedAt / 1000),
    model: ctx.model,
    system_fingerprint: 'fp_fake0001',
    choices: [{ index: 0, delta: {}, finish_reason: ctx.plan.finishReason }],
    usage: usage(ctx.plan),
    time_info: timeInfo(ctx, completionSeconds),
  })
}

function modelNotFoundBody(model: string): Json {
  return {
    message: `Model ${model} does not exist or you do not have access to it.`,
    type: 'not_found_error',
    param: 'model',
    code: 'model_not_found',
  }
}

function wrongKeyBody(): Json {
  return { message: 'Wrong API Key', type: 'invalid_request_error', param: 'api_key', code: 'wrong_api_key' }
}

function contextLengthBody(current: number, limit: number): Json {
  return {
    message: `Please reduce the length of the messages or completion. Current length is ${current} while limit is ${limit}`,
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
    id: '',
  }
}

function publicEntry(m: FakeModel): Json {
  return {
    id: m.id,
    name: m.id,
    limits: { max_context_length: m.contextLength, max_completion_tokens: m.maxCompletionTokens },
    pricing: m.pricing ?? { prompt: null, completion: null },
    capabilities: m.capabilities,
    deprecated: m.deprecated,
    preview: m.preview,
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
