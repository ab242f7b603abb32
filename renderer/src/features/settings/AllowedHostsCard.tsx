import './allowed-hosts.css'

import type { KeyHostsView } from '@shared/ipc/domains/settings'
import { useEffect, useState } from 'react'

import { api } from '../../api'
import { describeError } from '../../lib/notify'
import { useAppStore } from '../../lib/store'
import { Icon } from '../../ui/Icon'

const SOURCE_LABEL: Record<KeyHostsView['hosts'][number]['source'], string> = {
  'built-in': 'Cerebras',
  env: 'environment',
  flag: '--allow-host',
  settings: 'allowed by you',
}

/**
 * Where main sends the API key: api.cerebras.ai and the hosts the user
 * allowed. The renderer only asks; main decides, with a native dialog in the
 * desktop app. In the web host a browser tab cannot allow a host, so the card
 * says which flag or variable does.
 */
export function AllowedHostsCard() {
  const effectiveBaseUrl = useAppStore((s) => s.settings?.effectiveBaseUrl)
  const [view, setView] = useState<KeyHostsView | null>(null)
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    void api.keyHosts({}).then(
      (v) => live && setView(v),
      (err: unknown) => live && setError(describeError(err)),
    )
    const off = api.on('key:hosts-changed', (v) => setView(v))
    return () => {
      live = false
      off()
    }
  }, [effectiveBaseUrl])

  const allow = async (host: string) => {
    setError(null)
    setBusy(true)
    try {
      setView(await api.keyAllowHost({ host }))
      if (host === draft) setDraft('')
    } catch (err) {
      // What the user typed stays; main says why (declined, plain http, or the web host's flag).
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const remove = async (host: string) => {
    setError(null)
    try {
      setView(await api.keyRemoveHost({ host }))
    } catch (err) {
      setError(describeError(err))
    }
  }

  const current = view?.current
  return (
    <div className="card" data-testid="allowed-hosts">
      <h2>Where your key may go</h2>
      <p className="card-sub">
        Main sends your API key only to <code>https://api.cerebras.ai</code> and to hosts you allowed. Plain http is allowed only to this machine.
      </p>
      {current && !current.allowed ? (
        <div className="callout warn" data-testid="host-not-allowed">
          <Icon name="warning" />
          <span className="host-callout-text">
            {current.refusal ?? (
              <>
                The base URL in force, <code>{current.origin}</code>, is not allowed: requests there are stopped before your key is sent.
              </>
            )}
          </span>
          {current.refusal ? null : (
            <button className="btn primary" type="button" onClick={() => void allow(current.origin)} disabled={busy} data-testid="allow-current-host">
              Allow this host
            </button>
          )}
        </div>
      ) : null}
      <ul className="host-list" aria-label="Allowed hosts">
        {(view?.hosts ?? []).map((h) => (
          <li key={h.origin}>
            <code>{h.origin}</code>
            <span className="badge">{SOURCE_LABEL[h.source]}</span>
            {h.removable ? (
              <button className="btn ghost danger" type="button" onClick={() => void remove(h.origin)} aria-label={`Remove ${h.origin}`}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          if (draft.trim()) void allow(draft.trim())
        }}
      >
        <input
          aria-label="Host to allow"
          className="input mono"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="https://your-proxy.example"
          spellCheck={false}
          data-testid="allow-host-input"
        />
        <button className="btn" type="submit" disabled={!draft.trim() || busy} data-testid="allow-host-submit">
          Allow host…
        </button>
      </form>
      {view && !view.canConfirm && !error ? (
        <p className="allow-host-how" data-testid="allow-host-how">
          {view.howToAllow}
        </p>
      ) : null}
      {error ? (
        <div className="callout danger" role="alert" data-testid="allow-host-error">
          <Icon name="warning" />
          <span>{error}</span>
        </div>
      ) : null}
    </div>
  )
}
