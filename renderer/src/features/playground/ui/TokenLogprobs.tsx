import { fmtDecimal, fmtInt, fmtPercent, plural } from '@renderer/lib/format'
import type { TokenLogprob } from '@shared/ipc/domains/chat'
import { memo, useMemo } from 'react'

/**
 * An answer's tokens shaded by how sure the model was of each (p = e^logprob),
 * with the alternatives on hover: where a model hesitated is where a prompt
 * is worth working on. Drawn once when opened, never while streaming.
 */

/** More tokens than this are summarised, not drawn (a span each would slow the page). */
const MAX_DRAWN = 10_000

/** Probability bands, most to least certain. */
const BANDS = [
  { min: 0.9, label: '≥ 90%' },
  { min: 0.6, label: '60–90%' },
  { min: 0.3, label: '30–60%' },
  { min: 0, label: '< 30%' },
] as const

const band = (p: number) => BANDS.findIndex((b) => p >= b.min)
const shown = (token: string) => JSON.stringify(token).slice(1, -1)

function titleOf(t: TokenLogprob, p: number): string {
  const lines = [`"${shown(t.token)}"  ${fmtPercent(p)}  (logprob ${fmtDecimal(t.logprob, 3)})`]
  const others = (t.top ?? []).filter((a) => a.token !== t.token)
  if (others.length) lines.push('alternatives:', ...others.map((a) => `  "${shown(a.token)}"  ${fmtPercent(Math.exp(a.logprob))}`))
  return lines.join('\n')
}

export const TokenLogprobs = memo(function TokenLogprobs({ tokens }: { tokens: readonly TokenLogprob[] }) {
  const stats = useMemo(() => {
    const n = tokens.length
    const sum = tokens.reduce((s, t) => s + t.logprob, 0)
    const counts = [0, 0, 0, 0]
    for (const t of tokens) counts[band(Math.exp(t.logprob))]++
    return { n, meanP: n ? tokens.reduce((s, t) => s + Math.exp(t.logprob), 0) / n : 0, perplexity: n ? Math.exp(-sum / n) : 0, counts }
  }, [tokens])
  const drawn = tokens.length > MAX_DRAWN ? tokens.slice(0, MAX_DRAWN) : tokens

  return (
    <div className="pg-logprobs" data-testid="logprobs">
      <div className="pg-logprobs-head">
        <span>
          {plural(stats.n, 'token')} · mean p {fmtPercent(stats.meanP)} · perplexity {fmtDecimal(stats.perplexity, 2)}
        </span>
        <span className="grow" />
        {BANDS.map((b, i) => (
          <span key={b.label} className={`lp-legend lp-b${i}`} title={plural(stats.counts[i], 'token')}>
            {b.label} <b>{stats.counts[i]}</b>
          </span>
        ))}
      </div>
      <div className="pg-logprobs-text">
        {drawn.map((t, i) => {
          const p = Math.exp(t.logprob)
          return (
            <span key={i} className={`lp lp-b${band(p)}`} title={titleOf(t, p)} data-testid="logprob-token">
              {t.token}
            </span>
          )
        })}
      </div>
      {tokens.length > MAX_DRAWN ? <div className="pg-logprobs-note">The first {fmtInt(MAX_DRAWN)} tokens are drawn; the figures above count all.</div> : null}
    </div>
  )
})
