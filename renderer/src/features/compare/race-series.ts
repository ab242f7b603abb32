/**
 * The race chart's data: cumulative tokens against seconds since send, from
 * a stream's per-bucket throughput. At most `maxPoints` points per lane
 * (evenly thinned, always keeping the last), so the chart's cost stays fixed
 * however long the answers are.
 *
 * While a lane streams, times are the renderer's own (when the text reached
 * this window). Once it is done, the line is fitted to the run's figures,
 * the same ones its chips show (lane-metrics.ts runFigures): the first text
 * at the TTFT, the last at the total time, the end at the server's token
 * count. The renderer's clock starts before main's (the IPC hop) and its
 * buckets are 100 ms wide, so unfitted the chart said "0.50 s" where the chip
 * said "97 ms".
 */

export interface RacePoint {
  t: number
  tokens: number
}

/** Where a finished run's line must start rising and end, in ms since send on main's clock (its chips' figures). */
export interface RaceFit {
  /** The renderer's ms (since its own start) of the first and last text. */
  firstAt: number
  lastAt: number
  /** Main's TTFT (null when not streamed: the line then starts at the renderer's first text, scaled). */
  ttftMs: number | null
  totalMs: number
  tokens: number
}

export function cumulativeTokens(points: readonly { t: number; tokensPerSec: number }[], bucketMs: number, maxPoints = 160, fit?: RaceFit): RacePoint[] {
  if (points.length === 0) return []
  const width = bucketMs / 1000
  const at = fit ? fitTime(fit) : (sec: number) => sec
  const full: RacePoint[] = [{ t: 0, tokens: 0 }]
  // Nothing arrived before the first token.
  if (fit) full.push({ t: round(at(0)), tokens: 0 })
  let total = 0
  for (const p of points) {
    total += p.tokensPerSec * width
    // Plotted at the end of its bucket: the tokens had arrived by then.
    full.push({ t: round(at(p.t + width)), tokens: round(total) })
  }
  if (fit) full[full.length - 1] = { t: round(fit.totalMs / 1000), tokens: fit.tokens }
  if (full.length <= maxPoints) return full
  const out: RacePoint[] = []
  const step = (full.length - 1) / (maxPoints - 1)
  for (let i = 0; i < maxPoints - 1; i++) out.push(full[Math.round(i * step)])
  out.push(full[full.length - 1])
  return out
}

/** Renderer seconds → main's seconds: the first text lands on the TTFT, the last on the total, linearly between. */
function fitTime(fit: RaceFit): (sec: number) => number {
  const from0 = fit.firstAt / 1000
  const from1 = Math.max(from0, fit.lastAt / 1000)
  const to1 = fit.totalMs / 1000
  const to0 = Math.min(to1, fit.ttftMs !== null ? fit.ttftMs / 1000 : from1 > 0 ? (from0 / from1) * to1 : 0)
  return (sec) => {
    if (sec <= from0) return to0
    if (sec >= from1) return to1
    return to0 + ((sec - from0) * (to1 - to0)) / (from1 - from0)
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
