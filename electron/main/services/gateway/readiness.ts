import type { AuditSink } from '../audit'
import type { Clock } from '../cerebras/clock'
import type { ResolvedTarget } from './config'
import { describeReason, networkReason } from './upstream-failure'

export interface ReadinessOptions {
  fetch: typeof fetch
  clock: Clock
  /** How long what was last seen of a target or the audit log stands before /readyz looks again (default 5 s). */
  ttlMs?: number
  /** Time one probe gets (default 2 s). */
  probeTimeoutMs?: number
}

/** What was last seen of a target or the audit log. */
interface Seen {
  reachable: boolean
  at: number
  /** traffic: a real request's outcome; probe: /readyz asked. */
  source: 'traffic' | 'probe'
  reason: string | null
}

export interface ReadyReport {
  ready: boolean
  audit: { required: false } | { required: true; reachable: boolean; source: Seen['source']; reason: string | null }
  targets: Array<{ id: string; reachable: boolean; source: Seen['source']; reason: string | null }>
}

/**
 * Whether the gateway can serve (GET /readyz): the audit log is reachable
 * when the policy has audit-logger, and at least one target is.
 *
 * Reachable, cheaply: what the gateway saw last, from real requests when
 * there were any. A target is reachable when it answered HTTP at all — an
 * upstream 429 or 500 is an answer from a live server (fallback and the
 * client deal with it), while a refused or reset connection, a DNS failure
 * or no answer in time is not. The audit log is reachable when its last
 * write-ahead commit went through. What was seen stands for `ttlMs`; after
 * that, /readyz probes: GET {base_url}/models with the target's key, and
 * the sink's ping() (or a flush(), which retries what failed) for the audit
 * log, each within `probeTimeoutMs`, one probe at a time per thing however
 * many /readyz calls arrive. An idle gateway asked every second probes each
 * target at most once per `ttlMs`.
 */
export class Readiness {
  private readonly targets = new Map<string, Seen>()
  private audit: Seen | undefined
  private readonly probes = new Map<string, Promise<void>>()
  private readonly ttlMs: number
  private readonly probeTimeoutMs: number

  constructor(private readonly opts: ReadinessOptions) {
    this.ttlMs = opts.ttlMs ?? 5_000
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 2_000
  }

  /** A real request reached `targetId` (it answered HTTP) or could not. */
  noteTarget(targetId: string, reachable: boolean, reason: string | null = null): void {
    this.targets.set(targetId, { reachable, at: this.opts.clock.now(), source: 'traffic', reason })
  }

  /** A real write-ahead commit went through, or failed. */
  noteAudit(ok: boolean, reason: string | null = null): void {
    this.audit = { reachable: ok, at: this.opts.clock.now(), source: 'traffic', reason }
  }

  /** What is known of each of `targets` now, without probing (for the metrics). */
  known(targets: readonly ResolvedTarget[]): Array<{ target: string; reachable: boolean | null }> {
    return targets.map((t) => ({ target: t.id, reachable: this.targets.get(t.id)?.reachable ?? null }))
  }

  /** Readiness for the policy set in service: probes what is not known or too old, then reports. */
  async check(targets: readonly ResolvedTarget[], audit: AuditSink | undefined): Promise<ReadyReport> {
    const stale = (s: Seen | undefined) => !s || this.opts.clock.now() - s.at >= this.ttlMs
    await Promise.all([
      ...targets.filter((t) => stale(this.targets.get(t.id))).map((t) => this.once(`target:${t.id}`, () => this.probeTarget(t))),
      ...(audit && stale(this.audit) ? [this.once('audit', () => this.probeAudit(audit))] : []),
    ])
    const seen = targets.map((t) => {
      const s = this.targets.get(t.id)!
      return { id: t.id, reachable: s.reachable, source: s.source, reason: s.reason }
    })
    const a = audit ? this.audit! : undefined
    const auditOk = !a || a.reachable
    return {
      ready: auditOk && seen.some((t) => t.reachable),
      audit: a ? { required: true, reachable: a.reachable, source: a.source, reason: a.reason } : { required: false },
      targets: seen,
    }
  }

  /** Runs `probe` unless one for `key` is already running; either way resolves when that one is done. */
  private once(key: string, probe: () => Promise<void>): Promise<void> {
    let p = this.probes.get(key)
    if (!p) {
      p = probe().finally(() => this.probes.delete(key))
      this.probes.set(key, p)
    }
    return p
  }

  private async probeTarget(t: ResolvedTarget): Promise<void> {
    const url = `${t.baseUrl.replace(/\/+$/, '')}/models`
    let seen: Pick<Seen, 'reachable' | 'reason'>
    try {
      const res = await this.opts.fetch(url, {
        headers: t.apiKey ? { authorization: `Bearer ${t.apiKey}` } : {},
        signal: AbortSignal.timeout(this.probeTimeoutMs),
      })
      await res.body?.cancel().catch(() => undefined)
      seen = { reachable: true, reason: res.ok ? null : `GET /models answered HTTP ${res.status}` }
    } catch (err) {
      const timedOut = (err as { name?: unknown } | null)?.name === 'TimeoutError'
      seen = { reachable: false, reason: timedOut ? `no answer within ${this.probeTimeoutMs} ms` : describeReason(networkReason(err)) }
    }
    this.targets.set(t.id, { ...seen, at: this.opts.clock.now(), source: 'probe' })
  }

  private async probeAudit(sink: AuditSink): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.probeTimeoutMs} ms`)), this.probeTimeoutMs)
    })
    let seen: Pick<Seen, 'reachable' | 'reason'>
    try {
      const ok = await Promise.race([sink.ping ? sink.ping() : sink.flush().then(() => true), timeout])
      seen = { reachable: ok, reason: ok ? null : 'the audit database did not answer' }
    } catch (err) {
      seen = { reachable: false, reason: err instanceof Error ? err.message : String(err) }
    } finally {
      clearTimeout(timer)
    }
    this.audit = { ...seen, at: this.opts.clock.now(), source: 'probe' }
  }
}
