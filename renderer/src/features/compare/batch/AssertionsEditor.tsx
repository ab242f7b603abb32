import { Icon } from '@renderer/ui/Icon'
import type { Assertion } from '@shared/ipc/domains/compare'
import { useState } from 'react'

type Kind = Assertion['kind']

const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'contains', label: 'contains' },
  { kind: 'regex', label: 'matches regex' },
  { kind: 'json', label: 'is valid JSON' },
  { kind: 'json_schema', label: 'matches JSON schema' },
  { kind: 'max_latency', label: 'latency at most (ms)' },
]

function blank(kind: Kind, id: string, laneId?: string): Assertion {
  const base = { id, ...(laneId ? { laneId } : {}) }
  switch (kind) {
    case 'contains':
      return { ...base, kind, text: 'x' }
    case 'regex':
      return { ...base, kind, pattern: '.+' }
    case 'json':
      return { ...base, kind }
    case 'json_schema':
      return { ...base, kind, schema: { type: 'object' } }
    case 'max_latency':
      return { ...base, kind, ms: 2000 }
  }
}

function nextId(list: readonly Assertion[]): string {
  let n = list.length + 1
  while (list.some((a) => a.id === `a${n}`)) n++
  return `a${n}`
}

/** Checks per column: contains, regex, valid JSON, JSON schema, max latency. */
export function AssertionsEditor({
  value,
  onChange,
  columns,
}: {
  value: Assertion[]
  onChange: (v: Assertion[]) => void
  columns: { laneId: string; label: string }[]
}) {
  const set = (i: number, a: Assertion) => onChange(value.map((x, j) => (j === i ? a : x)))
  return (
    <div className="assertions" data-testid="assertions">
      {value.map((a, i) => (
        <AssertionRow key={a.id} assertion={a} columns={columns} onChange={(next) => set(i, next)} onRemove={() => onChange(value.filter((_, j) => j !== i))} />
      ))}
      <button
        className="btn ghost"
        onClick={() => onChange([...value, blank('contains', nextId(value))])}
        disabled={value.length >= 20}
        data-testid="add-assertion"
      >
        <Icon name="plus" size={14} /> Assertion
      </button>
    </div>
  )
}

function AssertionRow({
  assertion: a,
  columns,
  onChange,
  onRemove,
}: {
  assertion: Assertion
  columns: { laneId: string; label: string }[]
  onChange: (a: Assertion) => void
  onRemove: () => void
}) {
  const [schemaText, setSchemaText] = useState(a.kind === 'json_schema' ? JSON.stringify(a.schema, null, 2) : '')
  const [schemaError, setSchemaError] = useState<string | null>(null)
  return (
    <div className="assertion-row" data-testid="assertion-row">
      <select className="input" aria-label="Column" value={a.laneId ?? ''} onChange={(e) => onChange({ ...a, laneId: e.target.value || undefined })}>
        <option value="">every column</option>
        {columns.map((c) => (
          <option key={c.laneId} value={c.laneId}>
            {c.label}
          </option>
        ))}
      </select>
      <select
        className="input"
        aria-label="Check"
        value={a.kind}
        onChange={(e) => {
          const next = blank(e.target.value as Kind, a.id, a.laneId)
          if (next.kind === 'json_schema') setSchemaText(JSON.stringify(next.schema, null, 2))
          onChange(next)
        }}
        data-testid="assertion-kind"
      >
        {KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      {a.kind === 'contains' ? (
        <>
          <input
            className="input grow"
            aria-label="Text"
            value={a.text}
            onChange={(e) => onChange({ ...a, text: e.target.value || ' ' })}
            data-testid="assertion-value"
          />
          <label className="chip-toggle">
            <input type="checkbox" checked={!!a.caseSensitive} onChange={(e) => onChange({ ...a, caseSensitive: e.target.checked })} />
            Aa
          </label>
        </>
      ) : null}
      {a.kind === 'regex' ? (
        <>
          <input
            className="input mono grow"
            aria-label="Pattern"
            value={a.pattern}
            onChange={(e) => onChange({ ...a, pattern: e.target.value || '.' })}
            data-testid="assertion-value"
          />
          <label className="chip-toggle" title="Ignore case">
            <input type="checkbox" checked={!!a.ignoreCase} onChange={(e) => onChange({ ...a, ignoreCase: e.target.checked })} />i
          </label>
        </>
      ) : null}
      {a.kind === 'max_latency' ? (
        <input
          className="input mono"
          type="number"
          min={1}
          aria-label="Milliseconds"
          value={a.ms}
          onChange={(e) => onChange({ ...a, ms: Math.max(1, Number(e.target.value) || 1) })}
          data-testid="assertion-value"
        />
      ) : null}
      {a.kind === 'json_schema' ? (
        <div className="grow">
          <textarea
            className="input mono schema-text"
            aria-label="JSON schema"
            value={schemaText}
            onChange={(e) => {
              setSchemaText(e.target.value)
              try {
                const parsed = JSON.parse(e.target.value) as unknown
                if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('a schema is a JSON object')
                setSchemaError(null)
                onChange({ ...a, schema: parsed as Record<string, unknown> })
              } catch (err) {
                setSchemaError(err instanceof Error ? err.message : String(err))
              }
            }}
          />
          {schemaError ? <div className="field-error">Not used until it is valid JSON: {schemaError}</div> : null}
        </div>
      ) : null}
      {a.kind === 'json' ? <span className="grow muted small">the answer (or a ```json block) parses as JSON</span> : null}
      <button className="btn icon ghost" title="Remove" onClick={onRemove}>
        <Icon name="trash" size={14} />
      </button>
    </div>
  )
}
