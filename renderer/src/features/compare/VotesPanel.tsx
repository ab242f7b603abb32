import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'

import { fmtDateTime, fmtPercent, plural } from '../../lib/format'
import { loadVotes, useVotes } from './votes-store'

/** Every pair of models the user has voted on, with wins, ties and losses. */
export function VotesPanel() {
  const { pairs, total, error, loaded } = useVotes(useShallow((s) => ({ pairs: s.pairs, total: s.total, error: s.error, loaded: s.loaded })))
  useEffect(() => {
    void loadVotes()
  }, [])
  return (
    <div className="card" data-testid="votes-panel">
      <h2>Blind votes</h2>
      <p className="card-sub">
        {plural(total, 'vote')} over {plural(pairs.length, 'pair')}. Each pair counts votes whichever side each model was shown on; wins are the first model’s.
      </p>
      {error ? <div className="callout danger">{error}</div> : null}
      {loaded && pairs.length === 0 && !error ? <p className="muted">No votes yet: turn on Blind mode with two lanes, run, and vote.</p> : null}
      {pairs.length ? (
        <div className="table-scroll">
          <table className="data-table" data-testid="votes-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">vs</th>
                <th scope="col" className="num">
                  Wins
                </th>
                <th scope="col" className="num">
                  Ties
                </th>
                <th scope="col" className="num">
                  Losses
                </th>
                <th scope="col" className="num">
                  Both bad
                </th>
                <th scope="col" className="num">
                  Votes
                </th>
                <th scope="col">Win rate</th>
                <th scope="col">Last vote</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((p) => {
                const decided = p.winsA + p.winsB + p.ties
                const rate = decided ? (p.winsA + p.ties / 2) / decided : null
                return (
                  <tr key={`${p.modelA}|${p.modelB}`} data-pair={`${p.modelA}|${p.modelB}`}>
                    <td className="mono">{p.modelA}</td>
                    <td className="mono">{p.modelB}</td>
                    <td className="num">{p.winsA}</td>
                    <td className="num">{p.ties}</td>
                    <td className="num">{p.winsB}</td>
                    <td className="num">{p.bothBad}</td>
                    <td className="num">{p.total}</td>
                    <td>
                      {rate === null ? (
                        <span className="muted">—</span>
                      ) : (
                        <span className="winrate" title={`${fmtPercent(rate)} for ${p.modelA} (ties count half)`}>
                          {/* The bar shows the figure beside it at a glance; the figure is what is read out. */}
                          <span className="winbar" aria-hidden="true">
                            <span style={{ width: `${rate * 100}%` }} />
                          </span>
                          {fmtPercent(rate)}
                        </span>
                      )}
                    </td>
                    <td className="muted">{fmtDateTime(Date.parse(p.lastVoteAt))}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  )
}
