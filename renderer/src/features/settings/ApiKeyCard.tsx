import { useDemo } from '../../lib/demo'
import { useAppStore } from '../../lib/store'
import { Icon } from '../../ui/Icon'
import { KeyEntry } from '../../ui/KeyEntry'

const SOURCE_TEXT = {
  stored: 'Stored on this computer, encrypted by the main process.',
  session: 'Kept in memory for this run of the web host only.',
  env: 'Read from the CEREBRAS_API_KEY environment variable (no key is stored).',
  none: 'No key yet. Paste a key from cloud.cerebras.ai, or set CEREBRAS_API_KEY.',
} as const

export function ApiKeyCard() {
  const status = useAppStore((s) => s.keyStatus)
  const setKeyStatus = useAppStore((s) => s.setKeyStatus)
  const baseUrl = useAppStore((s) => s.settings?.effectiveBaseUrl ?? null)
  const demoOn = useDemo((s) => s.status?.active === true)

  return (
    <div className="card" data-testid="api-key-card">
      <h2>Cerebras API key</h2>
      <p className="card-sub">
        The key goes to the main process once and is never sent back to this window. <strong>Test key</strong> asks the endpoint below which models it can call.
      </p>
      {status ? (
        <dl className="kv" style={{ marginBottom: 14 }}>
          <dt>Status</dt>
          <dd>
            {status.configured ? (
              <span className="badge ok" data-testid="key-configured">
                <Icon name="check" size={12} /> Configured ••••{status.hint}
              </span>
            ) : (
              <span className="badge danger" data-testid="key-missing">
                Not configured
              </span>
            )}
          </dd>
          <dt>Source</dt>
          <dd data-testid="key-source">{SOURCE_TEXT[status.source]}</dd>
          <dt>Protection</dt>
          <dd>
            <code>{status.backend}</code> {status.protected ? '— protected by the OS keyring' : '— not protected by a keyring'}
          </dd>
        </dl>
      ) : null}
      {status?.warning ? (
        <div className={`callout ${status.backend === 'basic_text' ? 'danger' : 'warn'}`} data-testid="key-warning" role="note">
          <Icon name="warning" />
          <span>{status.warning}</span>
        </div>
      ) : null}
      {demoOn ? (
        <div className="callout info" role="note" data-testid="key-demo-note">
          <Icon name="info" />
          <span>
            The demo endpoint is on: requests go there, not to Cerebras, and your key is not used until you turn it off. Testing a key still asks the real
            endpoint.
          </span>
        </div>
      ) : null}
      <KeyEntry status={status} baseUrl={baseUrl} onStatus={setKeyStatus} />
    </div>
  )
}
