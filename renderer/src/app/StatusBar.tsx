import { useShallow } from 'zustand/react/shallow'
import { RateLimitGauges } from '../features/playground/RateLimitGauges'
import { PolicyPicker } from '../features/policies/PolicyPicker'
import { Icon } from '../ui/Icon'
import { useAppStore } from './store'

export function StatusBar() {
  const { keyStatus, settings, go } = useAppStore(useShallow((s) => ({ keyStatus: s.keyStatus, settings: s.settings, go: s.go })))
  const keyLabel = !keyStatus
    ? 'Checking key…'
    : keyStatus.configured
      ? `API key ••••${keyStatus.hint ?? ''} (${keyStatus.source === 'env' ? 'CEREBRAS_API_KEY' : keyStatus.source === 'session' ? 'this run only' : 'stored'})`
      : 'No API key'
  const keyDot = !keyStatus ? '' : !keyStatus.configured ? 'danger' : keyStatus.protected || keyStatus.source === 'env' ? 'ok' : 'warn'
  return (
    <footer className="statusbar" role="contentinfo" aria-label="Status bar">
      <button className="item" onClick={() => go('settings')} data-testid="status-key" title="Open Settings">
        <span className={`dot ${keyDot}`} />
        {keyLabel}
      </button>
      <span className="item" data-testid="status-base-url" title="API base URL">
        <Icon name="link" size={12} />
        {settings ? settings.effectiveBaseUrl : '…'}
        {settings?.baseUrlSource === 'env' ? ' (CEREBRAS_BASE_URL)' : ''}
      </span>
      <span className="grow" />
      <RateLimitGauges />
      <PolicyPicker />
    </footer>
  )
}
