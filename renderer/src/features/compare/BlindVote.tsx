import type { VoteVerdict } from '@shared/ipc/domains/compare'
import { useState } from 'react'

import { api } from '../../api'
import { describeError } from '../../lib/notify'
import { Icon } from '../../ui/Icon'
import { BLIND_LABELS } from './blind'
import { patchTurn, type Turn } from './session-store'
import { describePair, loadVotes } from './votes-store'

const CHOICES: { verdict: VoteVerdict; label: string }[] = [
  { verdict: 'a', label: 'A is better' },
  { verdict: 'b', label: 'B is better' },
  { verdict: 'tie', label: 'Tie' },
  { verdict: 'both_bad', label: 'Both bad' },
]

/** The pairwise vote of a blind turn; voting reveals which model was which. */
export function BlindVote({ turn, finished }: { turn: Turn; finished: boolean }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const blind = turn.blind!
  const models = blind.order.map((id) => turn.lanes[id]?.model ?? '?')
  const same = models[0] === models[1]

  const vote = async (verdict: VoteVerdict) => {
    setBusy(true)
    setError(null)
    try {
      const { pair } = await api.compareVote({ modelA: models[0], modelB: models[1], verdict, groupId: turn.groupId, promptPreview: turn.input.slice(0, 300) })
      patchTurn(turn.id, (t) => ({ ...t, blind: t.blind ? { ...t.blind, vote: verdict, pair } : t.blind }))
      void loadVotes()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  if (blind.vote) {
    return (
      <div className="card blind-card revealed" data-testid="blind-reveal">
        <h2>
          <Icon name="eye" /> Revealed
        </h2>
        <p>
          {blind.order.map((id, i) => (
            <span key={id} className="reveal-item">
              <b>{BLIND_LABELS[i]}</b> was{' '}
              <span className="mono" data-testid={`reveal-${BLIND_LABELS[i]}`}>
                {turn.lanes[id]?.model}
              </span>
            </span>
          ))}
          <span className="muted"> · you voted “{CHOICES.find((c) => c.verdict === blind.vote)?.label}”</span>
        </p>
        {blind.pair ? (
          <p className="muted" data-testid="pair-summary">
            {describePair(blind.pair)}
          </p>
        ) : null}
      </div>
    )
  }

  return (
    <div className="card blind-card" data-testid="blind-vote">
      <h2>
        <Icon name="shuffle" /> Blind vote
      </h2>
      <p className="card-sub">The lanes are shuffled and their models hidden, figures too (speed would give them away). Vote, then the names are revealed.</p>
      {same ? <div className="callout warn">Both lanes use the same model: pick two different models to vote.</div> : null}
      <div className="row">
        {CHOICES.map((c) => (
          <button key={c.verdict} className="btn" disabled={!finished || busy || same} onClick={() => void vote(c.verdict)} data-testid={`vote-${c.verdict}`}>
            {c.label}
          </button>
        ))}
        {!finished ? <span className="muted">Vote when both answers are in.</span> : null}
      </div>
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  )
}
