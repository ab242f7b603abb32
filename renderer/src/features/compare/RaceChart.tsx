import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'

import { fmtInt, fmtMs, fmtRate, plural } from '../../lib/format'
import { appStreamHub } from '../../stream/app-streams'
import { isFinished } from '../../stream/stream-hub'
import { type RunFigures, runFigures } from './lane-metrics'
import { cumulativeTokens, type RaceFit, type RacePoint } from './race-series'

export interface RaceLane {
  key: string
  label: string
  color: string
  requestId: string
}

interface LaneSeries {
  key: string
  label: string
  color: string
  points: RacePoint[]
  /** The run's figures once it is done (the same ones its chips show); null while it streams. */
  figures: RunFigures | null
  /** Failed or stopped before its figures came. */
  ended: boolean
}

const SAMPLE_MS = 100

function sample(lanes: readonly RaceLane[]): LaneSeries[] {
  const hub = appStreamHub()
  return lanes.map((l) => {
    const series = hub.series(l.requestId)
    const meta = hub.meta(l.requestId)
    const done = meta?.done ?? null
    const figures = done ? runFigures(done, null) : null
    const fit: RaceFit | undefined =
      series && figures && figures.totalMs !== null && figures.tokens !== null && series.firstAt !== null && series.lastAt !== null
        ? { firstAt: series.firstAt, lastAt: series.lastAt, ttftMs: figures.ttftMs, totalMs: figures.totalMs, tokens: figures.tokens }
        : undefined
    return {
      key: l.key,
      label: l.label,
      color: l.color,
      points: series ? cumulativeTokens(series.points(), series.width, undefined, fit) : [],
      figures: fit ? figures : null,
      ended: !!meta && isFinished(meta.status) && !fit,
    }
  })
}

/**
 * Cumulative tokens against time for every lane, live. Sampled ten times a
 * second from the hub's fixed-size throughput buffers (not on every token),
 * drawn without animation, with at most a few hundred points per line. A
 * finished lane's line and legend come from its run's figures, the ones its
 * chips show, so the two always agree.
 */
export const RaceChart = memo(function RaceChart({ lanes }: { lanes: RaceLane[] }) {
  const [data, setData] = useState<LaneSeries[]>(() => sample(lanes))
  useEffect(() => {
    setData(sample(lanes))
    const hub = appStreamHub()
    const running = () =>
      lanes.some((l) => {
        const m = hub.meta(l.requestId)
        return !m || !isFinished(m.status)
      })
    if (!running()) return
    const timer = setInterval(() => {
      setData(sample(lanes))
      if (!running()) {
        clearInterval(timer)
        // One more sample after the last token, with the server's calibrated counts.
        setTimeout(() => setData(sample(lanes)), SAMPLE_MS)
      }
    }, SAMPLE_MS)
    return () => clearInterval(timer)
  }, [lanes])

  // Measured once per resize rather than by a responsive wrapper on every render.
  const boxRef = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const box = boxRef.current
    if (!box) return
    setWidth(box.clientWidth)
    const observer = new ResizeObserver(() => setWidth(box.clientWidth))
    observer.observe(box)
    return () => observer.disconnect()
  }, [])

  const hasData = data.some((d) => d.points.length > 1)
  const [asTable, setAsTable] = useState(false)
  return (
    <div
      className="race-chart"
      ref={boxRef}
      role="figure"
      aria-label="Race chart: tokens received over time, per lane"
      data-testid="race-chart"
      data-lanes={data.filter((d) => d.points.length > 1).length}
    >
      <div className="race-tools">
        <button className="btn ghost small-btn" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)} data-testid="race-table-toggle">
          Table view
        </button>
      </div>
      {asTable ? <RaceTable data={data} /> : null}
      {/* Mounted before the first token (while waiting for it), so the chart's first, costly render is not mid-stream. The legend below is its text summary; the table view its data. */}
      {width > 0 ? (
        <>
          {/* A picture of the figures the legend and the table give in words: hidden from assistive technology. */}
          <div aria-hidden="true" hidden={asTable}>
            <LineChart width={width} height={220} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                domain={[0, 'dataMax']}
                tickFormatter={(t: number) => fmtMs(t * 1000)}
                tick={{ fill: 'var(--text-muted)', fontSize: 11 }}
                stroke="var(--border-strong)"
                allowDuplicatedCategory={false}
              />
              <YAxis dataKey="tokens" type="number" tick={{ fill: 'var(--text-muted)', fontSize: 11 }} stroke="var(--border-strong)" width={56} />
              <Tooltip
                isAnimationActive={false}
                contentStyle={{ background: 'var(--bg-raised)', border: '1px solid var(--border)', fontSize: 12 }}
                labelFormatter={(t) => fmtMs(Number(t) * 1000)}
                formatter={(v) => [plural(Number(v), 'token')]}
              />
              {data.map((d) => (
                <Line
                  key={d.key}
                  data={d.points}
                  dataKey="tokens"
                  name={d.label}
                  stroke={d.color}
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                  type="linear"
                />
              ))}
            </LineChart>
          </div>
          <div className="race-legend" data-testid="race-legend" aria-label="Summary">
            {data.map((d) => (
              <span key={d.key} data-testid="race-legend-lane" data-lane={d.key} data-final={d.figures ? 'true' : undefined}>
                <span className="swatch" style={{ background: d.color }} /> {d.label}
                <span className="muted">
                  {' '}
                  ·{' '}
                  {d.figures
                    ? `${plural(d.figures.tokens ?? 0, 'token')} in ${fmtMs(d.figures.totalMs)}`
                    : `~${plural(d.points.at(-1)?.tokens ?? 0, 'token')} ${d.ended ? 'before it ended' : 'so far'} (estimated from text)`}
                </span>
              </span>
            ))}
          </div>
        </>
      ) : null}
      {!hasData && !asTable ? <div className="race-empty muted">The race starts when the first tokens arrive.</div> : null}
    </div>
  )
})

/** The race as data: per lane, the tokens and times the chart draws (the chart's text alternative). */
function RaceTable({ data }: { data: LaneSeries[] }) {
  return (
    <div className="race-table-wrap">
      <table className="race-table" data-testid="race-table">
        <caption className="sr-only">Race by lane</caption>
        <thead>
          <tr>
            <th scope="col">Lane</th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col" className="num">
              First token
            </th>
            <th scope="col" className="num">
              Total time
            </th>
            <th scope="col" className="num">
              Decode speed
            </th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.key} data-lane={d.key}>
              <th scope="row">{d.label}</th>
              <td className="num">{d.figures ? fmtInt(d.figures.tokens) : `~${fmtInt(d.points.at(-1)?.tokens ?? 0)}`}</td>
              <td className="num">{fmtMs(d.figures?.ttftMs ?? null)}</td>
              <td className="num">{fmtMs(d.figures?.totalMs ?? null)}</td>
              <td className="num">{fmtRate(d.figures?.decodeTokensPerSec ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
