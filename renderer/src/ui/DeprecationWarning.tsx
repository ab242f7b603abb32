import './deprecation-warning.css'

import { useEffect } from 'react'

import { ensureCatalogLoaded, useMergedModel } from '../lib/catalog-store'
import { Icon } from './Icon'

/**
 * The warning to put next to any model picker (playground, compare, policy
 * targets): shown for a retired, soon-retiring or deprecated model, with the
 * suggested replacement and, when `onReplace` is given, a button to switch.
 */
export function DeprecationWarning({ model, onReplace, compact = false }: { model: string; onReplace?: (replacement: string) => void; compact?: boolean }) {
  useEffect(() => {
    void ensureCatalogLoaded()
  }, [])
  const row = useMergedModel(model.trim() || null)
  const d = row?.deprecation
  if (!d) return null
  const severe = d.state === 'retired' || d.state === 'past-due' || d.soon
  return (
    <div className={`callout ${severe ? 'danger' : 'warn'} deprecation-warning${compact ? ' compact' : ''}`} role="status" data-testid="deprecation-warning">
      <Icon name="warning" />
      <span className="grow">{d.message}</span>
      {onReplace && d.replacement && d.replacement !== model ? (
        <button className="btn" onClick={() => onReplace(d.replacement!)}>
          Use {d.replacement}
        </button>
      ) : null}
    </div>
  )
}
