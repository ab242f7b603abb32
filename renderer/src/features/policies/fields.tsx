import { type ReactNode, useEffect, useId, useRef, useState } from 'react'

import { Icon } from '../../ui/Icon'

/**
 * Form controls for the visual editor. Each writes to the shared document
 * as the user types; a field being typed in keeps its own text until it
 * loses focus (so "0." is not turned into "0" under the cursor), and shows
 * the document's value otherwise, so YAML edits appear at once.
 */

function useDraft(value: string): [string, (v: string) => void, { onFocus: () => void; onBlur: () => void }] {
  const [draft, setDraft] = useState(value)
  const focused = useRef(false)
  useEffect(() => {
    if (!focused.current) setDraft(value)
  }, [value])
  return [
    draft,
    setDraft,
    {
      onFocus: () => (focused.current = true),
      onBlur: () => {
        focused.current = false
        setDraft(value)
      },
    },
  ]
}

export function Field({ label, hint, children, htmlFor }: { label: string; hint?: ReactNode; children: ReactNode; htmlFor?: string }) {
  return (
    <div className="pol-field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint ? <div className="pol-hint">{hint}</div> : null}
    </div>
  )
}

export function TextField(props: {
  label: string
  value: string | undefined
  onChange: (v: string) => void
  placeholder?: string
  hint?: ReactNode
  mono?: boolean
  testId?: string
  disabled?: boolean
}) {
  const id = useId()
  const [draft, setDraft, focus] = useDraft(props.value ?? '')
  return (
    <Field label={props.label} hint={props.hint} htmlFor={id}>
      <input
        id={id}
        className={`input${props.mono ? ' mono' : ''}`}
        value={draft}
        placeholder={props.placeholder}
        disabled={props.disabled}
        data-testid={props.testId}
        spellCheck={false}
        {...focus}
        onChange={(e) => {
          setDraft(e.target.value)
          props.onChange(e.target.value)
        }}
      />
    </Field>
  )
}

/** A number; empty removes the key (the default applies), anything unparsable is not written. */
export function NumberField(props: {
  label: string
  value: number | undefined
  onChange: (v: number | undefined) => void
  min?: number
  max?: number
  step?: number
  integer?: boolean
  placeholder?: string
  hint?: ReactNode
  testId?: string
}) {
  const id = useId()
  const [draft, setDraft, focus] = useDraft(props.value === undefined ? '' : String(props.value))
  const n = Number(draft)
  const invalid = draft.trim() !== '' && (!Number.isFinite(n) || (props.integer && !Number.isInteger(n)))
  return (
    <Field
      label={props.label}
      hint={invalid ? <span className="pol-invalid">Not a{props.integer ? ' whole' : ''} number; not written.</span> : props.hint}
      htmlFor={id}
    >
      <input
        id={id}
        className="input mono pol-number"
        inputMode="decimal"
        value={draft}
        placeholder={props.placeholder}
        aria-invalid={invalid || undefined}
        data-testid={props.testId}
        {...focus}
        onChange={(e) => {
          const v = e.target.value
          setDraft(v)
          if (v.trim() === '') props.onChange(undefined)
          else {
            const num = Number(v)
            if (Number.isFinite(num) && (!props.integer || Number.isInteger(num))) props.onChange(num)
          }
        }}
      />
    </Field>
  )
}

/** A boolean with a default: shows the effective value and whether it is set in the file. */
export function Toggle(props: {
  label: string
  value: boolean | undefined
  fallback: boolean
  onChange: (v: boolean | undefined) => void
  hint?: ReactNode
  testId?: string
}) {
  const effective = props.value ?? props.fallback
  return (
    <div className="pol-toggle">
      <label className="switch">
        <input type="checkbox" checked={effective} onChange={(e) => props.onChange(e.target.checked)} data-testid={props.testId} />
        <span>{props.label}</span>
      </label>
      {props.value === undefined ? (
        <span className="pol-default">default</span>
      ) : (
        <button type="button" className="pol-reset" onClick={() => props.onChange(undefined)} title="Remove from the file (use the default)">
          reset
        </button>
      )}
      {props.hint ? <div className="pol-hint">{props.hint}</div> : null}
    </div>
  )
}

/** A choice among allowed values; "default" removes the key. */
export function Choice(props: {
  label: string
  value: string | undefined
  options: readonly string[]
  fallback?: string
  onChange: (v: string | undefined) => void
  hint?: ReactNode
  testId?: string
}) {
  const id = useId()
  const unknown = props.value !== undefined && !props.options.includes(props.value)
  return (
    <Field
      label={props.label}
      hint={unknown ? <span className="pol-invalid">“{props.value}” is not one of the allowed values.</span> : props.hint}
      htmlFor={id}
    >
      <select id={id} className="input" value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value || undefined)} data-testid={props.testId}>
        <option value="">{props.fallback ? `default (${props.fallback})` : '—'}</option>
        {unknown ? <option value={props.value}>{props.value}</option> : null}
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </Field>
  )
}

/** A list of strings (patterns): edit in place, add, remove. */
export function StringList(props: {
  label: string
  items: string[]
  onChange: (index: number, value: string) => void
  onAdd: () => void
  onRemove: (index: number) => void
  placeholder?: string
  hint?: ReactNode
  testId?: string
}) {
  return (
    <div className="pol-field" data-testid={props.testId}>
      <div className="pol-list-head">
        <span className="pol-label">{props.label}</span>
        <button type="button" className="btn ghost pol-small" onClick={props.onAdd}>
          <Icon name="plus" size={13} /> Add
        </button>
      </div>
      {props.items.length === 0 ? <div className="pol-hint">None.</div> : null}
      {props.items.map((item, i) => (
        <ListRow key={i} value={item} index={i} label={props.label} placeholder={props.placeholder} onChange={props.onChange} onRemove={props.onRemove} />
      ))}
      {props.hint ? <div className="pol-hint">{props.hint}</div> : null}
    </div>
  )
}

function ListRow(props: {
  value: string
  index: number
  label: string
  placeholder?: string
  onChange: (i: number, v: string) => void
  onRemove: (i: number) => void
}) {
  const [draft, setDraft, focus] = useDraft(props.value)
  return (
    <div className="row pol-list-row">
      <input
        className="input mono"
        value={draft}
        placeholder={props.placeholder}
        aria-label={`${props.label} ${props.index + 1}`}
        spellCheck={false}
        {...focus}
        onChange={(e) => {
          setDraft(e.target.value)
          props.onChange(props.index, e.target.value)
        }}
      />
      <button type="button" className="btn icon ghost" onClick={() => props.onRemove(props.index)} aria-label={`Remove ${props.label} ${props.index + 1}`}>
        <Icon name="trash" size={14} />
      </button>
    </div>
  )
}
