import { Counter, type CounterT, Gauge, Histogram, type HistogramT, Registry, type RegistryT } from './prom-client-core'

/**
 * The gateway's Prometheus metrics (GET /metrics), in a registry of its own:
 * two gateways in one process (the tests, the app) never share a series.
 * Every name here is listed in docs/metrics.md; the fleet's dashboards and
 * tests read them, so a rename is a breaking change.
 *
 * No label takes a value from what a client sent: routes are a fixed set,
 * targets and models come from the policy config, verdicts and finding
 * kinds from the policy engine, error codes from the upstream's status. Each
 * label is still capped (BoundedLabel): a value past the cap is counted as
 * "other", so no input can grow the number of series without end.
 */

/** The routes requests are counted under; any other path counts as "other". */
export const ROUTES = ['/v1/chat/completions', '/v1/models', '/healthz', '/readyz', '/metrics', '/wafer/config'] as const
const ROUTE_SET: ReadonlySet<string> = new Set(ROUTES)
export const routeLabel = (pathname: string): string => (ROUTE_SET.has(pathname) ? pathname : 'other')

const VERDICTS: ReadonlySet<string> = new Set(['none', 'allow', 'log', 'redact', 'block', 'error'])

/** Distinct values a label may take before further ones are counted as "other". */
const LABEL_CAP = 64

/** A label's values, the first `cap` distinct ones as they are, later ones as "other". */
export class BoundedLabel {
  private readonly seen = new Set<string>()
  constructor(private readonly cap = LABEL_CAP) {}

  of(value: string): string {
    if (this.seen.has(value)) return value
    if (this.seen.size >= this.cap) return 'other'
    this.seen.add(value)
    return value
  }
}

/** What the gauges read when scraped. */
export interface GaugeSources {
  inflight: () => number
  queued: () => number
  maxConcurrency: () => number
  maxQueue: () => number
  /** Per target id: 1 reachable, 0 not, absent when not known yet (see readiness.ts). */
  targetsReachable: () => ReadonlyArray<{ target: string; reachable: boolean | null }>
}

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
const AUDIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

export type AuditOperation = 'write_ahead'
export type TokenType = 'input' | 'output'

export class GatewayMetrics {
  readonly registry: RegistryT = new Registry()
  private readonly requests: CounterT<'route' | 'status' | 'verdict'>
  private readonly duration: HistogramT<'route'>
  private readonly findingsTotal: CounterT<'policy' | 'kind' | 'stage'>
  private readonly upstreamLatency: HistogramT<'target'>
  private readonly ttft: HistogramT<'target'>
  private readonly tokensTotal: CounterT<'target' | 'type'>
  private readonly upstreamErrors: CounterT<'target' | 'code'>
  private readonly fallbacks: CounterT<'target'>
  private readonly auditWrites: HistogramT<'operation' | 'outcome'>
  private readonly targets = new BoundedLabel()
  private readonly policies = new BoundedLabel()
  private readonly kinds = new BoundedLabel()
  private readonly codes = new BoundedLabel()
  private readonly statuses = new BoundedLabel()

  constructor(sources: GaugeSources) {
    const registers = [this.registry]
    this.requests = new Counter({
      name: 'wafer_gateway_requests_total',
      help: 'Requests answered, by route, HTTP status and policy verdict (none: no policy looked at the request).',
      labelNames: ['route', 'status', 'verdict'],
      registers,
    })
    this.duration = new Histogram({
      name: 'wafer_gateway_request_duration_seconds',
      help: 'Time from a chat request arriving to its answer ending (streams included).',
      labelNames: ['route'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.findingsTotal = new Counter({
      name: 'wafer_gateway_policy_findings_total',
      help: 'Policy findings, by the policy that reported them, their kind (e.g. EMAIL_ADDRESS) and stage (input or output).',
      labelNames: ['policy', 'kind', 'stage'],
      registers,
    })
    this.upstreamLatency = new Histogram({
      name: 'wafer_gateway_upstream_latency_seconds',
      help: 'Time from sending a request upstream to its answer: the response headers for streams, the whole body otherwise. Attempts that answered only.',
      labelNames: ['target'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.ttft = new Histogram({
      name: 'wafer_gateway_time_to_first_token_seconds',
      help: 'Streamed requests: time from the request arriving to the first upstream event carrying generated text.',
      labelNames: ['target'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.tokensTotal = new Counter({
      name: 'wafer_gateway_tokens_total',
      help: "Tokens the upstream's usage reported, by target and type (input: prompt, output: completion).",
      labelNames: ['target', 'type'],
      registers,
    })
    this.upstreamErrors = new Counter({
      name: 'wafer_gateway_upstream_errors_total',
      help: 'Upstream attempts that failed, by target and code: the HTTP status, or timeout, unreachable, bad_answer, stream_failed.',
      labelNames: ['target', 'code'],
      registers,
    })
    this.fallbacks = new Counter({
      name: 'wafer_gateway_fallback_attempts_total',
      help: "Upstream attempts after a request's first, by the target tried.",
      labelNames: ['target'],
      registers,
    })
    this.auditWrites = new Histogram({
      name: 'wafer_gateway_audit_write_seconds',
      help: "Time to commit a request's write-ahead audit record (awaited before the answer's first byte), by outcome (ok or error).",
      labelNames: ['operation', 'outcome'],
      buckets: AUDIT_BUCKETS,
      registers,
    })
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read())
        },
      })
    gauge('wafer_gateway_inflight_requests', 'Requests holding a concurrency slot now.', sources.inflight)
    gauge('wafer_gateway_queued_requests', 'Requests waiting for a concurrency slot now.', sources.queued)
    gauge('wafer_gateway_max_concurrency', 'Requests served at once (--max-concurrency).', sources.maxConcurrency)
    gauge('wafer_gateway_max_queue', 'Requests that may wait for a slot (--max-queue).', sources.maxQueue)
    const targets = this.targets
    new Gauge({
      name: 'wafer_gateway_target_reachable',
      help: 'Whether each target answered HTTP when last contacted (1) or could not be reached (0); absent until known. See /readyz.',
      labelNames: ['target'],
      registers,
      collect() {
        this.reset()
        for (const t of sources.targetsReachable()) if (t.reachable !== null) this.set({ target: targets.of(t.target) }, t.reachable ? 1 : 0)
      },
    })
  }

  /** The exposition, as Prometheus scrapes it. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }

  request(route: string, status: number, verdict: string, seconds?: number): void {
    this.requests.inc({ route, status: this.statuses.of(String(status)), verdict: VERDICTS.has(verdict) ? verdict : 'other' })
    if (seconds !== undefined) this.duration.observe({ route }, seconds)
  }

  finding(policy: string, kind: string, stage: 'input' | 'output'): void {
    this.findingsTotal.inc({ policy: this.policies.of(policy), kind: this.kinds.of(kind), stage })
  }

  upstreamAnswered(target: string, seconds: number): void {
    this.upstreamLatency.observe({ target: this.targets.of(target) }, seconds)
  }

  firstToken(target: string, seconds: number): void {
    this.ttft.observe({ target: this.targets.of(target) }, seconds)
  }

  tokens(target: string, type: TokenType, n: number): void {
    if (n > 0) this.tokensTotal.inc({ target: this.targets.of(target), type }, n)
  }

  upstreamError(target: string, code: string): void {
    this.upstreamErrors.inc({ target: this.targets.of(target), code: this.codes.of(code) })
  }

  fallbackAttempt(target: string): void {
    this.fallbacks.inc({ target: this.targets.of(target) })
  }

  auditWrite(operation: AuditOperation, ok: boolean, seconds: number): void {
    this.auditWrites.observe({ operation, outcome: ok ? 'ok' : 'error' }, seconds)
  }
}
