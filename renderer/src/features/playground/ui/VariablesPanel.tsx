import { memo, useMemo } from 'react'

import { selectPane, setVariable, usePlayground } from '../playground-store'
import { findVariables, promptTexts } from '../variables'

/** A field for each `{{name}}` in the prompt; an empty one blocks sending. */
export const VariablesPanel = memo(function VariablesPanel({ paneId }: { paneId: string }) {
  const doc = usePlayground((s) => selectPane(paneId)(s)?.doc)
  const composer = usePlayground((s) => selectPane(paneId)(s)?.composer ?? '')
  const names = useMemo(() => (doc ? findVariables(promptTexts(doc, [composer])) : []), [doc, composer])
  if (!doc) return null
  return (
    <div className="pg-vars" data-testid="variables">
      {names.length === 0 ? (
        <p className="hint">
          Write <code>{'{{name}}'}</code> in the system prompt or a message to get a field here; values are filled in before sending.
        </p>
      ) : (
        names.map((n) => {
          const value = doc.variables[n] ?? ''
          return (
            <div key={n} className="field pg-field">
              <label htmlFor={`var-${paneId}-${n}`} className="mono">
                {`{{${n}}}`}
                {!value ? <span className="badge warn pg-var-missing">needs a value</span> : null}
              </label>
              <textarea
                id={`var-${paneId}-${n}`}
                className="input pg-textarea pg-var-input"
                rows={1}
                value={value}
                onChange={(e) => setVariable(paneId, n, e.target.value)}
                data-testid={`variable-${n}`}
              />
            </div>
          )
        })
      )}
    </div>
  )
})
