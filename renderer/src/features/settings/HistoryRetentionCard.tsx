import type { RetentionPolicy } from '@shared/ipc/domains/history'
import { useEffect, useState } from 'react'

import { api } from '../../api'
import { fmtBytes, fmtInt } from '../../lib/format'
import { describeError } from '../../lib/notify'

/** How much run history to keep, applied when saved, at start-up and daily; and how big the database is. */

type Kind = RetentionPolicy['kind']

const DEFAULTS: Record<Exclude<Kind, 'all'>, number> = { days: 90, runs: 10_000, megabytes: 500 }
const UNITS: Record<Exclude<Kind, 'all'>, string> = { days: 'days', runs: 'runs', megabytes: 'MB' }

function policyOf(kind: Kind, amount: number): RetentionPolicy {
  if (kind === 'days') return { kind, days: amount }
  if (kind === 'runs') return { kind, runs: amount }
  if (kind === 'megabytes') return { kind, megabytes: amount }
  return { kind: 'all' }
}

export function HistoryRetentionCard() {
  const [kind, setKind] = useState<Kind>('all')
  const [amount, setAmount] = useState('')
  const [bytes, setBytes] = useState<number | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    api.historyRetention({}).then(
      (r) => {
        setKind(r.policy.kind)
        setAmount(
          r.policy.kind === 'all' ? '' : String(r.policy.kind === 'days' ? r.policy.days : r.policy.kind === 'runs' ? r.policy.runs : r.policy.megabytes),
        )
        setBytes(r.databaseBytes)
      },
      (err: unknown) => setError(describeError(err)),
    )
  }, [])

  const n = Number(amount)
  const valid = kind === 'all' || (Number.isInteger(n) && n >= 1)
  const save = async () => {
    setBusy(true)
    setMessage(null)
    setError(null)
    try {
      const r = await api.historySetRetention({ policy: policyOf(kind, n) })
      setBytes(r.databaseBytes)
      setMessage(r.deleted ? `Saved. ${fmtInt(r.deleted)} older runs were deleted.` : 'Saved. No run needed deleting.')
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="card" data-testid="retention-card">
      <h2>Run history</h2>
      <p className="card-sub">
        How many saved runs to keep. The oldest runs beyond your choice are deleted when you save it, when the app starts and once a day; prompt versions are
        always kept. The database is compacted after a large deletion.
      </p>
      <div className="row" role="group" aria-label="Keep">
        <select
          className="input"
          value={kind}
          onChange={(e) => {
            const k = e.target.value as Kind
            setKind(k)
            if (k !== 'all') setAmount(String(DEFAULTS[k]))
          }}
          aria-label="Keep"
          data-testid="retention-kind"
        >
          <option value="all">Keep everything</option>
          <option value="days">Runs younger than…</option>
          <option value="runs">At most a number of runs</option>
          <option value="megabytes">At most a database size</option>
        </select>
        {kind !== 'all' ? (
          <>
            <input
              className="input"
              type="number"
              min={1}
              step={1}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              aria-label={`Number of ${UNITS[kind]}`}
              aria-invalid={!valid}
              data-testid="retention-amount"
            />
            <span aria-hidden="true">{UNITS[kind]}</span>
          </>
        ) : null}
        <button className="btn" onClick={() => void save()} disabled={!valid || busy} aria-busy={busy} data-testid="retention-save">
          Save
        </button>
      </div>
      <p data-testid="retention-size">Database size: {bytes === null ? '—' : fmtBytes(bytes)}</p>
      {message ? (
        <p role="status" data-testid="retention-message">
          {message}
        </p>
      ) : null}
      {error ? (
        <div className="callout danger" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  )
}
