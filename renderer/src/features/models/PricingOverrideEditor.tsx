import type { MergedModel } from '@shared/catalog/merge'
import { useState } from 'react'

import { setPricingOverride, useCatalogStore } from '../../lib/catalog-store'
import { describeError } from '../../lib/notify'
import { useAppStore } from '../../lib/store'

/** Enter your own price for a model billed by a tier plan (or at a negotiated rate). */
export function PricingOverrideEditor({ model }: { model: MergedModel }) {
  const existing = useCatalogStore((s) => s.overrides[model.id] ?? s.overrides[model.canonicalId])
  const [input, setInput] = useState(existing?.inputPer1M?.toString() ?? '')
  const [output, setOutput] = useState(existing?.outputPer1M?.toString() ?? '')
  const [note, setNote] = useState(existing?.note ?? '')
  const [error, setError] = useState<string | null>(null)
  const notify = useAppStore((s) => s.notify)

  const parse = (text: string): number | null | 'bad' => {
    if (!text.trim()) return null
    const n = Number(text)
    return Number.isFinite(n) && n >= 0 && n <= 10_000 ? n : 'bad'
  }

  const save = async () => {
    const i = parse(input)
    const o = parse(output)
    if (i === 'bad' || o === 'bad') return setError('Prices are USD per 1M tokens: a number from 0 to 10,000.')
    if (i === null && o === null) return setError('Enter an input or an output price (or remove the override).')
    setError(null)
    try {
      await setPricingOverride(model.id, { inputPer1M: i, outputPer1M: o, ...(note.trim() ? { note: note.trim().slice(0, 200) } : {}) })
      notify('info', `Saved your price for ${model.id}.`)
    } catch (err) {
      setError(describeError(err))
    }
  }

  const remove = async () => {
    try {
      await setPricingOverride(model.id, null)
      setInput('')
      setOutput('')
      setNote('')
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <div className="override-editor" data-testid="pricing-override">
      <div className="label">Your price (USD per 1M tokens)</div>
      <div className="row">
        <input
          className="input mono"
          inputMode="decimal"
          placeholder="input"
          aria-label="Your input price per 1M tokens"
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
        <input
          className="input mono"
          inputMode="decimal"
          placeholder="output"
          aria-label="Your output price per 1M tokens"
          value={output}
          onChange={(e) => setOutput(e.target.value)}
        />
        <input className="input" placeholder="note (e.g. our contract)" aria-label="Note" value={note} onChange={(e) => setNote(e.target.value)} />
        <button className="btn primary" onClick={() => void save()}>
          Save
        </button>
        {existing ? (
          <button className="btn ghost" onClick={() => void remove()}>
            Remove
          </button>
        ) : null}
      </div>
      <div className="hint">
        For models billed by tier plans with no public price. Your price wins over every published one and is marked “yours” wherever costs are shown.
      </div>
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  )
}
