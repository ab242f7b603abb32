import type { AuditSourceView } from '@shared/ipc/domains/audit-source'
import { useEffect, useState } from 'react'

import { api } from '../../api'
import { describeError } from '../../lib/notify'
import { Icon } from '../../ui/Icon'

/**
 * Which audit log the Audit tab reads: the app's own, or a team's
 * PostgreSQL log that a fleet of gateways writes (read-only). Main keeps the
 * connection string, protected like the API key, and opens the log before
 * saving, so a wrong address or password is said at once. The password is
 * never shown back: the saved string comes back masked, and the field is
 * emptied once it is saved.
 */
export function AuditSourceCard() {
  const [view, setView] = useState<AuditSourceView | null>(null)
  const [url, setUrl] = useState('')
  const [keyFile, setKeyFile] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    void api.auditSource({}).then(
      (v) => live && setView(v),
      (err: unknown) => live && setError(describeError(err)),
    )
    return () => {
      live = false
    }
  }, [])

  const choose = async (postgres: { url: string; keyFile?: string } | null) => {
    setError(null)
    setBusy(true)
    try {
      setView(await api.auditSetSource({ postgres }))
      setUrl('')
      setKeyFile('')
    } catch (err) {
      // What was typed stays, to correct; main says why (unreachable, wrong password, not an audit log).
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="card" data-testid="audit-source-card">
      <h2>Team audit log</h2>
      <p className="card-sub">
        The Audit tab reads this app&apos;s own log, or the PostgreSQL log a fleet of gateways writes (<code>wafer gateway run --audit-db postgres://…</code>),
        read-only.
      </p>
      <p data-testid="audit-source-current">
        {view === null ? (
          '…'
        ) : view.kind === 'local' ? (
          <>
            Reading this app&apos;s own log: <code>{view.file}</code>
          </>
        ) : (
          <>
            Reading <code data-testid="audit-source-masked">{view.masked}</code> with the key file <code>{view.keyFile}</code>
            {view.hasPassword ? ' (password saved, not shown)' : ''}
          </>
        )}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void choose({ url: url.trim(), ...(keyFile.trim() ? { keyFile: keyFile.trim() } : {}) })
        }}
      >
        <div className="field">
          <label htmlFor="audit-source-url">PostgreSQL connection string</label>
          <input
            id="audit-source-url"
            className="input mono"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="postgres://user:password@host:5432/database"
            autoComplete="off"
            spellCheck={false}
            data-testid="audit-source-url"
          />
        </div>
        <div className="field">
          <label htmlFor="audit-source-key-file">Key file (optional: for MAC checks and searches for exact values)</label>
          <input
            id="audit-source-key-file"
            className="input mono"
            value={keyFile}
            onChange={(e) => setKeyFile(e.target.value)}
            placeholder="the file given to the gateways as --audit-key-file"
            autoComplete="off"
            spellCheck={false}
            data-testid="audit-source-key-file"
          />
          <span className="muted small">Left empty: the key file in this app&apos;s data folder that wafer gateway run would use for that database.</span>
        </div>
        <div className="row">
          <button className="btn primary" type="submit" disabled={busy || !url.trim()} data-testid="audit-source-save">
            Read this log
          </button>
          {view?.kind === 'postgres' ? (
            <button className="btn ghost" type="button" disabled={busy} onClick={() => void choose(null)} data-testid="audit-source-local">
              Back to this app&apos;s own log
            </button>
          ) : null}
        </div>
      </form>
      {error ? (
        <div className="callout danger" role="alert" data-testid="audit-source-error">
          <Icon name="warning" />
          <span>{error}</span>
        </div>
      ) : null}
    </div>
  )
}
