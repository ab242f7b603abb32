/**
 * The race chart's data: cumulative tokens against seconds since send, from
 * a stream's per-bucket throughput. At most `maxPoints` points per lane
 * (evenly thinned, always keeping the last), so the chart's cost stays fixed
 * however long the answers are.
 */

export interface RacePoint {
  t: number
  tokens: number
}

export function cumulativeTokens(points: readonly { t: number; tokensPerSec: number }[], bucketMs: number, maxPoints = 160): RacePoint[] {
  if (points.length === 0) return []
  const width = bucketMs / 1000
  const full: RacePoint[] = [{ t: 0, tokens: 0 }]
  let total = 0
  for (const p of points) {
    total += p.tokensPerSec * width
    // Plotted at the end of its bucket: the tokens had arrived by then.
    full.push({ t: round(p.t + width), tokens: round(total) })
  }
  if (full.length <= maxPoints) return full
  const out: RacePoint[] = []
  const step = (full.length - 1) / (maxPoints - 1)
  for (let i = 0; i < maxPoints - 1; i++) out.push(full[Math.round(i * step)])
  out.push(full[full.length - 1])
  return out
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
