import type { YamlPath } from '@shared/policy'

import { addListItem, moveFlatInjectionKeys, removeListItem, setListItem, setValue } from './doc-edit'
import { editForm } from './doc-store'
import { Choice, NumberField, StringList, TextField, Toggle } from './fields'
import { bool, get, num, str } from './form-model'

/**
 * One form per enforced policy kind, writing into `policy.<kind>`. Fields
 * show the document's values; a field left at its default is not written.
 */

const set = (path: YamlPath, value: unknown) => editForm(setValue(path, value), path.join('.'))
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [])

function PatternList({
  label,
  path,
  items,
  placeholder,
  hint,
  testId,
}: {
  label: string
  path: YamlPath
  items: unknown
  placeholder?: string
  hint?: string
  testId?: string
}) {
  return (
    <StringList
      label={label}
      items={strings(items)}
      placeholder={placeholder}
      hint={hint}
      testId={testId}
      onChange={(i, v) => editForm(setListItem(path, i, v), `${path.join('.')}.${i}`)}
      onAdd={() => editForm(addListItem(path, ''), `${path.join('.')}.add`)}
      onRemove={(i) => editForm(removeListItem(path, i), `${path.join('.')}.remove`)}
    />
  )
}

export function PromptInjectionForm({ block }: { block: unknown }) {
  const base = ['policy', 'prompt-injection']
  const flat = get(block, ['attack_patterns']) !== undefined || get(block, ['embedding_threshold']) !== undefined
  return (
    <div className="pol-kind-form" data-testid="form-prompt-injection">
      {flat ? (
        <div className="callout warn pol-callout">
          <span>
            <code>attack_patterns</code> / <code>embedding_threshold</code> are written flat; they belong under <code>detection:</code>.
          </span>
          <button type="button" className="btn pol-small" onClick={() => editForm(moveFlatInjectionKeys(), 'pi.flat')}>
            Move under detection
          </button>
        </div>
      ) : null}
      <div className="pol-grid">
        <Choice
          label="Action"
          value={str(get(block, ['response', 'action']))}
          options={['block', 'log', 'escalate']}
          fallback="block"
          onChange={(v) => set([...base, 'response', 'action'], v)}
          testId="pi-action"
        />
        <NumberField
          label="Threshold (0–1)"
          value={num(get(block, ['detection', 'embedding_threshold']))}
          min={0}
          max={1}
          placeholder="0.7"
          onChange={(v) => set([...base, 'detection', 'embedding_threshold'], v)}
          testId="pi-threshold"
        />
      </div>
      <TextField
        label="Block message"
        value={str(get(block, ['response', 'message']))}
        placeholder="Request blocked: potential prompt injection detected"
        onChange={(v) => set([...base, 'response', 'message'], v)}
      />
      <div className="pol-toggles">
        <Toggle
          label="Decode base64, hex, URL-encoding"
          value={bool(get(block, ['encoding', 'decode_base64']))}
          fallback
          onChange={(v) => set([...base, 'encoding', 'decode_base64'], v)}
        />
        <Toggle
          label="Normalise Unicode"
          value={bool(get(block, ['encoding', 'normalize_unicode']))}
          fallback
          onChange={(v) => set([...base, 'encoding', 'normalize_unicode'], v)}
        />
        <Toggle
          label="Fold homoglyphs"
          value={bool(get(block, ['encoding', 'detect_homoglyphs']))}
          fallback
          onChange={(v) => set([...base, 'encoding', 'detect_homoglyphs'], v)}
        />
        <Toggle
          label="Reject fake boundaries"
          value={bool(get(block, ['boundaries', 'reject_fake_boundaries']))}
          fallback
          onChange={(v) => set([...base, 'boundaries', 'reject_fake_boundaries'], v)}
        />
        <Toggle
          label="Role labels are boundaries"
          value={bool(get(block, ['boundaries', 'enforce_delimiters']))}
          fallback={false}
          onChange={(v) => set([...base, 'boundaries', 'enforce_delimiters'], v)}
        />
      </div>
      <PatternList
        label="Attack patterns"
        path={[...base, 'detection', 'attack_patterns']}
        items={get(block, ['detection', 'attack_patterns'])}
        placeholder="regular expression, e.g. developer mode"
        hint="Matched case-insensitively on the normalised text; a match is an attack."
      />
    </div>
  )
}

export function PiiForm({ block }: { block: unknown }) {
  const base = ['policy', 'pii-detector']
  const patterns = get(block, ['detect_patterns'])
  const named = Array.isArray(patterns) && patterns.some((p) => typeof p !== 'string')
  return (
    <div className="pol-kind-form" data-testid="form-pii-detector">
      <div className="pol-grid">
        <Choice
          label="Action"
          value={str(get(block, ['action']))}
          options={['redact', 'block']}
          fallback="redact"
          onChange={(v) => set([...base, 'action'], v)}
          testId="pii-action"
        />
        <Choice
          label="Markers"
          value={str(get(block, ['redaction', 'marker_format']))}
          options={['label', 'asterisks', 'partial']}
          fallback="label"
          onChange={(v) => set([...base, 'redaction', 'marker_format'], v)}
          testId="pii-marker"
        />
      </div>
      <div className="pol-toggles">
        <Toggle
          label="PCI mode (cards, CVV, cardholder)"
          value={bool(get(block, ['pci_mode']))}
          fallback
          onChange={(v) => set([...base, 'pci_mode'], v)}
          testId="pii-pci"
        />
        <Toggle
          label="Healthcare mode (MRN, insurance, NPI)"
          value={bool(get(block, ['healthcare_mode']))}
          fallback={false}
          onChange={(v) => set([...base, 'healthcare_mode'], v)}
        />
        <Toggle
          label="Numbered markers"
          value={bool(get(block, ['redaction', 'include_metadata']))}
          fallback={false}
          onChange={(v) => set([...base, 'redaction', 'include_metadata'], v)}
        />
        <Toggle
          label="Preserve length"
          value={bool(get(block, ['redaction', 'preserve_length']))}
          fallback={false}
          onChange={(v) => set([...base, 'redaction', 'preserve_length'], v)}
        />
      </div>
      {named ? (
        <div className="pol-hint">Custom detectors with names ({'{name, pattern, score}'}) are edited in YAML.</div>
      ) : (
        <PatternList
          label="Custom patterns"
          path={[...base, 'detect_patterns']}
          items={patterns}
          placeholder="e.g. EMP-\d{6}"
          hint="Each match is redacted as CUSTOM."
        />
      )}
    </div>
  )
}

export function AuditForm({ block }: { block: unknown }) {
  const base = ['policy', 'audit-logger']
  return (
    <div className="pol-kind-form" data-testid="form-audit-logger">
      <div className="pol-grid">
        <NumberField
          label="Retention (days)"
          value={num(get(block, ['retention_days']))}
          integer
          min={1}
          max={36500}
          placeholder="365"
          hint="HIPAA 2190, SOX 2555."
          onChange={(v) => set([...base, 'retention_days'], v)}
          testId="audit-retention"
        />
      </div>
      <div className="pol-toggles">
        <Toggle label="Immutable (tamper-evident)" value={bool(get(block, ['immutable']))} fallback onChange={(v) => set([...base, 'immutable'], v)} />
        <Toggle label="Log all access" value={bool(get(block, ['log_all_access']))} fallback={false} onChange={(v) => set([...base, 'log_all_access'], v)} />
        <Toggle
          label="HIPAA audit controls"
          value={bool(get(block, ['hipaa_audit_controls']))}
          fallback={false}
          onChange={(v) => set([...base, 'hipaa_audit_controls'], v)}
        />
      </div>
      <div className="pol-hint">
        Every request under this policy goes into the tamper-evident audit log — from the gateway, and from the playground, compare and batch when the policy is
        applied in the app (Gateway → Audit log). Verdicts are also saved with each run in History.
      </div>
    </div>
  )
}

export function TokenBudgetForm({ block }: { block: unknown }) {
  const base = ['policy', 'token-budget']
  return (
    <div className="pol-kind-form" data-testid="form-token-budget">
      <div className="pol-grid">
        <NumberField
          label="Max prompt tokens"
          value={num(get(block, ['max_prompt_tokens']))}
          integer
          min={1}
          onChange={(v) => set([...base, 'max_prompt_tokens'], v)}
        />
        <NumberField
          label="Max completion tokens"
          value={num(get(block, ['max_completion_tokens']))}
          integer
          min={1}
          onChange={(v) => set([...base, 'max_completion_tokens'], v)}
        />
        <NumberField
          label="Max total tokens"
          value={num(get(block, ['max_total_tokens']))}
          integer
          min={1}
          onChange={(v) => set([...base, 'max_total_tokens'], v)}
        />
        <Choice
          label="Over a cap"
          value={str(get(block, ['action']))}
          options={['clamp', 'block']}
          fallback="clamp"
          onChange={(v) => set([...base, 'action'], v)}
        />
      </div>
    </div>
  )
}

export function PatternsForm({ kind, block }: { kind: 'deny-patterns' | 'allow-patterns'; block: unknown }) {
  const base = ['policy', kind]
  return (
    <div className="pol-kind-form" data-testid={`form-${kind}`}>
      <PatternList
        label="Patterns"
        path={[...base, 'patterns']}
        items={get(block, ['patterns'])}
        placeholder="regular expression"
        hint={kind === 'deny-patterns' ? 'A message matching any of them is denied.' : 'Every scanned message must match at least one.'}
      />
      <div className="pol-grid">
        {kind === 'deny-patterns' ? (
          <Choice
            label="Action"
            value={str(get(block, ['action']))}
            options={['block', 'log']}
            fallback="block"
            onChange={(v) => set([...base, 'action'], v)}
          />
        ) : null}
        <TextField label="Block message" value={str(get(block, ['message']))} onChange={(v) => set([...base, 'message'], v)} />
      </div>
      <Toggle
        label="Scan every role (not only user)"
        value={bool(get(block, ['match_all_roles']))}
        fallback={false}
        onChange={(v) => set([...base, 'match_all_roles'], v)}
      />
    </div>
  )
}

export function KindForm({ kind, block }: { kind: string; block: unknown }) {
  switch (kind) {
    case 'prompt-injection':
      return <PromptInjectionForm block={block} />
    case 'pii-detector':
      return <PiiForm block={block} />
    case 'audit-logger':
      return <AuditForm block={block} />
    case 'token-budget':
      return <TokenBudgetForm block={block} />
    case 'deny-patterns':
    case 'allow-patterns':
      return <PatternsForm kind={kind} block={block} />
    default:
      return null
  }
}
