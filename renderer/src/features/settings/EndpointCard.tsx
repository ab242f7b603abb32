import { DEFAULT_BASE_URL } from '@shared/ipc/domains/settings'
import { useEffect, useState } from 'react'

import { api } from '../../api'
import { describeError } from '../../lib/notify'
import { useAppStore } from '../../lib/store'
import { Icon } from '../../ui/Icon'

export function EndpointCard() {
  const view = useAppStore((s) => s.settings)
  const setSettings = useAppStore((s) => s.setSettings)
  const saved = view?.settings.baseUrl ?? ''
  const [draft, setDraft] = useState(saved)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => setDraft(saved), [saved])

  const save = async (baseUrl: string) => {
    setError(null)
    try {
      setSettings(await api.settingsUpdate({ baseUrl: baseUrl.trim() }))
    } catch (err) {
      // Keep what the user typed; show why it was refused.
      setError(describeError(err))
    }
  }

  const update = async (patch: { msgpack?: boolean; gzip?: boolean }) => {
    try {
      setSettings(await api.settingsUpdate({ compression: patch }))
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <>
      <div className="card">
        <h2>Endpoint</h2>
        <p className="card-sub">Where requests go. To try the app without a key, turn on the demo endpoint above instead.</p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            void save(draft)
          }}
        >
          <input
            className="input mono"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-label="Base URL"
            data-testid="base-url-input"
            spellCheck={false}
          />
          <button className="btn primary" type="submit" disabled={draft.trim() === saved}>
            Save
          </button>
          <button className="btn ghost" type="button" onClick={() => void save(DEFAULT_BASE_URL)} disabled={saved === DEFAULT_BASE_URL}>
            Reset
          </button>
        </form>
        {view?.baseUrlSource === 'env' ? (
          <div className="callout info">
            <Icon name="info" />
            <span>
              CEREBRAS_BASE_URL is set, so requests go to <code>{view.effectiveBaseUrl}</code> whatever is saved here.
            </span>
          </div>
        ) : null}
        {error ? (
          <div className="callout danger" role="alert">
            <Icon name="warning" />
            <span>{error}</span>
          </div>
        ) : null}
      </div>
      <div className="card">
        <h2>Request compression</h2>
        <p className="card-sub">
          Cerebras accepts MessagePack and gzip request bodies. Small requests are always sent as plain JSON, where encoding would cost more than it saves.
        </p>
        <div className="grid-2">
          <label className="switch">
            <input
              type="checkbox"
              checked={view?.settings.compression.msgpack ?? true}
              onChange={(e) => void update({ msgpack: e.target.checked })}
              data-testid="msgpack-switch"
            />
            <span>
              <strong>MessagePack</strong> <span className="hint">Content-Type: application/vnd.msgpack</span>
            </span>
          </label>
          <label className="switch">
            <input
              type="checkbox"
              checked={view?.settings.compression.gzip ?? true}
              onChange={(e) => void update({ gzip: e.target.checked })}
              data-testid="gzip-switch"
            />
            <span>
              <strong>gzip</strong> <span className="hint">Content-Encoding: gzip</span>
            </span>
          </label>
        </div>
      </div>
    </>
  )
}
