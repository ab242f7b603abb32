import type { RequestBodyStats, ResponseMetrics, TimeInfo, Usage } from '@shared/ipc/domains/chat'

/**
 * Honest per-response figures. Client times come from our own clock; server
 * times only from time_info. A figure whose inputs are missing is null
 * (shown as "—"), never estimated: a broken stream has no tokens/s.
 */

/** Timestamps of one attempt, in the clock's monotonic ms. */
export class ResponseTimings {
  firstTokenAt: number | null = null
  lastTokenAt: number | null = null
  endedAt: number | null = null
  contentChunks = 0
  // Tokens that share a network read have a gap of 0; they are only counted,
  // so a 20k-chunk stream sorts a few hundred gaps, not 20k.
  private zeroGaps = 0
  private gaps = new Float64Array(256)
  private gapCount = 0

  constructor(public readonly startedAt: number) {}

  /** A chunk carrying content, reasoning or tool-call text arrived at `now`. */
  token(now: number): void {
    this.contentChunks++
    const last = this.lastTokenAt
    if (last === null) {
      this.firstTokenAt = now
    } else if (now === last) {
      this.zeroGaps++
    } else {
      if (this.gapCount === this.gaps.length) {
        const grown = new Float64Array(this.gaps.length * 2)
        grown.set(this.gaps)
        this.gaps = grown
      }
      this.gaps[this.gapCount++] = now - last
    }
    this.lastTokenAt = now
  }

  end(now: number): void {
    if (this.endedAt === null) this.endedAt = now
  }

  gapPercentiles(): { p50: number | null; p95: number | null } {
    const total = this.zeroGaps + this.gapCount
    if (total === 0) return { p50: null, p95: null }
    const sorted = this.gaps.slice(0, this.gapCount).sort()
    const at = (p: number) => {
      const rank = Math.min(total - 1, Math.max(0, Math.ceil(p * total) - 1))
      return rank < this.zeroGaps ? 0 : sorted[rank - this.zeroGaps]
    }
    return { p50: at(0.5), p95: at(0.95) }
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
  return sorted[rank]
}

const secToMs = (s: number | undefined): number | null => (typeof s === 'number' && Number.isFinite(s) ? s * 1000 : null)
const round = (n: number | null, digits = 3): number | null => (n === null || !Number.isFinite(n) ? null : Number(n.toFixed(digits)))

export interface MetricsInput {
  timings: ResponseTimings | null
  /** False for non-streamed calls: there is no first token to time. */
  streamed: boolean
  usage: Usage | null
  timeInfo: TimeInfo | null
  request: RequestBodyStats | null
  attempts: number
  retryWaitMs: number
}

export function computeMetrics(input: MetricsInput): ResponseMetrics {
  const t = input.timings
  const clientTotalMs = t && t.endedAt !== null ? t.endedAt - t.startedAt : null
  const ttftMs = input.streamed && t && t.firstTokenAt !== null ? t.firstTokenAt - t.startedAt : null
  const gaps = input.streamed && t ? t.gapPercentiles() : { p50: null, p95: null }
  const completionTokens = input.usage?.completion_tokens
  const hasTokens = typeof completionTokens === 'number' && Number.isFinite(completionTokens)

  const queueMs = secToMs(input.timeInfo?.queue_time)
  const promptMs = secToMs(input.timeInfo?.prompt_time)
  const completionMs = secToMs(input.timeInfo?.completion_time)
  const serverTotalMs = secToMs(input.timeInfo?.total_time)

  return {
    ttftMs: round(ttftMs),
    gapP50Ms: round(gaps.p50),
    gapP95Ms: round(gaps.p95),
    contentChunks: t?.contentChunks ?? 0,
    clientTotalMs: round(clientTotalMs),
    clientTokensPerSec: hasTokens && clientTotalMs && clientTotalMs > 0 ? round((completionTokens / clientTotalMs) * 1000, 1) : null,
    serverDecodeTokensPerSec: hasTokens && completionMs && completionMs > 0 ? round((completionTokens / completionMs) * 1000, 1) : null,
    queueMs: round(queueMs),
    promptMs: round(promptMs),
    completionMs: round(completionMs),
    serverTotalMs: round(serverTotalMs),
    networkOverheadMs: clientTotalMs !== null && serverTotalMs !== null ? round(clientTotalMs - serverTotalMs) : null,
    request: input.request,
    attempts: input.attempts,
    retryWaitMs: round(input.retryWaitMs) ?? 0,
  }
}
