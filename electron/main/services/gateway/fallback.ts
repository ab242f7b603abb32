import type { ConnectionConfig } from '../cerebras/cerebras-client'
import type { Clock } from '../cerebras/clock'
import type { RateLimitStore } from '../cerebras/rate-limits'
import type { ResolvedTarget } from './config'
import type { Exchange } from './exchange'
import { GatewayHttpError } from './http-errors'
import type { TargetRouter } from './router'
import { type AttemptFailure, classifyFailure } from './upstream-failure'
import { passedHeaders, triedHeader } from './upstream-headers'

export interface FallbackDeps {
  router: TargetRouter
  /** Updated from every upstream answer's x-ratelimit-* headers. */
  rateLimits: RateLimitStore
  clock: Clock
  /** Upstream time to response headers before the attempt counts as a timeout. */
  upstreamTimeoutMs: number
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
      ex.telemetry.attemptStarted(target, target.model ?? requestedModel)
      try {
        const conn: ConnectionConfig = {
          baseUrl: target.baseUrl,
          apiKey: target.apiKey,
          compression: { msgpack: target.compression, gzip: target.compression },
        }
        const result = await call(target, conn, attemptController.signal)
        // The passed-on headers hold every x-ratelimit-* header: the figures are read from them, not looked up in the Headers one by one.
        const passed = passedHeaders(result.headers)
        rateLimits.update(target.id, { get: (name) => passed[name] ?? null }, Date.now())
        ex.upstreamHeaders = passed
        const ms = clock.now() - t0
        router.recordLatency(target.id, ms)
        ex.telemetry.attemptAnswered(ms / 1000)
        entry.attempts.push({ target: target.id, outcome: 'ok' })
        return { target, result, ms }
      } catch (err) {
        if (controller.signal.aborted) {
          ex.telemetry.attemptFailed('aborted')
          throw new GatewayHttpError(499, 'client_closed', 'The client closed the connection.', 'client_closed')
        }
        const failure = classifyFailure(err, target, timedOut ? this.deps.upstreamTimeoutMs : null)
        if (failure.headers) rateLimits.update(target.id, failure.headers, Date.now())
        ex.telemetry.attemptFailed(failure)
        entry.attempts.push({ target: target.id, outcome: failure.outcome })
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

/**
 * The answer when no target answered: the last failure as it was (the
 * upstream's own status, type, code, param, message and rate-limit headers;
 * or why it could not be reached), with the targets tried when fallback ran.
 */
function exhausted(last: AttemptFailure | undefined, attempts: ReadonlyArray<{ target: string; outcome: string }>): GatewayHttpError {
  const error = last?.error ?? new GatewayHttpError(502, 'upstream_error', 'No upstream target was tried.', 'upstream_failed')
  return attempts.length > 1 ? error.withTried(attempts, triedHeader(attempts)) : error
}
