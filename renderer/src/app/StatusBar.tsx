import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'

import { RateLimitGauges } from '../features/playground/RateLimitGauges'
import { PolicyPicker } from '../features/policies/PolicyPicker'
import { refocusAfterDemoSwitch, stopDemo, useDemo, watchDemo } from '../lib/demo'
import { useAppStore } from '../lib/store'
import { DemoBadge } from '../ui/DemoBadge'
import { Icon } from '../ui/Icon'

export function StatusBar() {
  const { keyStatus, settings, go } = useAppStore(useShallow((s) => ({ keyStatus: s.keyStatus, settings: s.settings, go: s.go })))
  const demo = useDemo((s) => s.status)
  const demoBusy = useDemo((s) => s.busy)
  const demoError = useDemo((s) => s.error)
  const notify = useAppStore((s) => s.notify)
  useEffect(() => {
    void watchDemo()
  }, [])
  // A demo switch that failed (from any screen) is said once, here.
  useEffect(() => {
    if (demoError) notify('error', demoError)
  }, [demoError, notify])
  const keyLabel = !keyStatus
    ? 'Checking key…'
    : keyStatus.configured
      ? `API key ••••${keyStatus.hint ?? ''} (${keyStatus.source === 'env' ? 'CEREBRAS_API_KEY' : keyStatus.source === 'session' ? 'this run only' : 'stored'})`
      : 'No API key'
  const keyDot = !keyStatus ? '' : !keyStatus.configured ? 'danger' : keyStatus.protected || keyStatus.source === 'env' ? 'ok' : 'warn'
  return (
    <footer className="statusbar" role="contentinfo" aria-label="Status bar">
      <button
        className="item"
        onClick={() => go('settings')}
        data-testid="status-key"
        title={demo?.active ? 'Not used while the demo endpoint is on. Open Settings' : 'Open Settings'}
      >
        <span className={`dot ${keyDot}`} />
        {keyLabel}
        {demo?.active && keyStatus?.configured ? ' — not used by the demo' : ''}
      </button>
      {demo?.active ? (
        <span className="item" data-testid="status-demo">
          <DemoBadge testId="status-demo-badge" />
          <span title="The built-in demo endpoint: a local fake server with made-up answers and figures">
            Demo endpoint <span className="mono">{demo.baseUrl}</span> — made-up answers and figures
          </span>
          <button
            className="btn ghost statusbar-btn"
            onClick={() => void stopDemo().then(refocusAfterDemoSwitch)}
            aria-busy={demoBusy}
            data-testid="status-demo-stop"
          >
            Turn off demo
          </button>
        </span>
      ) : (
        <span className="item" data-testid="status-base-url" title="API base URL">
          <Icon name="link" size={12} />
          {settings ? settings.effectiveBaseUrl : '…'}
          {settings?.baseUrlSource === 'env' ? ' (CEREBRAS_BASE_URL)' : ''}
        </span>
      )}
      <span className="grow" />
      <RateLimitGauges />
      <PolicyPicker />
    </footer>
  )
}
