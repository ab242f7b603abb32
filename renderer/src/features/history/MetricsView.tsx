import type { MetricPoint } from '@shared/ipc/domains/history'
import { memo, useEffect, useMemo, useState } from 'react'
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts'

import { api } from '../../api'
import { useDemo } from '../../lib/demo'
import { fmtDate, fmtDateTime, fmtInt, fmtTimeOfDay, plural } from '../../lib/format'
import { describeError } from '../../lib/notify'
import { DemoBadge } from '../../ui/DemoBadge'
import { bucketFor, percentileLines } from './percentiles'

/** TTFT and decode tokens/s per model over time, from saved runs: every run as a dot, p50 and p95 as lines. */

const COLORS = ['#f26b1d', '#3e8ef7', '#2fb67c', '#c678dd', '#e0a528', '#e5484d', '#56b6c2', '#a0a0a0']
const RANGES = [
  { id: '1d', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 days', ms: 30 * 86_400_000 },
  { id: 'all', label: 'All', ms: null },
] as const

export function MetricsView() {
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('7d')
  const [all, setPoints] = useState<MetricPoint[] | null>(null)
  // Made-up demo figures never share a chart with real ones: demo runs only while the demo is on, real runs otherwise.
  const demo = useDemo((s) => s.status?.active === true)
  const points = useMemo(() => all?.filter((p) => (p.demo === true) === demo) ?? null, [all, demo])
  const otherKind = (all?.length ?? 0) - (points?.length ?? 0)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const r = RANGES.find((x) => x.id === range)!
    const from = r.ms === null ? undefined : Date.now() - r.ms
    api.historyMetrics({ ...(from !== undefined ? { from } : {}), limit: 5000 }).then(
      (res) => {
        setPoints(res.points)
        setError(null)
      },
      (err: unknown) => setError(describeError(err)),
    )
  }, [range])
  const models = useMemo(() => [...new Set((points ?? []).map((p) => p.model))].sort(), [points])
  return (
    <div className="hi-metrics" data-testid="history-metrics">
      <div className="hi-filters">
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r.id} aria-pressed={range === r.id} onClick={() => setRange(r.id)}>
              {r.label}
            </button>
          ))}
        </div>
        <span className="hi-dim">{points ? `${plural(points.length, demo ? 'demo run' : 'run')} with figures` : 'Loading…'}</span>
        {demo ? <DemoBadge label="Demo runs: made-up figures" testId="metrics-demo-badge" /> : null}
        {otherKind > 0 ? (
          <span className="hi-dim" data-testid="metrics-left-out">
            {plural(otherKind, demo ? 'real run' : 'demo run')} left out
          </span>
        ) : null}
      </div>
      {error ? <div className="callout danger">{error}</div> : null}
      {points && points.length === 0 ? <div className="hi-empty">No runs with figures in this range yet.</div> : null}
      {points && points.length ? (
        <>
          <MetricChart title="Time to first token (ms)" points={points} models={models} metric="ttftMs" />
          <MetricChart title="Server decode speed (tokens/s)" points={points} models={models} metric="decodeTokensPerSec" />
        </>
      ) : null}
    </div>
  )
}

const MetricChart = memo(function MetricChart({
  title,
  points,
  models,
  metric,
}: {
  title: string
  points: MetricPoint[]
  models: string[]
  metric: 'ttftMs' | 'decodeTokensPerSec'
}) {
  const { dots, lines, domain } = useMemo(() => {
    const times = points.map((p) => p.startedAt)
    const min = Math.min(...times)
    const max = Math.max(...times)
    const rows = percentileLines(points, metric, bucketFor(max - min))
    return {
      dots: models.map((m) => points.filter((p) => p.model === m && p[metric] !== null).map((p) => ({ t: p.startedAt, v: p[metric] as number }))),
      lines: models.map((m) => rows.filter((r) => r.model === m).map((r) => ({ t: r.t, p50: r.p50, p95: r.p95 }))),
      // Padded so the first and last runs are not drawn on the axes.
      domain: [min - Math.max(5_000, (max - min) * 0.05), max + Math.max(5_000, (max - min) * 0.05)] as [number, number],
    }
  }, [points, models, metric])
  const fmtTime = (t: number) => {
    const span = domain[1] - domain[0]
    if (span < 20 * 60_000) return fmtTimeOfDay(t, { seconds: true })
    if (span < 2 * 86_400_000) return fmtTimeOfDay(t)
    return fmtDate(t, { year: false })
  }
  return (
    <div className="card hi-chart">
      <h2>{title}</h2>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="t" type="number" domain={domain} tickFormatter={fmtTime} stroke="var(--text-faint)" fontSize={11} allowDuplicatedCategory={false} />
          <YAxis dataKey="v" stroke="var(--text-faint)" fontSize={11} width={56} />
          <Tooltip
            isAnimationActive={false}
            contentStyle={{ background: 'var(--bg-raised)', border: '1px solid var(--border)', fontSize: 11 }}
            labelFormatter={(t) => fmtDateTime(Number(t))}
            formatter={(v) => fmtInt(Number(v))}
          />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {models.map((m, i) => (
            <Scatter key={`dots-${m}`} name={m} data={dots[i]} dataKey="v" fill={COLORS[i % COLORS.length]} fillOpacity={0.45} isAnimationActive={false} />
          ))}
          {models.map((m, i) => (
            <Line
              key={`p50-${m}`}
              name={`${m} p50`}
              data={lines[i]}
              dataKey="p50"
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
              legendType="none"
            />
          ))}
          {models.map((m, i) => (
            <Line
              key={`p95-${m}`}
              name={`${m} p95`}
              data={lines[i]}
              dataKey="p95"
              stroke={COLORS[i % COLORS.length]}
              strokeDasharray="5 4"
              strokeWidth={1.5}
              dot={false}
              isAnimationActive={false}
              legendType="none"
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <p className="hi-dim hi-chart-note">Dots: each run. Solid line: p50, dashed: p95, per model and time bucket.</p>
    </div>
  )
})
