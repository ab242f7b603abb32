import { fmtMs, fmtRate } from '@renderer/lib/format'
import { Dialog } from '@renderer/ui/Dialog'
import type { BatchCell, BatchSnapshot } from '@shared/ipc/domains/compare'
import { memo, useState } from 'react'

import { cellAt, describeAssertion, passCounts } from './export'

const PAGE = 100

/** Rows are inputs, columns are models; each cell has the answer, its figures and its checks. */
export const BatchMatrix = memo(function BatchMatrix({
  snapshot,
  inputs,
  labels,
}: {
  snapshot: BatchSnapshot
  inputs: Record<string, string>[]
  labels: Record<string, string>
}) {
  const [shown, setShown] = useState(PAGE)
  const [open, setOpen] = useState<{ row: number; laneId: string } | null>(null)
  const counts = passCounts(snapshot)
  const firstColumn = Object.keys(inputs[0] ?? {})[0]
  const rows = Math.min(snapshot.rowCount, shown)
  const openCell = open ? cellAt(snapshot, open.row, open.laneId) : undefined

  return (
    <div className="card matrix-card">
      <div className="table-scroll">
        <table className="data-table matrix" data-testid="batch-matrix" data-rows={snapshot.rowCount} data-columns={snapshot.lanes.length}>
          <thead>
            <tr>
              <th scope="col">Input</th>
              {snapshot.lanes.map((l) => {
                const byAssertion = counts[l.laneId] ?? {}
                return (
                  <th scope="col" key={l.laneId} data-testid="matrix-column">
                    <div className="mono">{labels[l.laneId] ?? l.model}</div>
                    <div className="pass-counts">
                      {snapshot.assertions
                        .filter((a) => byAssertion[a.id])
                        .map((a) => {
                          const c = byAssertion[a.id]
                          const all = c.checked > 0 && c.passed === c.checked
                          return (
                            <span
                              key={a.id}
                              className={`badge ${c.checked === 0 ? '' : all ? 'ok' : 'danger'}`}
                              title={describeAssertion(a)}
                              data-testid="pass-count"
                              data-assertion={a.id}
                            >
                              {describeAssertion(a).slice(0, 24)} {c.passed}/{c.checked}
                            </span>
                          )
                        })}
                    </div>
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, row) => (
              <tr key={row} data-testid="matrix-row">
                <th scope="row" className="matrix-input" title={JSON.stringify(inputs[row] ?? {})}>
                  <span className="muted small">{row + 1}</span> {firstColumn ? inputs[row]?.[firstColumn] : ''}
                </th>
                {snapshot.lanes.map((l) => {
                  const cell = cellAt(snapshot, row, l.laneId)
                  return <MatrixCell key={l.laneId} cell={cell} onOpen={() => setOpen({ row, laneId: l.laneId })} />
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {snapshot.rowCount > rows ? (
        <button className="btn ghost" onClick={() => setShown((s) => s + PAGE)}>
          Show {Math.min(PAGE, snapshot.rowCount - rows)} more of {snapshot.rowCount - rows}
        </button>
      ) : null}
      {openCell ? (
        <Dialog
          title={`Input ${openCell.row + 1} · ${labels[openCell.laneId] ?? openCell.model}`}
          onClose={() => setOpen(null)}
          className="cell-dialog"
          testId="cell-dialog"
        >
          <pre className="cell-full">{openCell.output ?? openCell.error?.message ?? ''}</pre>
          <ul className="cell-checks">
            {openCell.assertions.map((r) => {
              const a = snapshot.assertions.find((x) => x.id === r.id)
              return (
                <li key={r.id} className={r.pass ? 'pass' : 'fail'}>
                  {r.pass ? '✓' : '✗'} {a ? describeAssertion(a) : r.id}
                  {r.detail ? <span className="muted"> — {r.detail}</span> : null}
                </li>
              )
            })}
          </ul>
          <div className="row">
            <span className="grow" />
            <button className="btn" onClick={() => setOpen(null)}>
              Close
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  )
})

function MatrixCell({ cell, onOpen }: { cell: BatchCell | undefined; onOpen: () => void }) {
  if (!cell) return <td className="cell queued muted">queued</td>
  const failed = cell.assertions.filter((a) => !a.pass).length
  return (
    <td className={`cell ${cell.status}`} onClick={onOpen} data-testid="matrix-cell" data-status={cell.status}>
      {cell.status === 'queued' || cell.status === 'running' ? (
        <span className="muted">
          {cell.status === 'running' ? 'running…' : cell.rateLimitWaits ? `waiting (rate limit ×${cell.rateLimitWaits})` : 'queued'}
        </span>
      ) : (
        <>
          <div className="cell-text">{cell.output ? cell.output.slice(0, 220) : cell.error ? cell.error.message.slice(0, 220) : ''}</div>
          <div className="cell-meta muted small">
            {cell.metrics ? `${fmtMs(cell.metrics.totalMs)} · ${fmtRate(cell.metrics.decodeTokensPerSec)}` : null}
            {cell.status === 'cancelled' ? ' · cancelled' : null}
            {cell.assertions.length ? (
              <span className={failed ? 'fail' : 'pass'}>
                {' '}
                · {cell.assertions.length - failed}/{cell.assertions.length} checks
              </span>
            ) : null}
          </div>
        </>
      )}
    </td>
  )
}
