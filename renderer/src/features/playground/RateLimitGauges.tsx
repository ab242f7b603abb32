import './rate-limits.css'

import type { RateLimitWindow } from '@shared/ipc/domains/models'
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'

import { useBlindMask } from '../../lib/blind-mask'
import { watchRateLimits } from '../../lib/catalog-store'
import { fmtCompact, fmtDuration, fmtInt } from '../../lib/format'
import { rateLimitStore, remainingNow, secondsToReset, windowOf } from '../../stream/ratelimit-store'

/**
 * Status-bar gauges from the latest x-ratelimit-* headers: requests left
 * today and tokens left this minute, with the reset countdown. Nothing is
 * shown until a response has carried the headers.
 */

/** Whole up to 99,999 (a day's requests read exactly), compact above ("150k", "12.3M"). */
function short(n: number): string {
  return n < 100_000 ? fmtInt(n) : fmtCompact(n)
}

function Gauge({ label, w, now, testId }: { label: string; w: RateLimitWindow | undefined; now: number; testId: string }) {
  if (!w) return null
  const remaining = remainingNow(w, now)
  const fraction = remaining !== null && w.limit ? Math.max(0, Math.min(1, remaining / w.limit)) : null
  const reset = secondsToReset(w, now)
  const level = fraction === null ? '' : fraction < 0.1 ? 'danger' : fraction < 0.3 ? 'warn' : 'ok'
  return (
    <span
      className="item rl-gauge"
      data-testid={testId}
      title={`${label}: ${remaining ?? '—'} of ${w.limit ?? '—'} left; resets in ${fmtDuration(reset === null ? null : reset * 1000)}`}
    >
      <span className="rl-label">{label}</span>
      {fraction !== null ? (
        <span className="rl-bar" aria-hidden>
          <span className={`rl-fill ${level}`} style={{ width: `${Math.round(fraction * 100)}%` }} />
        </span>
      ) : null}
      <span className="rl-value">
        {remaining === null ? '—' : short(remaining)}
        {w.limit !== null ? `/${short(w.limit)}` : ''}
      </span>
      {reset !== null ? <span className="rl-reset">↻ {fmtDuration(reset === null ? null : reset * 1000)}</span> : null}
    </span>
  )
}

export function RateLimitGauges() {
  const state = useStore(rateLimitStore, (s) => (s.latest ? s.byModel[s.latest] : undefined))
  const masked = useBlindMask((m) => m.hidden)
  const [now, setNow] = useState(() => Date.now())
  useEffect(watchRateLimits, [])
  useEffect(() => {
    if (!state) return
    const t = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(t)
  }, [state])
  if (!state) return null
  return (
    <span className="rl-gauges" data-testid="status-ratelimits">
      <span className="item rl-model" title={masked ? 'The model is hidden until the blind vote' : 'Rate limits from the latest response of this model'}>
        {masked ? 'Model hidden' : state.model}
      </span>
      <Gauge label="Requests/day" w={windowOf(state, 'requests-day')} now={now} testId="rl-requests-day" />
      <Gauge label="Tokens/min" w={windowOf(state, 'tokens-minute')} now={now} testId="rl-tokens-minute" />
    </span>
  )
}
