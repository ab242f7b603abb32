import type { AppInfo } from '@shared/ipc/domains/app'
import { useEffect, useState } from 'react'

import { api } from '../../api'
import { useAppStore } from '../../lib/store'
import { saveTheme } from '../../lib/theme'
import { Icon } from '../../ui/Icon'
import { ScreenHeader } from '../../ui/ScreenHeader'
import { AllowedHostsCard } from './AllowedHostsCard'
import { ApiKeyCard } from './ApiKeyCard'
import { AuditSourceCard } from './AuditSourceCard'
import { DemoCard } from './DemoCard'
import { EndpointCard } from './EndpointCard'
import { HistoryRetentionCard } from './HistoryRetentionCard'

export default function SettingsScreen() {
  const loadError = useAppStore((s) => s.settings?.loadError)
  const themeChoice = useAppStore((s) => s.themeChoice)
  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    void api.appInfo({}).then(setInfo, () => setInfo(null))
  }, [])

  return (
    <section className="screen">
      <ScreenHeader
        title="Settings"
        subtitle="API key, endpoint, demo endpoint, request compression, the audit log to read, run history kept, and appearance."
      />
      {loadError ? (
        <div className="callout danger" role="alert" data-testid="settings-load-error">
          <Icon name="warning" />
          <span>{loadError.message}</span>
        </div>
      ) : null}
      <ApiKeyCard />
      <DemoCard />
      <EndpointCard />
      <AllowedHostsCard />
      <AuditSourceCard />
      <HistoryRetentionCard />
      <div className="card">
        <h2>Appearance</h2>
        <p className="card-sub">Follows the operating system unless you choose otherwise.</p>
        <div className="segmented" role="group" aria-label="Theme">
          {(['system', 'light', 'dark'] as const).map((t) => (
            <button key={t} aria-pressed={themeChoice === t} onClick={() => void saveTheme(t)}>
              {t === 'system' ? 'System' : t === 'light' ? 'Light' : 'Dark'}
            </button>
          ))}
        </div>
      </div>
      <div className="card">
        <h2>About</h2>
        <dl className="kv">
          <dt>Version</dt>
          <dd>{info?.version ?? '—'}</dd>
          <dt>Running as</dt>
          <dd>{info ? (info.host === 'electron' ? 'Desktop app' : 'Web host (npm run web), loopback only') : '—'}</dd>
          <dt>Platform</dt>
          <dd>{info?.platform ?? '—'}</dd>
        </dl>
      </div>
    </section>
  )
}
