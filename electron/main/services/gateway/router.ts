import { findModel, pricePerToken } from '@shared/catalog'
import type { FallbackConfig } from '@shared/policy/schema'

import type { ResolvedTarget } from './config'

export type FailureKind = '5xx' | 'timeout' | 'rate_limit'

export interface RouterOptions {
  random?: () => number
  /** Weight of a new latency sample in the moving average. */
  latencyAlpha?: number
}

/**
 * Chooses which targets a request tries, in order, per providers.fallback:
 * ordered (primary first), round-robin, latency (lowest moving average
 * first; unmeasured targets first so they get measured), cost (cheapest
 * catalog price first; unknown prices last) or random. A target whose model
 * the client named explicitly always goes first.
 */
export class TargetRouter {
  private rr = 0
  private readonly latency = new Map<string, number>()
  private readonly random: () => number
  private readonly alpha: number
  readonly strategy: NonNullable<FallbackConfig['strategy']>
  readonly maxRetries: number
  readonly retryOn: ReadonlySet<FailureKind>

  constructor(
    readonly targets: readonly ResolvedTarget[],
    fallback: FallbackConfig | undefined,
    opts: RouterOptions = {},
  ) {
    this.random = opts.random ?? Math.random
    this.alpha = opts.latencyAlpha ?? 0.3
    this.strategy = fallback?.strategy ?? 'ordered'
    // Without a fallback block every target is tried once, on any retryable failure.
    this.maxRetries = fallback?.max_retries ?? Math.max(0, targets.length - 1)
    this.retryOn = new Set(fallback?.retry_on ?? ['5xx', 'timeout', 'rate_limit'])
  }

  /** The models clients may ask for (GET /v1/models). Undefined entries mean "any model" (pass-through). */
  models(): string[] {
    return [...new Set(this.targets.map((t) => t.model).filter((m): m is string => Boolean(m)))]
  }

  /** Does any target serve this model? Targets without a model pass any model through. */
  accepts(model: string): boolean {
    return this.targets.some((t) => !t.model || sameModel(t.model, model) || t.id === model)
  }

  /** The attempts for one request: 1 + max_retries entries, cycling through the ordered targets. */
  plan(requestedModel: string): ResolvedTarget[] {
    const ordered = this.order()
    const pinned = ordered.findIndex((t) => (t.model && sameModel(t.model, requestedModel)) || t.id === requestedModel)
    if (pinned > 0) ordered.unshift(...ordered.splice(pinned, 1))
    const attempts: ResolvedTarget[] = []
    for (let i = 0; i <= this.maxRetries; i++) attempts.push(ordered[i % ordered.length])
    return attempts
  }

  recordLatency(targetId: string, ms: number): void {
    const prev = this.latency.get(targetId)
    this.latency.set(targetId, prev === undefined ? ms : prev + this.alpha * (ms - prev))
  }

  latencyOf(targetId: string): number | undefined {
    return this.latency.get(targetId)
  }

  private order(): ResolvedTarget[] {
    const list = [...this.targets]
    switch (this.strategy) {
      case 'ordered':
        return list
      case 'round-robin': {
        const start = this.rr++ % list.length
        return [...list.slice(start), ...list.slice(0, start)]
      }
      case 'latency':
        return list
          .map((t, i) => ({ t, i, l: this.latency.get(t.id) ?? -1 }))
          .sort((a, b) => a.l - b.l || a.i - b.i)
          .map((x) => x.t)
      case 'cost':
        return list
          .map((t, i) => ({ t, i, c: costOf(t) }))
          .sort((a, b) => a.c - b.c || a.i - b.i)
          .map((x) => x.t)
      case 'random': {
        for (let i = list.length - 1; i > 0; i--) {
          const j = Math.floor(this.random() * (i + 1))
          ;[list[i], list[j]] = [list[j], list[i]]
        }
        return list
      }
    }
  }
}

function sameModel(a: string, b: string): boolean {
  if (a === b) return true
  const ma = findModel(a)
  return Boolean(ma && ma === findModel(b))
}

/** Catalog price of input + output per token; unknown prices sort last. */
function costOf(t: ResolvedTarget): number {
  const m = t.model ? findModel(t.model) : undefined
  if (!m) return Number.POSITIVE_INFINITY
  const p = pricePerToken(m)
  return p.input === null || p.output === null ? Number.POSITIVE_INFINITY : p.input + p.output
}
