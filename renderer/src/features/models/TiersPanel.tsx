import { LIMIT_FIELDS, limitsFromHeaders, matchTier, PUBLISHED_TIERS, type TierLimits, tierLimitsFor } from '@shared/catalog/tiers'
import type { RateLimitWindowName } from '@shared/ipc/domains/models'
import { useMemo, useState } from 'react'
import { useStore } from 'zustand'

import { useCatalogStore } from '../../lib/catalog-store'
import { DASH, fmtAgo, fmtCompact, fmtDuration, fmtInt } from '../../lib/format'
import { rateLimitStore, remainingNow, windowOf } from '../../stream/ratelimit-store'

const LABEL: Record<keyof TierLimits, string> = {
  requestsPerMinute: 'Requests / minute',
  requestsPerHour: 'Requests / hour',
  requestsPerDay: 'Requests / day',
  tokensPerMinute: 'Tokens / minute',
  tokensPerHour: 'Tokens / hour',
  tokensPerDay: 'Tokens / day',
}

const WINDOW: Record<keyof TierLimits, RateLimitWindowName> = {
  requestsPerMinute: 'requests-minute',
  requestsPerHour: 'requests-hour',
  requestsPerDay: 'requests-day',
  tokensPerMinute: 'tokens-minute',
  tokensPerHour: 'tokens-hour',
  tokensPerDay: 'tokens-day',
}

/** Published limits per tier next to the user's own, from the latest rate-limit headers. */
export function TiersPanel() {
  const byModel = useStore(rateLimitStore, (s) => s.byModel)
  const latest = useStore(rateLimitStore, (s) => s.latest)
  const catalog = useCatalogStore((s) => s.catalog)
  const models = useMemo(() => {
    const ids = new Set<string>(Object.keys(byModel))
    for (const m of catalog.models) if (m.deprecation?.state !== 'retired' && !m.dedicatedOnly) ids.add(m.id)
    return [...ids].sort()
  }, [byModel, catalog])
  const [model, setModel] = useState<string>(latest ?? 'gpt-oss-120b')
  const mine = byModel[model]
  const reported = mine ? limitsFromHeaders(mine) : null
  const tier = mine ? matchTier(mine) : null
  const now = Date.now()

  return (
    <div className="card" data-testid="tiers-panel">
      <div className="row tiers-head">
        <h2 className="grow">Rate limits by tier</h2>
        <label className="row">
          <span className="muted">Model</span>
          <select className="input" value={model} onChange={(e) => setModel(e.target.value)} aria-label="Model for limits">
            {models.map((id) => (
              <option key={id} value={id}>
                {id}
                {byModel[id] ? ' (your limits known)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="card-sub">
        Published limits apply per organisation and per model; Cerebras reserves <code>max_completion_tokens</code> up front, so a large value uses the token
        budget before anything is generated. Your own limits come from the <code>x-ratelimit-*</code> headers of your latest response.
      </p>
      <div className="table-scroll">
        <table className="data-table tiers-table">
          <thead>
            <tr>
              <th scope="col">Limit</th>
              {PUBLISHED_TIERS.map((t) => (
                <th scope="col" key={t.id} className={tier === t.id ? 'your-tier' : undefined}>
                  {t.name}
                  {tier === t.id ? <span className="badge ok">matches yours</span> : null}
                  <div className="muted small">{t.billing}</div>
                </th>
              ))}
              <th scope="col">
                Yours
                <div className="muted small">{mine ? `from headers, ${fmtAgo(mine.updatedAt)}` : 'no response seen yet'}</div>
              </th>
            </tr>
          </thead>
          <tbody>
            {LIMIT_FIELDS.map((f) => {
              const w = windowOf(mine, WINDOW[f])
              const remaining = remainingNow(w, now)
              return (
                <tr key={f}>
                  <th scope="row">{LABEL[f]}</th>
                  {PUBLISHED_TIERS.map((t) => {
                    const v = tierLimitsFor(t.id, model)[f]
                    return (
                      <td key={t.id} className={`num${tier === t.id ? ' your-tier' : ''}`}>
                        {v === null ? <span className="muted">{DASH}</span> : fmtCompact(v)}
                      </td>
                    )
                  })}
                  <td className="num">
                    {reported?.[f] != null ? (
                      <>
                        {fmtInt(remaining)} <span className="muted">of {fmtCompact(reported[f])} left</span>
                        {w?.resetsAt ? <div className="muted small">resets in {fmtDuration(Math.max(0, w.resetsAt - now))}</div> : null}
                      </>
                    ) : (
                      <span className="muted">{DASH}</span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <ul className="tier-notes muted small">
        {PUBLISHED_TIERS.map((t) => (
          <li key={t.id}>
            <b>{t.name}</b>: {t.where}, as of {t.asOf}
            {t.note ? ` — ${t.note}` : ''}
          </li>
        ))}
        {!mine ? <li>Send any request (Playground or Compare) and your own limits appear here.</li> : null}
      </ul>
    </div>
  )
}
