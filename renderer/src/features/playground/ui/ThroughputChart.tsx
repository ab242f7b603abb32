import { fmtCompact, fmtMs, fmtRate } from '@renderer/lib/format'
import { appStreamHub } from '@renderer/stream/app-streams'
import type { ThroughputPoint } from '@renderer/stream/throughput'
import { memo, useEffect, useRef, useState } from 'react'

/**
 * Tokens/s over time in 100 ms buckets, with TTFT marked, redrawn a few
 * times a second while the answer streams and kept after it.
 *
 * Drawn as plain SVG rather than with recharts: measured with
 * `npm run bench -- render`, each recharts redraw of this chart was a 50–100 ms
 * main-thread task with four panes streaming (the text itself costs a few
 * ms per frame), which broke the 50 ms budget. This chart costs well under
 * a millisecond to redraw. The History metrics view, off the hot path,
 * uses recharts.
 */

const REDRAW_MS = 250
/** The last width a chart measured: a new chart starts at it (panes are alike) until its own is known. */
let lastWidth = 600
const HEIGHT = 120
const PAD = { left: 44, right: 10, top: 8, bottom: 18 }

interface Snapshot {
  points: ThroughputPoint[]
  width: number
  firstAtSec: number | null
  calibrated: boolean
}

function snapshot(requestId: string): Snapshot | null {
  const series = appStreamHub().series(requestId)
  if (!series) return null
  return {
    points: series.points(),
    width: series.width / 1000,
    firstAtSec: series.firstAt === null ? null : series.firstAt / 1000,
    calibrated: series.calibrated,
  }
}

/** 1, 2 or 5 × 10^n at or above `v`, for axis ticks. */
function niceCeil(v: number): number {
  if (v <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  const f = v / p
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p
}

export const ThroughputChart = memo(function ThroughputChart({ requestId, serverTtftMs }: { requestId: string; serverTtftMs: number | null }) {
  const [data, setData] = useState<Snapshot | null>(() => snapshot(requestId))
  const [width, setWidth] = useState(lastWidth)
  const [hover, setHover] = useState<number | null>(null)
  const box = useRef<HTMLDivElement>(null)

  // The width comes from the observer, which reports after the browser's own layout
  // (and once at the start). Reading it while mounting would force a layout inside
  // the commit: with four panes starting to stream, one of the longest tasks.
  useEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() => {
      lastWidth = el.clientWidth || lastWidth
      setWidth(lastWidth)
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    setData(snapshot(requestId))
    const off = appStreamHub().onText(requestId, (_t, final) => {
      if (final) {
        if (timer) clearTimeout(timer)
        timer = null
        setData(snapshot(requestId))
        return
      }
      timer ??= setTimeout(() => {
        timer = null
        setData(snapshot(requestId))
      }, REDRAW_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [requestId])

  const points = data?.points ?? []
  const innerW = Math.max(50, width - PAD.left - PAD.right)
  const innerH = HEIGHT - PAD.top - PAD.bottom
  const bucket = data?.width ?? 0.1
  const spanSec = Math.max(bucket, points.length * bucket)
  const maxRate = niceCeil(Math.max(1, ...points.map((p) => p.tokensPerSec)))
  const x = (t: number) => PAD.left + (t / spanSec) * innerW
  const y = (v: number) => PAD.top + innerH - (v / maxRate) * innerH
  let area = ''
  if (points.length) {
    area = `M${x(0)},${y(0)}`
    for (const p of points) area += `L${x(p.t)},${y(p.tokensPerSec)}L${x(p.t + bucket)},${y(p.tokensPerSec)}`
    area += `L${x(spanSec)},${y(0)}Z`
  }
  const ttftSec = serverTtftMs !== null ? serverTtftMs / 1000 : (data?.firstAtSec ?? null)
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * spanSec)
  const fmtT = (t: number) => fmtMs(t * 1000)
  const hovered = hover !== null ? points[hover] : undefined
  // The chart in words (its text alternative): the peak, when the first token came, and how long it ran.
  const peak = points.reduce<ThroughputPoint | null>((best, p) => (!best || p.tokensPerSec > best.tokensPerSec ? p : best), null)
  const summary = peak
    ? `Peak ${fmtRate(peak.tokensPerSec)} at ${fmtT(peak.t)}; first token at ${ttftSec === null ? '—' : fmtT(ttftSec)}; ${fmtT(spanSec)} shown.`
    : ''
  const summaryId = `${requestId}-throughput-summary`

  return (
    <div className="pg-chart" data-testid="throughput-chart" ref={box}>
      <div className="pg-chart-title">
        <span>
          Tokens/s, {Math.round(bucket * 1000)} ms buckets{data && !data.calibrated ? ' (estimated from characters until the server reports usage)' : ''}
        </span>
        {hovered ? (
          <span className="pg-chart-readout mono">
            {fmtT(hovered.t)}: {fmtRate(hovered.tokensPerSec)}
          </span>
        ) : null}
      </div>
      {points.length === 0 ? (
        <div className="pg-chart-empty">Waiting for the first token…</div>
      ) : (
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-label="Tokens per second over time"
          aria-describedby={summaryId}
          onMouseMove={(e) => {
            const rect = e.currentTarget.getBoundingClientRect()
            const t = ((e.clientX - rect.left - PAD.left) / innerW) * spanSec
            const i = Math.floor(t / bucket)
            setHover(i >= 0 && i < points.length ? i : null)
          }}
          onMouseLeave={() => setHover(null)}
        >
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line className="pg-grid" x1={PAD.left} x2={PAD.left + innerW} y1={y(f * maxRate)} y2={y(f * maxRate)} />
              <text className="pg-axis" x={PAD.left - 6} y={y(f * maxRate) + 3} textAnchor="end">
                {fmtCompact(f * maxRate)}
              </text>
            </g>
          ))}
          {xTicks.map((t, i) => (
            <text key={i} className="pg-axis" x={x(t)} y={HEIGHT - 4} textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}>
              {fmtT(t)}
            </text>
          ))}
          <path className="pg-area" d={area} />
          {ttftSec !== null && ttftSec <= spanSec ? (
            <g className="pg-ttft">
              <line x1={x(ttftSec)} x2={x(ttftSec)} y1={PAD.top} y2={PAD.top + innerH} />
              <text x={x(ttftSec) + 4} y={PAD.top + 9}>
                TTFT
              </text>
            </g>
          ) : null}
          {hovered ? <line className="pg-hover" x1={x(hovered.t + bucket / 2)} x2={x(hovered.t + bucket / 2)} y1={PAD.top} y2={PAD.top + innerH} /> : null}
        </svg>
      )}
      {summary ? (
        <p className="sr-only" id={summaryId} data-testid="throughput-summary">
          {summary}
        </p>
      ) : null}
    </div>
  )
})
