import { FALLBACK_STRATEGIES, RETRY_ON, type YamlPath } from '@shared/policy'

import { Icon } from '../../ui/Icon'
import { addTarget, moveListItem, removeListItem, setSecretRef, setValue } from './doc-edit'
import { editForm } from './doc-store'
import { Choice, NumberField, TextField } from './fields'
import type { FormModel, TargetEntry } from './form-model'
import { ReorderList } from './ReorderList'

/** Provider targets in primary/fallback order, and the fallback settings. */

const set = (path: YamlPath, value: unknown) => editForm(setValue(path, value), path.join('.'))

function TargetCard({ t }: { t: TargetEntry }) {
  const base = ['providers', 'targets', t.index]
  const cerebras = t.provider === 'cerebras' || t.provider.startsWith('cerebras:')
  const shorthand = t.provider.startsWith('cerebras:chat:')
  return (
    <div className="pol-target" data-testid={`target-${t.index}`}>
      <div className="pol-target-head">
        <span className={`badge ${t.index === 0 ? 'ok' : ''}`}>{t.index === 0 ? 'Primary' : `Fallback ${t.index}`}</span>
        <strong className="mono">{t.id || '(no id)'}</strong>
        <span className="pol-dim">{t.effectiveModel ?? ''}</span>
        <span className="grow" />
        <button
          type="button"
          className="btn icon ghost"
          aria-label={`Remove target ${t.id}`}
          onClick={() => editForm(removeListItem(['providers', 'targets'], t.index), 'targets.remove')}
        >
          <Icon name="trash" size={14} />
        </button>
      </div>
      <div className="pol-grid">
        <TextField label="Id" value={t.id} mono onChange={(v) => set([...base, 'id'], v)} />
        <TextField
          label="Provider"
          value={t.provider}
          mono
          placeholder="cerebras:chat:<model>, openai, …"
          onChange={(v) => set([...base, 'provider'], v)}
          testId={`target-${t.index}-provider`}
        />
        <TextField label="Model" value={t.model} mono placeholder={shorthand ? 'from the provider' : 'required'} onChange={(v) => set([...base, 'model'], v)} />
        <TextField
          label="Base URL"
          value={t.baseUrl}
          mono
          placeholder={cerebras ? 'https://api.cerebras.ai/v1' : t.provider === 'openai' ? 'https://api.openai.com/v1' : 'required'}
          onChange={(v) => set([...base, 'base_url'], v)}
        />
        <Choice
          label="Key from"
          value={t.secretSource === 'none' ? undefined : t.secretSource}
          options={['env', 'store']}
          fallback="none"
          onChange={(v) =>
            editForm(
              v
                ? setSecretRef(t.index, v as 'env' | 'store', t.secretName || (v === 'env' ? 'CEREBRAS_API_KEY' : 'cerebras'))
                : setValue([...base, 'secret_key_ref'], undefined),
              `${base.join('.')}.ref`,
            )
          }
        />
        <TextField
          label={t.secretSource === 'store' ? 'Stored key name' : 'Environment variable'}
          value={t.secretName}
          mono
          disabled={t.secretSource === 'none'}
          onChange={(v) => editForm(setSecretRef(t.index, t.secretSource === 'store' ? 'store' : 'env', v), `${base.join('.')}.ref.name`)}
        />
      </div>
    </div>
  )
}

export function ProvidersForm({ model }: { model: FormModel }) {
  const fb = model.fallback
  const retryOn = fb?.retry_on ?? []
  return (
    <section className="pol-section" aria-labelledby="pol-providers">
      <div className="pol-section-head">
        <h2 id="pol-providers">Provider targets</h2>
        <button
          type="button"
          className="btn pol-small"
          onClick={() => editForm(addTarget(model.targets.map((t) => t.id)), 'targets.add')}
          data-testid="add-target"
        >
          <Icon name="plus" size={13} /> Add target
        </button>
      </div>
      <p className="pol-hint">The first target is primary; the others are tried in this order when it fails. Drag, or Alt+↑/↓ on a focused row.</p>
      {model.targets.length ? (
        <ReorderList
          items={model.targets}
          keyOf={(t) => `t:${t.id}:${model.targets.filter((x) => x.id === t.id).indexOf(t)}`}
          nameOf={(t) => t.id || 'target'}
          label="Provider targets, in order"
          onMove={(from, to) => editForm(moveListItem(['providers', 'targets'], from, to), 'targets.move')}
          render={(t) => <TargetCard t={t} />}
          testId="targets-list"
        />
      ) : (
        <p className="pol-hint">No targets: the gateway needs at least one (the app's own requests go to the endpoint in Settings).</p>
      )}
      <h3 className="pol-sub">Fallback</h3>
      <div className="pol-grid">
        <Choice
          label="Strategy"
          value={fb?.strategy}
          options={FALLBACK_STRATEGIES}
          fallback="ordered"
          onChange={(v) => set(['providers', 'fallback', 'strategy'], v)}
          testId="fallback-strategy"
        />
        <NumberField
          label="Max retries (0–10)"
          value={fb?.max_retries}
          integer
          min={0}
          max={10}
          onChange={(v) => set(['providers', 'fallback', 'max_retries'], v)}
        />
      </div>
      <fieldset className="pol-checks">
        <legend>Retry on</legend>
        {RETRY_ON.map((r) => (
          <label key={r} className="pol-check">
            <input
              type="checkbox"
              checked={retryOn.includes(r)}
              onChange={(e) => {
                const next = e.target.checked ? RETRY_ON.filter((x) => x === r || retryOn.includes(x)) : retryOn.filter((x) => x !== r)
                set(['providers', 'fallback', 'retry_on'], next.length ? next : undefined)
              }}
            />
            {r}
          </label>
        ))}
      </fieldset>
    </section>
  )
}
