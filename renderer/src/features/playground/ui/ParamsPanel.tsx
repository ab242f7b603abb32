import { plural } from '@renderer/lib/format'
import { DeprecationWarning } from '@renderer/ui/DeprecationWarning'
import type { PromptParams, ResponseFormatKind } from '@shared/ipc/domains/history'
import { memo, useEffect, useId } from 'react'

import { modelSupports, parseTools } from '../build-request'
import { loadSchemaValidator } from '../json-output'
import { useModelOptions } from '../model-options'
import { selectPane, setParams, usePlayground } from '../playground-store'
import { useRequestChecks } from '../request-checks'
import { strictSchemaProblems } from '../strict-schema'

/** Every request parameter of the active pane, per model (what the model does not support is hidden or refused). */

const EXAMPLE_SCHEMA = JSON.stringify(
  {
    type: 'object',
    properties: { answer: { type: 'string' }, confidence: { type: 'number' } },
    required: ['answer', 'confidence'],
    additionalProperties: false,
  },
  null,
  2,
)

const EXAMPLE_TOOLS = JSON.stringify(
  [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ],
  null,
  2,
)

function numberOrNull(raw: string, parse: (s: string) => number = Number): number | null {
  if (raw.trim() === '') return null
  const n = parse(raw)
  return Number.isFinite(n) ? n : null
}

function NumberField({
  label,
  hint,
  value,
  onChange,
  min,
  max,
  step,
  integer,
  testId,
}: {
  label: string
  hint?: string
  value: number | null
  onChange: (v: number | null) => void
  min?: number
  max?: number
  step?: number
  integer?: boolean
  testId?: string
}) {
  const id = useId()
  return (
    <div className="field pg-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input mono"
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 0.01)}
        placeholder="default"
        value={value ?? ''}
        onChange={(e) => {
          const n = numberOrNull(e.target.value, integer ? (s) => Math.trunc(Number(s)) : Number)
          onChange(n === null ? null : Math.min(max ?? Infinity, Math.max(min ?? -Infinity, n)))
        }}
        data-testid={testId}
      />
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  )
}

export const ParamsPanel = memo(function ParamsPanel({ paneId }: { paneId: string }) {
  const p = usePlayground((s) => selectPane(paneId)(s)?.doc.params)
  const options = useModelOptions()
  const listId = useId()
  // Typed tools are checked against the request's schemas, once those are in (request-checks.ts).
  const checks = useRequestChecks()
  // The schema validator loads when a schema is the response format, well before an answer needs checking.
  const schemaFormat = p?.responseFormat === 'json_schema'
  useEffect(() => {
    if (schemaFormat) void loadSchemaValidator()
  }, [schemaFormat])
  if (!p) return null
  const set = (patch: Partial<PromptParams>) => setParams(paneId, patch)
  const effort = modelSupports(p.model, 'reasoning_effort')
  const chosen = options.find((o) => o.id === p.model)
  const toolCheck = checks && p.toolsText.trim() ? parseTools(p.toolsText) : null
  let schemaProblem: string | null = null
  if (p.responseFormat === 'json_schema' && p.schemaText.trim()) {
    try {
      const schema = JSON.parse(p.schemaText)
      const problems = p.schemaStrict ? strictSchemaProblems(schema) : []
      schemaProblem = problems.length
        ? `${problems.length} strict-mode problem${problems.length > 1 ? 's' : ''}: ${problems[0].path} ${problems[0].message}`
        : null
    } catch (err) {
      schemaProblem = `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`
    }
  }
  return (
    <div className="pg-params" data-testid="params">
      <div className="field pg-field">
        <label htmlFor={`${listId}-model`}>Model</label>
        <input
          id={`${listId}-model`}
          className="input mono"
          list={listId}
          value={p.model}
          onChange={(e) => set({ model: e.target.value.trim() })}
          spellCheck={false}
          data-testid="model-input"
        />
        <datalist id={listId}>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
              {o.note ? ` — ${o.note}` : ''}
            </option>
          ))}
        </datalist>
        {chosen?.note && !chosen.retired ? <span className="hint">{chosen.note}</span> : null}
        <DeprecationWarning model={p.model} onReplace={(model) => set({ model })} compact />
      </div>
      <div className="pg-grid2">
        <NumberField
          label="temperature"
          value={p.temperature}
          min={0}
          max={2}
          step={0.1}
          onChange={(v) => set({ temperature: v })}
          testId="param-temperature"
        />
        <NumberField label="top_p" value={p.topP} min={0} max={1} step={0.05} onChange={(v) => set({ topP: v })} />
        <NumberField
          label="max_completion_tokens"
          value={p.maxCompletionTokens}
          min={1}
          max={1_000_000}
          integer
          onChange={(v) => set({ maxCompletionTokens: v })}
          testId="param-max-tokens"
        />
        <NumberField label="seed" value={p.seed} integer onChange={(v) => set({ seed: v })} />
      </div>
      <div className="field pg-field">
        <span className="label">stop (up to 4)</span>
        <div className="pg-stops">
          {[0, 1, 2, 3].map((i) => (
            <input
              key={i}
              className="input mono"
              placeholder={`stop ${i + 1}`}
              value={p.stop[i] ?? ''}
              onChange={(e) => {
                const next = [...p.stop]
                next[i] = e.target.value
                set({ stop: next.slice(0, 4).map((s) => s ?? '') })
              }}
            />
          ))}
        </div>
      </div>
      {effort !== false ? (
        <div className="field pg-field">
          <span className="label">reasoning_effort</span>
          <div className="segmented" role="group" aria-label="Reasoning effort">
            {([null, 'low', 'medium', 'high'] as const).map((e) => (
              <button key={e ?? 'default'} aria-pressed={p.reasoningEffort === e} onClick={() => set({ reasoningEffort: e })}>
                {e ?? 'default'}
              </button>
            ))}
          </div>
        </div>
      ) : p.reasoningEffort !== null ? (
        <div className="callout warn">
          {p.model} does not take reasoning_effort.{' '}
          <button className="btn ghost" onClick={() => set({ reasoningEffort: null })}>
            Clear it
          </button>
        </div>
      ) : null}
      <div className="field pg-field">
        <span className="label">response_format</span>
        <div className="segmented" role="group" aria-label="Response format">
          {(['text', 'json_object', 'json_schema'] as ResponseFormatKind[]).map((f) => (
            <button key={f} aria-pressed={p.responseFormat === f} onClick={() => set({ responseFormat: f })} data-testid={`format-${f}`}>
              {f}
            </button>
          ))}
        </div>
      </div>
      {p.responseFormat === 'json_schema' ? (
        <div className="pg-schema">
          <div className="row">
            <input
              className="input mono"
              value={p.schemaName}
              onChange={(e) => set({ schemaName: e.target.value })}
              aria-label="Schema name"
              placeholder="name"
            />
            <label className="switch">
              <input type="checkbox" checked={p.schemaStrict} onChange={(e) => set({ schemaStrict: e.target.checked })} />
              strict
            </label>
          </div>
          <textarea
            className="input pg-textarea mono pg-code-input"
            value={p.schemaText}
            placeholder={EXAMPLE_SCHEMA}
            spellCheck={false}
            onChange={(e) => set({ schemaText: e.target.value })}
            aria-label="JSON schema"
            data-testid="schema-input"
          />
          <div className="row">
            {!p.schemaText.trim() ? (
              <button className="btn ghost" onClick={() => set({ schemaText: EXAMPLE_SCHEMA })}>
                Insert an example
              </button>
            ) : null}
            {schemaProblem ? <span className="hint pg-warn-text">{schemaProblem}</span> : p.schemaText.trim() ? <span className="hint">Schema OK</span> : null}
          </div>
        </div>
      ) : null}
      <div className="field pg-field">
        <span className="label">tools (JSON function definitions)</span>
        <textarea
          className="input pg-textarea mono pg-code-input"
          value={p.toolsText}
          placeholder='[ { "type": "function", "function": { "name": … } } ]'
          spellCheck={false}
          onChange={(e) => set({ toolsText: e.target.value })}
          aria-label="Tools"
          data-testid="tools-input"
        />
        <div className="row">
          {!p.toolsText.trim() ? (
            <button className="btn ghost" onClick={() => set({ toolsText: EXAMPLE_TOOLS })}>
              Insert an example
            </button>
          ) : null}
          {p.toolsText.trim() ? (
            <div className="segmented" role="group" aria-label="tool_choice">
              {([null, 'auto', 'required', 'none'] as const).map((c) => (
                <button
                  key={c ?? 'default'}
                  aria-pressed={p.toolChoice === c}
                  onClick={() => set({ toolChoice: c })}
                  data-testid={`tool-choice-${c ?? 'default'}`}
                >
                  {c ?? 'default'}
                </button>
              ))}
            </div>
          ) : null}
          {toolCheck ? (
            toolCheck.issues.length ? (
              <span className="hint pg-warn-text">{toolCheck.issues[0].message}</span>
            ) : (
              <span className="hint">{plural(toolCheck.tools.length, 'tool')}</span>
            )
          ) : null}
        </div>
      </div>
      <div className="row pg-field">
        <label className="switch">
          <input
            type="checkbox"
            checked={p.logprobs}
            onChange={(e) => set({ logprobs: e.target.checked, topLogprobs: e.target.checked ? p.topLogprobs : null })}
            data-testid="logprobs-switch"
          />
          logprobs
        </label>
        {p.logprobs ? (
          <input
            className="input mono pg-small"
            type="number"
            min={0}
            max={20}
            placeholder="top_logprobs"
            value={p.topLogprobs ?? ''}
            onChange={(e) => set({ topLogprobs: numberOrNull(e.target.value, (s) => Math.min(20, Math.max(0, Math.trunc(Number(s))))) })}
            aria-label="top_logprobs"
            data-testid="top-logprobs"
          />
        ) : null}
      </div>
    </div>
  )
})
