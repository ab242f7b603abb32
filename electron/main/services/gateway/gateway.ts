import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { sameSecret } from '../../security/constant-time'
import type { AuditSink } from '../audit'
import type { CerebrasClient } from '../cerebras/cerebras-client'
import { type Clock, systemClock } from '../cerebras/clock'
import { RateLimitStore } from '../cerebras/rate-limits'
import { Admission } from './admission'
import { BrowserGuard } from './browser-guard'
import { type LoadedConfig, redactConfig, type ResolvedTarget } from './config'
import { Exchange, HEADER_REQUEST_ID } from './exchange'
import { UpstreamFallback } from './fallback'
import { GatewayHttpError, sendError, sendJson } from './http-errors'
import { inputStage } from './input-stage'
import { GatewayMetrics, routeLabel } from './metrics'
import type { GatewayPolicy } from './policy-port'
import { Readiness, type ReadinessOptions } from './readiness'
import { type GatewayRequest, readChatRequest } from './request-body'
import { RequestLog } from './request-log'
import { CHAT_ROUTE, RequestTelemetry } from './request-telemetry'
import { TargetRouter } from './router'
import { StreamPump, type StreamPumpDeps } from './stream-pump'
import { type GatewayTracer, noTracer } from './tracing'
import { answerWhole } from './whole-answer'

/**
 * The path a request names, as the URL parser reads it; remembered, since
 * clients ask for the same few paths again and again. Bounded: odd paths a
 * client makes up cannot grow it.
 */
const pathnames = new Map<string, string>()
function pathnameOf(target: string): string {
  let pathname = pathnames.get(target)
  if (pathname === undefined) {
    pathname = new URL(target, 'http://gateway').pathname
    if (pathnames.size >= 256) pathnames.clear()
    pathnames.set(target, pathname)
  }
  return pathname
}

/** The policy set to start with (reload() replaces it), and how the server runs. */
export interface GatewayOptions extends GatewayPolicySet {
  client: CerebrasClient
  /** What happens when a policy itself fails: refuse the request, or let it through (and log it). */
  failMode: 'block' | 'allow'
  maxConcurrency: number
  /** Requests that may wait for a slot past maxConcurrency (default 4 × maxConcurrency); more get 429. */
  maxQueue?: number
  /** How long a request may wait for a slot (default 5 s). */
  queueTimeoutMs?: number
  /** Time for a client to send its request headers (default 10 s), and its body once they are in (default 30 s): 408 after. */
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  /** Required from clients when set (Authorization: Bearer T). */
  authToken?: string
  /** Web origins whose pages may call the gateway (CORS); requests with any other Origin get 403. */
  allowOrigins?: readonly string[]
  maxBodyBytes?: number
  /** Upstream time to response headers before the attempt counts as a timeout. */
  upstreamTimeoutMs?: number
  /** Upstream silence mid-stream before the stream is failed. */
  idleTimeoutMs?: number
  clock?: Clock
  random?: () => number
  log?: RequestLog
  /** Traces of requests (otel-tracer.ts when --otlp-endpoint is given); none by default. */
  tracer?: GatewayTracer
  /** What /readyz probes targets with (default: global fetch), and how often it may. */
  fetch?: typeof fetch
  readiness?: Pick<ReadinessOptions, 'ttlMs' | 'probeTimeoutMs'>
}

/**
 * What the policy files decide: the layered config, the targets, the policy
 * chain and the audit log it writes to. reload() swaps it whole; a request
 * keeps the set it started with to its end.
 */
export interface GatewayPolicySet {
  config: LoadedConfig
  targets: ResolvedTarget[]
  policy: GatewayPolicy
  audit?: AuditSink
}

/** A policy set in service, with its router, the stages that run on it, and the requests still using it. */
interface LiveSet extends GatewayPolicySet {
  router: TargetRouter
  stages: StreamPumpDeps
  users: number
  /** Called when a replaced set's last request has ended. */
  retired?: () => void
}

export interface RunningGateway {
  url: string
  host: string
  port: number
}

/**
 * The local OpenAI-compatible gateway: the policy chain on the input before
 * any upstream call, on whole answers, and on streams chunk by chunk; routing
 * with fallback across provider targets; every request in the audit log.
 * The same class runs headless (`wafer gateway run`) and inside the app.
 *
 * This file is the server and admission; a request's stages are
 * request-body.ts, input-stage.ts, fallback.ts, whole-answer.ts and
 * stream-pump.ts, recording into its Exchange (exchange.ts).
 */
export class Gateway {
  readonly log: RequestLog
  /** The upstreams' x-ratelimit-* figures, per target id (shown in /healthz and /wafer/config). */
  readonly rateLimits = new RateLimitStore()
  /** GET /metrics: this gateway's own registry (metrics.ts). */
  readonly metrics: GatewayMetrics
  private readonly readiness: Readiness
  private readonly tracer: GatewayTracer
  private server: http.Server | undefined
  private guard: BrowserGuard | undefined
  private readonly admission: Admission
  private readonly active = new Set<AbortController>()
  /** Responses being streamed, for the bytes they hold that clients have not read yet. */
  private readonly streaming = new Set<ServerResponse>()
  private readonly clock: Clock
  private accepting = false
  private readonly startedAt: number
  /** The policy set new requests start with (see reload). */
  private live: LiveSet

  constructor(private readonly opts: GatewayOptions) {
    this.clock = opts.clock ?? systemClock
    this.log = opts.log ?? new RequestLog()
    this.startedAt = this.clock.now()
    this.admission = new Admission({
      limit: opts.maxConcurrency,
      maxQueue: opts.maxQueue ?? 4 * opts.maxConcurrency,
      waitMs: opts.queueTimeoutMs ?? 5_000,
      random: opts.random,
    })
    this.live = this.liveSet(opts)
    this.tracer = opts.tracer ?? noTracer
    this.readiness = new Readiness({ fetch: opts.fetch ?? fetch, clock: this.clock, ...opts.readiness })
    this.metrics = new GatewayMetrics({
      inflight: () => this.admission.inflight,
      queued: () => this.admission.queued,
      maxConcurrency: () => opts.maxConcurrency,
      maxQueue: () => this.admission.queueLimit,
      targetsReachable: () => this.readiness.known(this.live.targets),
    })
  }

  get inFlight(): number {
    return this.admission.inflight
  }

  /** Routing over the current targets. */
  get router(): TargetRouter {
    return this.live.router
  }

  /**
   * Serve new requests with `next` (a policy file was saved). Requests
   * already running, streams included, finish on the set they started with;
   * resolves once the last of them has ended, so what only they use can close.
   */
  reload(next: GatewayPolicySet): Promise<void> {
    const old = this.live
    this.live = this.liveSet(next)
    return old.users === 0 ? Promise.resolve() : new Promise<void>((resolve) => (old.retired = resolve))
  }

  private liveSet(set: GatewayPolicySet): LiveSet {
    const router = new TargetRouter(set.targets, set.config.config.providers?.fallback, { random: this.opts.random })
    const fallback = new UpstreamFallback({
      router,
      rateLimits: this.rateLimits,
      clock: this.clock,
      upstreamTimeoutMs: this.opts.upstreamTimeoutMs ?? 30_000,
    })
    const stages: StreamPumpDeps = {
      fallback,
      client: this.opts.client,
      policy: set.policy,
      clock: this.clock,
      idleTimeoutMs: this.opts.idleTimeoutMs ?? 60_000,
      streaming: this.streaming,
    }
    return { config: set.config, targets: set.targets, policy: set.policy, audit: set.audit, router, stages, users: 0 }
  }

  async start(host: string, port: number): Promise<RunningGateway> {
    const headersTimeout = this.opts.headersTimeoutMs ?? 10_000
    const server = http.createServer(
      // Deadlines are checked this often (Node's default is every 30 s).
      { connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 2))) },
      (req, res) => void this.handle(req, res),
    )
    server.keepAliveTimeout = 5_000
    // A client that drips its headers gets 408 (Node's own answer); the body has its own deadline (request-body.ts).
    server.headersTimeout = headersTimeout
    server.requestTimeout = headersTimeout + (this.opts.bodyTimeoutMs ?? 30_000) + 1_000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.server = server
    const addr = server.address() as AddressInfo
    this.guard = new BrowserGuard(host, addr.port, this.opts.allowOrigins)
    this.accepting = true
    const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
    return { url: `http://${shownHost}:${addr.port}`, host: addr.address, port: addr.port }
  }

  /**
   * Stop accepting, let running requests finish up to the deadline, then cut
   * what is left, and flush the audit log.
   */
  async stop(deadlineMs = 10_000): Promise<{ cut: number }> {
    this.accepting = false
    this.admission.refuseWaiting(new GatewayHttpError(503, 'unavailable_error', 'The gateway is shutting down.', 'shutting_down'))
    const server = this.server
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve()
    server?.closeIdleConnections()
    const until = this.clock.now() + deadlineMs
    while (this.admission.inflight > 0 && this.clock.now() < until) await new Promise((r) => setTimeout(r, 20))
    const cut = this.active.size
    for (const c of this.active) c.abort(new Error('The gateway is shutting down.'))
    server?.closeAllConnections()
    await closed
    await this.live.audit?.flush().catch(() => {
      // the sink has reported it (onError); stopping goes on
    })
    return { cut }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = { pathname: pathnameOf(req.url ?? '/') }
    /** Chat requests count themselves when they end (request-telemetry.ts); everything else is counted here. */
    let counted = false
    try {
      // Host and Origin first: a web page gets nothing, not even whether a token is needed.
      if (this.guard!.admit(req, res)) return
      if (!this.authorized(req)) {
        throw new GatewayHttpError(401, 'authentication_error', 'Missing or wrong gateway token (Authorization: Bearer …).', 'invalid_api_key')
      }
      const probe = url.pathname === '/metrics' || url.pathname === '/readyz'
      if (probe && req.method !== 'GET' && req.method !== 'HEAD') {
        throw new GatewayHttpError(405, 'invalid_request_error', `Use GET or HEAD for ${url.pathname}.`, 'method_not_allowed')
      }
      if (url.pathname === '/metrics') {
        const { contentType, body } = await this.metrics.render()
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
        return void res.end(body)
      }
      if (url.pathname === '/readyz') {
        const live = this.live
        const report = await this.readiness.check(live.targets, live.audit)
        const ready = this.accepting && report.ready
        return sendJson(res, ready ? 200 : 503, { status: !this.accepting ? 'draining' : ready ? 'ready' : 'not_ready', ...report, ready })
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname === '/healthz') {
        return sendJson(res, 200, {
          status: this.accepting ? 'ok' : 'draining',
          inflight: this.admission.inflight,
          queued: this.admission.queued,
          queue_limit: this.admission.queueLimit,
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
        const live = this.live
        return sendJson(res, 200, {
          files: live.config.files,
          config: redactConfig(live.config.config),
          targets: live.targets.map((t) => ({ id: t.id, provider: t.provider, model: t.model ?? null, base_url: t.baseUrl, key: t.keySource })),
          fallback: { strategy: live.router.strategy, max_retries: live.router.maxRetries, retry_on: [...live.router.retryOn] },
          chain: live.policy.chain,
          fail_mode: this.opts.failMode,
          max_concurrency: this.opts.maxConcurrency,
          warnings: live.config.warnings.map((w) => `${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`),
          rate_limits: this.rateLimits.all(),
        })
      }
      if (url.pathname === '/v1/chat/completions') {
        if (req.method !== 'POST') throw new GatewayHttpError(405, 'invalid_request_error', 'Use POST for /v1/chat/completions.', 'method_not_allowed')
        counted = true
        return await this.chat(req, res)
      }
      throw new GatewayHttpError(404, 'not_found_error', `No route ${req.method} ${url.pathname}.`, 'not_found')
    } catch (err) {
      if (err instanceof GatewayHttpError) return sendError(res, err)
      sendError(res, new GatewayHttpError(500, 'api_error', `Gateway error: ${(err as Error).message}`, 'internal_error'))
    } finally {
      if (!counted) this.metrics.request(routeLabel(url.pathname), res.statusCode, 'none')
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
    return sameSecret(req.headers.authorization ?? '', `Bearer ${token}`)
  }

  private async chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.clock.now()
    // The policy set this request keeps to its end, whatever reloads meanwhile.
    const live = this.live
    live.users++
    const span = this.tracer.startRequest(`POST ${CHAT_ROUTE}`, req.headers, { 'http.request.method': 'POST', 'http.route': CHAT_ROUTE })
    const telemetry = new RequestTelemetry({ metrics: this.metrics, readiness: this.readiness, clock: this.clock }, span, started)
    const ex = new Exchange(`${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`, {
      failMode: this.opts.failMode,
      audit: live.audit,
      telemetry,
    })
    const { entry, controller } = ex
    this.active.add(controller)
    // The client going away stops the upstream call too.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'))
    })

    if (!this.accepting) {
      this.active.delete(controller)
      this.release(live)
      entry.status = 503
      telemetry.failed('shutting_down')
      telemetry.finish(entry, (this.clock.now() - started) / 1000)
      return sendError(res, new GatewayHttpError(503, 'unavailable_error', 'The gateway is shutting down.', 'shutting_down'))
    }
    let admitted = false
    try {
      // The body first: only a request that has arrived counts against the limit.
      const body = await readChatRequest(req, this.opts.maxBodyBytes ?? 4 * 1024 * 1024, this.opts.bodyTimeoutMs ?? 30_000)
      telemetry.requested(body)
      await this.admission.acquire(controller.signal)
      admitted = true
      await this.serve(body, res, ex, live)
    } catch (err) {
      const e = err instanceof GatewayHttpError ? err : new GatewayHttpError(500, 'api_error', `Gateway error: ${(err as Error).message}`, 'internal_error')
      entry.status = e.status
      // The reason the Gateway screen shows on the request's row: the error's code (or type), then what it said.
      const label = e.code ?? e.type
      entry.error = label ? `${label}: ${e.message}` : e.message
      telemetry.failed(label || String(e.status))
      if (!res.headersSent) {
        // Write-ahead: the refusal's record is committed before the refusal is sent.
        await ex.recordDecision()
        sendError(res, e, { [HEADER_REQUEST_ID]: entry.requestId })
      } else res.end()
    } finally {
      if (admitted) this.admission.release()
      this.active.delete(controller)
      entry.latencyMs = Math.round((this.clock.now() - started) * 100) / 100
      this.log.add(entry)
      ex.audit()
      telemetry.finish(entry, entry.latencyMs / 1000)
      this.release(live)
    }
  }

  /** A request is done with `live`; the last one out of a replaced set retires it. */
  private release(live: LiveSet): void {
    if (--live.users === 0 && live !== this.live) live.retired?.()
  }

  /** An admitted request, stage by stage: the model, the input policies, then the answer. */
  private async serve(body: GatewayRequest, res: ServerResponse, ex: Exchange, live: LiveSet): Promise<void> {
    ex.entry.model = body.model
    ex.entry.stream = body.stream === true
    if (!live.router.accepts(body.model)) {
      throw new GatewayHttpError(
        404,
        'not_found_error',
        `Model ${body.model} is not served by this gateway. Available: ${live.router.models().join(', ') || '(any)'}.`,
        'model_not_found',
        { param: 'model' },
      )
    }
    const upstreamBody = await inputStage(body, ex, live.policy)
    // Write-ahead: the decision record's commit starts now, alongside the upstream
    // call; the stream pump and the whole answer await it before their first byte.
    void ex.recordDecision()
    if (ex.entry.stream) await new StreamPump(res, ex, live.stages).run(upstreamBody)
    else await answerWhole(res, ex, upstreamBody, live.stages)
  }
}
