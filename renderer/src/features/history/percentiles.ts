import type { MetricPoint } from '@shared/ipc/domains/history'

/** Percentile lines for the Metrics view: per model, per time bucket. */

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN
  // Linear interpolation between closest ranks.
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo)
}

export interface PercentileRow {
  /** Mean start time of the bucket's runs (epoch ms), so the line passes through its dots. */
  t: number
  /** Bucket start (epoch ms). */
  bucket: number
  model: string
  count: number
  p50: number
  p95: number
}

/** A bucket width that gives a readable number of points for the span of the data. */
export function bucketFor(spanMs: number): number {
  const HOUR = 3_600_000
  if (spanMs <= 2 * HOUR) return 5 * 60_000
  if (spanMs <= 2 * 24 * HOUR) return HOUR
  if (spanMs <= 60 * 24 * HOUR) return 24 * HOUR
  return 7 * 24 * HOUR
}

export function percentileLines(points: readonly MetricPoint[], metric: 'ttftMs' | 'decodeTokensPerSec', bucketMs: number): PercentileRow[] {
  const groups = new Map<string, { bucket: number; model: string; values: number[]; times: number }>()
  for (const p of points) {
    const v = p[metric]
    if (v === null || !Number.isFinite(v)) continue
    const bucket = Math.floor(p.startedAt / bucketMs) * bucketMs
    const key = `${p.model}\n${bucket}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { bucket, model: p.model, values: [], times: 0 }))
    g.values.push(v)
    g.times += p.startedAt
  }
  return [...groups.values()]
    .map((g) => {
      const sorted = g.values.sort((a, b) => a - b)
      return {
        t: Math.round(g.times / sorted.length),
        bucket: g.bucket,
        model: g.model,
        count: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
      }
    })
    .sort((a, b) => a.bucket - b.bucket || a.model.localeCompare(b.model))
}
