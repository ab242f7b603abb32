import { callCostUsd, type MergedModel } from '@shared/catalog/merge'
import { useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'

import { useCatalogStore } from '../../lib/catalog-store'
import { DASH, fmtInt, fmtMs, fmtRate, fmtUsd, plural } from '../../lib/format'
import { endpointName } from '../../lib/measured'
import { countPromptTokens } from '../../lib/tokens/count-tokens'
import { type TokenizerFamily, tokenizerFor } from '../../lib/tokens/families'
import { DemoBadge } from '../../ui/DemoBadge'

type Mode = 'tokens' | 'prompt'

interface FamilyCount {
  tokens: number | null
  error?: string
}

/**
 * Cost per call and per 1,000 calls for every model side by side, from token
 * counts or a pasted prompt (counted with each model family's tokenizer),
 * with the published speed next to the user's own measured medians.
 */
export function CostCalculator() {
  const { catalog, measured } = useCatalogStore(useShallow((s) => ({ catalog: s.catalog, measured: s.measured })))
  const measuredEndpoint = Object.values(measured)[0]?.endpoint ?? null
  const [mode, setMode] = useState<Mode>('tokens')
  const [promptTokens, setPromptTokens] = useState('1000')
  const [outputTokens, setOutputTokens] = useState('500')
  const [prompt, setPrompt] = useState('')
  const [includeRetired, setIncludeRetired] = useState(false)
  const [counts, setCounts] = useState<Partial<Record<TokenizerFamily, FamilyCount>>>({})

  const models = useMemo(
    () => catalog.models.filter((m) => !m.dedicatedOnly && (includeRetired || m.deprecation?.state !== 'retired')),
    [catalog, includeRetired],
  )
  const families = useMemo(() => [...new Set(models.map((m) => tokenizerFor(m.id).family))], [models])

  // Count the pasted prompt once per tokenizer family, after typing pauses.
  useEffect(() => {
    if (mode !== 'prompt') return
    let cancelled = false
    const timer = setTimeout(() => {
      for (const family of families) {
        // Counted in the token worker, so pasting a long prompt never blocks the page.
        countPromptTokens(family, [{ text: prompt, message: true }], () => cancelled).then(
          (tokens) => {
            if (tokens === null) return
            setCounts((c) => ({ ...c, [family]: { tokens: prompt ? tokens : 0 } }))
          },
          (err: unknown) => {
            if (!cancelled) setCounts((c) => ({ ...c, [family]: { tokens: null, error: err instanceof Error ? err.message : String(err) } }))
          },
        )
      }
    }, 250)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [mode, prompt, families])

  const out = parseCount(outputTokens)
  const fixedIn = parseCount(promptTokens)

  return (
    <div className="card" data-testid="cost-calculator">
      <h2>Cost calculator</h2>
      <p className="card-sub">
        Prices are per the merged catalog (your own prices first). Measured figures are medians of your saved runs
        {measuredEndpoint ? ` on ${endpointName(measuredEndpoint)}, the endpoint in use` : ' on the endpoint in use'}.
      </p>
      <div className="calc-inputs">
        <div className="segmented" role="group" aria-label="Input">
          <button aria-pressed={mode === 'tokens'} onClick={() => setMode('tokens')}>
            Token counts
          </button>
          <button aria-pressed={mode === 'prompt'} onClick={() => setMode('prompt')} data-testid="calc-mode-prompt">
            Paste a prompt
          </button>
        </div>
        {mode === 'tokens' ? (
          <label className="field inline">
            <span className="label">Input tokens per call</span>
            <input
              className="input mono"
              inputMode="numeric"
              value={promptTokens}
              onChange={(e) => setPromptTokens(e.target.value)}
              data-testid="calc-input-tokens"
            />
          </label>
        ) : null}
        <label className="field inline">
          <span className="label">Output tokens per call</span>
          <input
            className="input mono"
            inputMode="numeric"
            value={outputTokens}
            onChange={(e) => setOutputTokens(e.target.value)}
            data-testid="calc-output-tokens"
          />
        </label>
        <label className="switch">
          <input type="checkbox" checked={includeRetired} onChange={(e) => setIncludeRetired(e.target.checked)} />
          Include retired models
        </label>
      </div>
      {mode === 'prompt' ? (
        <textarea
          className="input calc-prompt"
          placeholder="Paste a prompt: it is counted with each model family's own tokenizer"
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          data-testid="calc-prompt"
        />
      ) : null}
      <div className="table-scroll">
        <table className="data-table calc-table" data-testid="calc-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Input tokens</th>
              <th scope="col" className="num">
                Per call
              </th>
              <th scope="col" className="num">
                Per 1,000 calls
              </th>
              <th scope="col">Published speed</th>
              <th scope="col">Your decode (median)</th>
              <th scope="col">Your TTFT (median)</th>
              <th scope="col" className="num" title="Your TTFT + output tokens at your measured speed (or the published one)">
                Time per call
              </th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => {
              const choice = tokenizerFor(m.id)
              const count = counts[choice.family]
              const input = mode === 'tokens' ? fixedIn : (count?.tokens ?? null)
              return (
                <CalcRow
                  key={m.id}
                  model={m}
                  input={input}
                  output={out}
                  tokenizer={mode === 'prompt' ? `${choice.exact ? '' : '≈ '}${choice.label}` : null}
                  countError={mode === 'prompt' ? count?.error : undefined}
                  measured={measured[m.id]}
                />
              )
            })}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function parseCount(text: string): number | null {
  const n = Number(text.replace(/[,_\s]/g, ''))
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null
}

function CalcRow({
  model: m,
  input,
  output,
  tokenizer,
  countError,
  measured,
}: {
  model: MergedModel
  input: number | null
  output: number | null
  tokenizer: string | null
  countError?: string
  measured?: { decodeTokensPerSecP50: number | null; ttftMsP50: number | null; runs: number; demo?: boolean }
}) {
  const perCall = input === null || output === null ? null : callCostUsd(m, input, output)
  const speed = measured?.decodeTokensPerSecP50 ?? m.speed.published?.value ?? null
  const time = output === null || !speed ? null : (measured?.ttftMsP50 ?? 0) + (output / speed) * 1000
  return (
    <tr data-model={m.id}>
      <td>
        <span className="mono">{m.id}</span>
        {m.pricing.userOverride ? <span className="badge warn yours">your price</span> : null}
      </td>
      <td>
        {tokenizer && input === null && !countError ? <span className="muted">counting…</span> : fmtInt(input)}
        {tokenizer ? <div className="muted small">{countError ? `tokenizer failed: ${countError}` : tokenizer}</div> : null}
      </td>
      <td className="num" data-testid="cost-per-call">
        {perCall === null ? (
          <span className="muted" title="No price known: add your own in the Models table">
            {DASH}
          </span>
        ) : (
          fmtUsd(perCall)
        )}
      </td>
      <td className="num">{perCall === null ? <span className="muted">{DASH}</span> : fmtUsd(perCall * 1000)}</td>
      <td>{fmtRate(m.speed.published?.value)}</td>
      <td>
        {measured?.decodeTokensPerSecP50 != null ? (
          <>
            {fmtRate(measured.decodeTokensPerSecP50)} {measured.demo ? <DemoBadge testId="calc-demo-badge" /> : null}{' '}
            <span className="muted small">({plural(measured.runs, 'run')})</span>
          </>
        ) : (
          <span className="muted">{DASH}</span>
        )}
      </td>
      <td>{fmtMs(measured?.ttftMsP50)}</td>
      <td className="num">{fmtMs(time)}</td>
    </tr>
  )
}
