import { CATALOG_ONLY_KINDS, ENFORCED_KINDS, isCatalogOnlyKind, isEnforcedKind, KIND_INFO, type YamlPath } from '@shared/policy'
import { useMemo, useState } from 'react'
import { useStore } from 'zustand'

import { Icon } from '../../ui/Icon'
import { addBlock, addToChain, deleteBlock, moveListItem, removeFromChain, setValue } from './doc-edit'
import { docStore, editForm } from './doc-store'
import { TextField, Toggle } from './fields'
import { type ChainEntry, formModel } from './form-model'
import { KindForm } from './KindForms'
import { ProvidersForm } from './ProvidersForm'
import { ReorderList } from './ReorderList'

/**
 * The visual side of the Policies screen: pack, the chain (reorderable),
 * a form per enforced kind, provider targets and fallback. It renders from
 * the shared document and writes every change back into it.
 */

const set = (path: YamlPath, value: unknown) => editForm(setValue(path, value), path.join('.'))

function ChainRow({ entry }: { entry: ChainEntry }) {
  return (
    <div className="pol-chain-row">
      <span className="pol-chain-pos">{entry.index + 1}</span>
      <span className="mono pol-chain-kind">{entry.kind || '(empty)'}</span>
      {entry.status === 'enforced' ? (
        entry.hasBlock ? null : (
          <span className="badge" title="No policy block: it runs with its defaults">
            defaults
          </span>
        )
      ) : entry.status === 'catalog' ? (
        <span className="badge warn" title="A Keeptrusts catalog kind: kept in the file, not enforced here">
          not enforced here
        </span>
      ) : (
        <span className="badge danger">unknown kind</span>
      )}
      <span className="grow" />
      <button
        type="button"
        className="btn icon ghost"
        aria-label={`Remove ${entry.kind} from the chain`}
        onClick={() => editForm(removeFromChain(entry.index), 'chain.remove')}
      >
        <Icon name="close" size={13} />
      </button>
    </div>
  )
}

export function PolicyForm() {
  const lint = useStore(docStore, (s) => s.lint)
  const formError = useStore(docStore, (s) => s.formError)
  const model = useMemo(() => formModel(lint), [lint])
  const [adding, setAdding] = useState('')
  const inChain = new Set(model.chain.map((c) => c.kind))
  const addable = [...ENFORCED_KINDS, ...CATALOG_ONLY_KINDS].filter((k) => !inChain.has(k))
  const kindsWithForms = [...new Set([...model.chain.map((c) => c.kind), ...model.unchained])].filter((k) => k)

  return (
    <div className="pol-form" data-testid="policy-form">
      {!model.editable ? (
        <div className="callout warn" role="status" data-testid="form-disabled">
          <Icon name="warning" />
          <span>{model.reason}</span>
        </div>
      ) : null}
      {formError ? (
        <div className="callout danger" role="alert">
          <Icon name="warning" />
          <span>{formError}</span>
        </div>
      ) : null}
      <fieldset className="pol-fieldset" disabled={!model.editable}>
        <section className="pol-section" aria-labelledby="pol-pack">
          <h2 id="pol-pack">Pack</h2>
          <div className="pol-grid">
            <TextField label="Name" value={model.pack.name} mono onChange={(v) => set(['pack', 'name'], v)} testId="pack-name" />
            <TextField
              label="Version"
              value={model.pack.version}
              mono
              placeholder="0.1.0"
              onChange={(v) => set(['pack', 'version'], v)}
              testId="pack-version"
            />
          </div>
          <Toggle label="Enabled" value={model.pack.enabled} fallback onChange={(v) => set(['pack', 'enabled'], v)} testId="pack-enabled" />
        </section>

        <section className="pol-section" aria-labelledby="pol-chain">
          <h2 id="pol-chain">Chain</h2>
          <p className="pol-hint">Evaluated in this order on every request. Drag a row, or focus it and press Alt+↑/↓.</p>
          {model.chain.length ? (
            <ReorderList
              items={model.chain}
              keyOf={(c) => `c:${c.kind}:${model.chain.filter((x) => x.kind === c.kind).indexOf(c)}`}
              nameOf={(c) => c.kind}
              label="Policy chain, in order of evaluation"
              onMove={(from, to) => editForm(moveListItem(['policies', 'chain'], from, to), 'chain.move')}
              render={(c) => <ChainRow entry={c} />}
              testId="chain-list"
            />
          ) : (
            <p className="pol-hint">The chain is empty: requests pass unchecked.</p>
          )}
          <div className="row pol-add">
            <select className="input" value={adding} onChange={(e) => setAdding(e.target.value)} aria-label="Policy kind to add" data-testid="chain-add-kind">
              <option value="">Add a policy…</option>
              <optgroup label="Enforced here">
                {addable.filter(isEnforcedKind).map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Keeptrusts catalog (kept, not enforced here)">
                {addable
                  .filter((k) => !isEnforcedKind(k))
                  .map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
              </optgroup>
            </select>
            <button
              type="button"
              className="btn"
              disabled={!adding}
              onClick={() => {
                if (editForm(addToChain(adding), 'chain.add')) setAdding('')
              }}
              data-testid="chain-add"
            >
              <Icon name="plus" size={13} /> Add
            </button>
          </div>
        </section>

        {kindsWithForms.map((kind) => {
          const block = model.blocks[kind]
          const chained = inChain.has(kind)
          const enforced = isEnforcedKind(kind)
          return (
            <section key={kind} className="pol-section" aria-label={`${kind} settings`} data-testid={`kind-${kind}`}>
              <div className="pol-section-head">
                <h3 className="mono">{kind}</h3>
                {!chained ? <span className="badge warn">not in the chain</span> : null}
                <span className="grow" />
                {!chained ? (
                  <>
                    <button type="button" className="btn pol-small" onClick={() => editForm(addToChain(kind), 'chain.add')}>
                      Add to chain
                    </button>
                    <button type="button" className="btn pol-small danger" onClick={() => editForm(deleteBlock(kind), 'block.delete')}>
                      Delete settings
                    </button>
                  </>
                ) : enforced && block === undefined ? (
                  <button type="button" className="btn pol-small" onClick={() => editForm(addBlock(kind), 'block.add')}>
                    Add settings
                  </button>
                ) : null}
              </div>
              {enforced ? (
                <>
                  <p className="pol-hint">{KIND_INFO[kind].summary}</p>
                  <KindForm kind={kind} block={block ?? {}} />
                </>
              ) : isCatalogOnlyKind(kind) ? (
                <p className="pol-hint" data-testid="not-enforced">
                  A Keeptrusts catalog kind: this app keeps it in the file exactly as written, but does not enforce it. Edit its settings in YAML.
                </p>
              ) : (
                <p className="pol-hint pol-invalid">Not a known policy kind (see the problems under the YAML).</p>
              )}
            </section>
          )
        })}

        <ProvidersForm model={model} />
      </fieldset>
    </div>
  )
}
