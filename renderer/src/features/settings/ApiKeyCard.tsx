import { useState } from 'react'
import { api } from '../../api'
import { describeError } from '../../app/bootstrap'
import { useAppStore } from '../../app/store'
import { Icon } from '../../ui/Icon'

const SOURCE_TEXT = {
  stored: 'Stored on this computer, encrypted by the main process.',
  session: 'Kept in memory for this run of the web host only.',
  env: 'Read from the CEREBRAS_API_KEY environment variable (no key is stored).',
  none: 'No key yet. Paste a key from cloud.cerebras.ai, or set CEREBRAS_API_KEY.',
} as const

export function ApiKeyCard() {
  const status = useAppStore((s) => s.keyStatus)
  const setKeyStatus = useAppStore((s) => s.setKeyStatus)
  const [draft, setDraft] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const save = async () => {
    setBusy(true)
    setError(null)
    try {
      setKeyStatus(await api.keySet({ key: draft }))
      // The key has gone to main; nothing in the renderer keeps it.
      setDraft('')
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const clear = async () => {
    setBusy(true)
    setError(null)
    try {
      setKeyStatus(await api.keyClear({}))
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="card" data-testid="api-key-card">
      <h2>Cerebras API key</h2>
      <p className="card-sub">The key goes to the main process once and is never sent back to this window.</p>
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
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
        autoComplete="off"
      >
        <input
          className="input mono"
          type="password"
          name="cerebras-api-key"
          placeholder={status?.configured ? 'Paste a new key to replace it' : 'csk-…'}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          aria-label="API key"
          data-testid="key-input"
          autoComplete="off"
          spellCheck={false}
        />
        <button className="btn primary" type="submit" disabled={busy || draft.trim().length === 0} data-testid="key-save">
          Save key
        </button>
        {status && (status.source === 'stored' || status.source === 'session') ? (
          <button className="btn danger" type="button" onClick={() => void clear()} disabled={busy}>
            Forget
          </button>
        ) : null}
      </form>
      {error ? (
        <div className="callout danger" role="alert" data-testid="key-error">
          <Icon name="warning" />
          <span>{error}</span>
        </div>
      ) : null}
    </div>
  )
}
