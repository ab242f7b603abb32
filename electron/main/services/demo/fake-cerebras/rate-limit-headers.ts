/**
 * Free-tier-like quotas per model, reported on every response with the
 * header names and formats Cerebras uses (integers for limits and
 * remaining, float seconds for resets).
 */

export interface Quotas {
  requestsPerDay: number
  tokensPerMinute: number
}

export const FREE_TIER: Quotas = { requestsPerDay: 14_400, tokensPerMinute: 60_000 }

interface Usage {
  day: number
  requests: number
  minute: number
  tokens: number
}

export class FakeRateLimits {
  private readonly usage = new Map<string, Usage>()

  constructor(private readonly quotas: Quotas = FREE_TIER) {}

  /** Count a request that reserves `tokens` and return the headers to send. */
  charge(model: string, tokens: number, now = Date.now()): Record<string, string> {
    const day = Math.floor(now / 86_400_000)
    const minute = Math.floor(now / 60_000)
    let u = this.usage.get(model)
    if (!u || u.day !== day) u = { day, requests: 0, minute, tokens: 0 }
    if (u.minute !== minute) u = { ...u, minute, tokens: 0 }
    u.requests += 1
    u.tokens += tokens
    this.usage.set(model, u)
    return this.headers(model, now)
  }

  headers(model: string, now = Date.now()): Record<string, string> {
    const u = this.usage.get(model)
    const resetDay = (86_400_000 - (now % 86_400_000)) / 1000
    const resetMinute = (60_000 - (now % 60_000)) / 1000
    return {
      'x-ratelimit-limit-requests-day': String(this.quotas.requestsPerDay),
      'x-ratelimit-remaining-requests-day': String(Math.max(0, this.quotas.requestsPerDay - (u?.requests ?? 0))),
      'x-ratelimit-reset-requests-day': String(resetDay),
      'x-ratelimit-limit-tokens-minute': String(this.quotas.tokensPerMinute),
      'x-ratelimit-remaining-tokens-minute': String(Math.max(0, this.quotas.tokensPerMinute - (u?.tokens ?? 0))),
      'x-ratelimit-reset-tokens-minute': String(resetMinute),
    }
  }

  reset(): void {
    this.usage.clear()
  }
}
