import { type ConnectionConfig, TransportError } from '../cerebras/cerebras-client'
import type { Clock } from '../cerebras/clock'
import type { RateLimitStore } from '../cerebras/rate-limits'
import type { ResolvedTarget } from './config'
import type { Exchange } from './exchange'
import { GatewayHttpError } from './http-errors'
import type { FailureKind, TargetRouter } from './router'

export interface FallbackDeps {
  router: TargetRouter
  /** Updated from every upstream answer's x-ratelimit-* headers. */
  rateLimits: RateLimitStore
  clock: Clock
  /** Upstream time to response headers before the attempt counts as a timeout. */
  upstreamTimeoutMs: number
}

/** Why one attempt failed: a kind the router's retry_on names, or the upstream refusing the request itself. */
interface AttemptFailure {
  kind: FailureKind | 'client'
  status: number
  message: string
  headers?: Headers
}

/** The body for one target: its own model when it names one, else the client's. */
export const bodyFor = (t: ResolvedTarget, body: Record<string, unknown>) => (t.model ? { ...body, model: t.model } : body)

/**
 * Routing with fallback: the router's planned targets tried in order, each
 * with its own timeout, until one answers or a failure is not one that
 * retry_on names. Every attempt is recorded on the exchange.
 */
export class UpstreamFallback {
  constructor(private readonly deps: FallbackDeps) {}

  /** Try the planned targets in order until one answers; returns what it answered. */
  async attempt<T extends { headers: Headers }>(
    ex: Exchange,
    requestedModel: string,
    call: (target: ResolvedTarget, conn: ConnectionConfig, signal: AbortSignal) => Promise<T>,
  ): Promise<{ target: ResolvedTarget; result: T; ms: number }> {
    const { router, rateLimits, clock } = this.deps
    const { entry, controller } = ex
    let last: AttemptFailure | undefined
    for (const target of router.plan(requestedModel)) {
      const attemptController = new AbortController()
      const onAbort = () => attemptController.abort(controller.signal.reason)
      controller.signal.addEventListener('abort', onAbort, { once: true })
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        attemptController.abort(new Error('upstream timeout'))
      }, this.deps.upstreamTimeoutMs)
      const t0 = clock.now()
      try {
        const conn: ConnectionConfig = {
          baseUrl: target.baseUrl,
          apiKey: target.apiKey,
          compression: { msgpack: target.compression, gzip: target.compression },
        }
        const result = await call(target, conn, attemptController.signal)
        rateLimits.update(target.id, result.headers, Date.now())
        const ms = clock.now() - t0
        router.recordLatency(target.id, ms)
        entry.attempts.push({ target: target.id, outcome: 'ok' })
        return { target, result, ms }
      } catch (err) {
        if (controller.signal.aborted) throw new GatewayHttpError(499, 'client_closed', 'The client closed the connection.', 'client_closed')
        const failure = classify(err, timedOut)
        if (failure.headers) rateLimits.update(target.id, failure.headers, Date.now())
        entry.attempts.push({ target: target.id, outcome: `${failure.kind}${failure.status ? ` ${failure.status}` : ''}` })
        last = failure
        if (failure.kind === 'client' || !router.retryOn.has(failure.kind)) break
      } finally {
        clearTimeout(timer)
        controller.signal.removeEventListener('abort', onAbort)
      }
    }
    throw exhausted(last, entry.attempts)
  }
}

/** The answer when no target answered: the upstream's own status when it refused the request, else 429 or 502. */
function exhausted(last: AttemptFailure | undefined, attempts: ReadonlyArray<{ target: string; outcome: string }>): GatewayHttpError {
  if (last?.kind === 'client') {
    // The upstream refused the request itself (400, 404…): say so with its status.
    return new GatewayHttpError(last.status, 'upstream_error', last.message, 'upstream_rejected')
  }
  if (last?.kind === 'rate_limit') {
    const retry = last.headers?.get('retry-after')
    return new GatewayHttpError(
      429,
      'rate_limit_error',
      `Every target is rate limited: ${last.message}`,
      'upstream_rate_limited',
      retry ? { headers: { 'retry-after': retry } } : {},
    )
  }
  const tried = attempts.map((a) => `${a.target}: ${a.outcome}`).join('; ')
  return new GatewayHttpError(502, 'upstream_error', `No upstream target answered (${tried}). Last error: ${last?.message ?? 'unknown'}`, 'upstream_failed')
}

function classify(err: unknown, timedOut: boolean): AttemptFailure {
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
