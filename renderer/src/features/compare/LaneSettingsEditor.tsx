import type { LaneSettings } from './lanes'

/** Per-lane request parameters; an empty field leaves the API's default. */
export function LaneSettingsEditor({ value, onChange, reasoning }: { value: LaneSettings; onChange: (v: LaneSettings) => void; reasoning: boolean }) {
  const num = (text: string, int: boolean): number | null => {
    if (!text.trim()) return null
    const n = Number(text)
    if (!Number.isFinite(n)) return null
    return int ? Math.round(n) : n
  }
  const field = (
    key: 'temperature' | 'topP' | 'maxCompletionTokens' | 'seed',
    label: string,
    opts: { int?: boolean; min?: number; max?: number; step?: number; placeholder: string },
  ) => (
    <label className="lane-param">
      <span>{label}</span>
      <input
        className="input mono"
        type="number"
        min={opts.min}
        max={opts.max}
        step={opts.step}
        placeholder={opts.placeholder}
        value={value[key] ?? ''}
        onChange={(e) => {
          let n = num(e.target.value, !!opts.int)
          if (n !== null && opts.min !== undefined) n = Math.max(opts.min, n)
          if (n !== null && opts.max !== undefined) n = Math.min(opts.max, n)
          onChange({ ...value, [key]: n })
        }}
      />
    </label>
  )
  return (
    <div className="lane-params" data-testid="lane-params">
      {field('temperature', 'temperature', { min: 0, max: 2, step: 0.1, placeholder: 'default' })}
      {field('topP', 'top_p', { min: 0, max: 1, step: 0.05, placeholder: 'default' })}
      {field('maxCompletionTokens', 'max tokens', { int: true, min: 1, max: 1_000_000, placeholder: 'model max' })}
      {field('seed', 'seed', { int: true, placeholder: 'random' })}
      {reasoning ? (
        <label className="lane-param">
          <span>reasoning</span>
          <select
            className="input"
            value={value.reasoningEffort ?? ''}
            onChange={(e) => onChange({ ...value, reasoningEffort: (e.target.value || null) as LaneSettings['reasoningEffort'] })}
          >
            <option value="">default</option>
            <option value="low">low</option>
            <option value="medium">medium</option>
            <option value="high">high</option>
          </select>
        </label>
      ) : null}
    </div>
  )
}
