import type { Summary } from '@shared/stats'

import { fmtMs, fmtPercent, fmtRate } from '../../lib/format'
import type { LaneAggregate } from './lane-metrics'

export interface RepeatRow {
  key: string
  label: string
  color: string
  aggregate: LaneAggregate
}

function pair(s: Summary | null, show: (v: number) => string) {
  if (!s) return <span className="muted">—</span>
  return (
    <>
      {show(s.p50)} <span className="muted">/ {show(s.p95)}</span>
    </>
  )
}

/** p50 / p95 over repeat runs, and how much the answers differ from run to run. */
export function RepeatStats({ rows }: { rows: RepeatRow[] }) {
  return (
    <div className="card" data-testid="repeat-stats">
      <h2>Repeat runs</h2>
      <p className="card-sub">p50 / p95 over each lane’s runs. Variability compares the answers’ wording (word pairs shared between runs) and their lengths.</p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Lane</th>
              <th scope="col" className="num">
                Runs
              </th>
              <th scope="col">TTFT p50 / p95</th>
              <th scope="col">Decode p50 / p95</th>
              <th scope="col">Total p50 / p95</th>
              <th scope="col">Output variability</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const v = r.aggregate.variability
              return (
                <tr key={r.key}>
                  <td>
                    <span className="swatch" style={{ background: r.color }} /> {r.label}
                  </td>
                  <td className="num">{r.aggregate.runs}</td>
                  <td>{pair(r.aggregate.ttft, fmtMs)}</td>
                  <td>{pair(r.aggregate.decode, fmtRate)}</td>
                  <td>{pair(r.aggregate.total, fmtMs)}</td>
                  <td data-testid="variability">
                    {v ? (
                      <>
                        <span className={`badge ${v.level === 'identical' || v.level === 'low' ? 'ok' : v.level === 'moderate' ? 'warn' : 'danger'}`}>
                          {v.level}
                        </span>{' '}
                        {fmtPercent(v.dissimilarity)} different · {v.distinct} distinct of {v.runs}
                        {v.lengthCv !== null ? <span className="muted"> · length ±{fmtPercent(v.lengthCv)}</span> : null}
                      </>
                    ) : (
                      <span className="muted">needs two finished runs</span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </div>
  )
}
