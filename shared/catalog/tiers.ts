import type { RateLimitState, RateLimitWindowName } from '../ipc/domains/models'
import type { FactSource } from './types'

/**
 * Cerebras's published rate limits per plan. Limits apply per organisation
 * and per model; "null" means the figure is not published (enterprise limits
 * are negotiated, and the developer tier publishes only per-minute figures).
 * The user's real limits come from the x-ratelimit-* headers, which always
 * win over these.
 */

export type TierId = 'free' | 'developer' | 'enterprise'

export interface TierLimits {
  requestsPerMinute: number | null
  requestsPerHour: number | null
  requestsPerDay: number | null
  tokensPerMinute: number | null
  tokensPerHour: number | null
  tokensPerDay: number | null
}

export interface PublishedTier {
  id: TierId
  name: string
  /** How the plan is paid for, in one line. */
  billing: string
  /** Limits for models without their own row. */
  defaults: TierLimits
  /** Models whose limits differ from the defaults. */
  perModel: Readonly<Record<string, Partial<TierLimits>>>
  source: FactSource
  /** When the figures were published or checked (yyyy-mm-dd). */
  asOf: string
  where: string
  note?: string
}

const UNPUBLISHED: TierLimits = {
  requestsPerMinute: null,
  requestsPerHour: null,
  requestsPerDay: null,
  tokensPerMinute: null,
  tokensPerHour: null,
  tokensPerDay: null,
}

export const PUBLISHED_TIERS: readonly PublishedTier[] = [
  {
    id: 'free',
    name: 'Free',
    billing: 'No card; limited daily tokens',
    defaults: {
      requestsPerMinute: 30,
      requestsPerHour: 900,
      requestsPerDay: 14_400,
      tokensPerMinute: 60_000,
      tokensPerHour: 1_000_000,
      tokensPerDay: 1_000_000,
    },
    perModel: {
      'qwen-3-coder-480b': {
        requestsPerMinute: 10,
        requestsPerHour: 100,
        requestsPerDay: 100,
        tokensPerMinute: 150_000,
      },
    },
    source: 'official',
    asOf: '2026-05-01',
    where: 'Cerebras docs, Support → Rate limits',
  },
  {
    id: 'developer',
    name: 'Developer (pay as you go)',
    billing: 'Prepaid credits, billed per token',
    defaults: UNPUBLISHED,
    perModel: {
      'gpt-oss-120b': { requestsPerMinute: 1000, tokensPerMinute: 1_000_000 },
      'zai-glm-4.7': { requestsPerMinute: 500, tokensPerMinute: 500_000 },
      'qwen-3-235b-a22b-instruct-2507': { requestsPerMinute: 500, tokensPerMinute: 500_000 },
      'llama3.1-8b': { requestsPerMinute: 2000, tokensPerMinute: 2_000_000 },
    },
    source: 'official',
    asOf: '2026-05-01',
    where: 'Cerebras Developer Tier (PayGo) FAQ',
    note: 'Only per-minute limits are published; "subject to change without notice".',
  },
  {
    id: 'enterprise',
    name: 'Enterprise',
    billing: 'Contract',
    defaults: UNPUBLISHED,
    perModel: {},
    source: 'official',
    asOf: '2026-07-18',
    where: 'cerebras.ai/pricing',
    note: 'Highest limits, set per contract; none are published.',
  },
]

export function publishedTier(id: TierId): PublishedTier {
  return PUBLISHED_TIERS.find((t) => t.id === id)!
}

/** The published limits of a tier for one model (its own row over the tier's defaults). */
export function tierLimitsFor(id: TierId, model: string): TierLimits {
  const tier = publishedTier(id)
  return { ...tier.defaults, ...stripUndefined(tier.perModel[model] ?? {}) }
}

function stripUndefined(p: Partial<TierLimits>): Partial<TierLimits> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<TierLimits>
}

const WINDOW_FIELD: Record<RateLimitWindowName, keyof TierLimits> = {
  'requests-minute': 'requestsPerMinute',
  'requests-hour': 'requestsPerHour',
  'requests-day': 'requestsPerDay',
  'tokens-minute': 'tokensPerMinute',
  'tokens-hour': 'tokensPerHour',
  'tokens-day': 'tokensPerDay',
}

export const LIMIT_FIELDS: readonly (keyof TierLimits)[] = [
  'requestsPerMinute',
  'requestsPerHour',
  'requestsPerDay',
  'tokensPerMinute',
  'tokensPerHour',
  'tokensPerDay',
]

/** The limits the server last reported for a model, in the same shape as the published ones. */
export function limitsFromHeaders(state: RateLimitState): TierLimits {
  const out: TierLimits = { ...UNPUBLISHED }
  for (const w of state.windows) out[WINDOW_FIELD[w.window]] = w.limit
  return out
}

/**
 * Which published tier the reported limits match, when they match one
 * exactly on every figure both give; null when none does (or nothing to compare).
 */
export function matchTier(state: RateLimitState): TierId | null {
  const reported = limitsFromHeaders(state)
  for (const tier of PUBLISHED_TIERS) {
    const published = tierLimitsFor(tier.id, state.model)
    let compared = 0
    let same = true
    for (const f of LIMIT_FIELDS) {
      if (reported[f] === null || published[f] === null) continue
      compared++
      if (reported[f] !== published[f]) same = false
    }
    if (compared > 0 && same) return tier.id
  }
  return null
}
