import { WaferError } from '@shared/ipc/errors'
import { POLICY_TEMPLATES } from '@shared/policy/templates'
import { useEffect, useState } from 'react'

import { api, host } from '../../api'
import { describeError } from '../../lib/notify'
import { Dialog } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { forgetRecent, readRecent } from './file-actions'

/**
 * Open and Save as. The web host has no native file dialog, so a path is
 * typed (absolute or ~/…), with the recent files one click away; in
 * Electron "Browse…" also offers the system dialog, through the same
 * channel (policies:pick).
 */

export function PathDialog(props: {
  mode: 'open' | 'save'
  initialPath: string
  /** Resolves to an error message to show, or null when done. */
  onSubmit: (path: string) => Promise<string | null>
  onClose: () => void
}) {
  const [path, setPath] = useState(props.initialPath)
  const [recent, setRecent] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => void readRecent().then(setRecent), [])

  const submit = async (p: string) => {
    if (!p.trim()) {
      setError('Type the path of a policy file.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      const message = await props.onSubmit(p.trim())
      if (message) setError(message)
    } catch (err) {
      setError(err instanceof WaferError ? err.message : describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const browse = async () => {
    try {
      const r = await api.policiesPick({ mode: props.mode, ...(path ? { defaultPath: path } : {}) })
      if (r.path) {
        setPath(r.path)
        if (props.mode === 'open') await submit(r.path)
      }
    } catch (err) {
      setError(describeError(err))
    }
  }

  const title = props.mode === 'open' ? 'Open a policy file' : 'Save the policy as'
  return (
    <Dialog title={title} onClose={props.onClose} testId={props.mode === 'open' ? 'open-dialog' : 'save-dialog'} className="pol-dialog-wide">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit(path)
        }}
      >
        <label className="pol-label" htmlFor="pol-path">
          File path
        </label>
        <div className="row">
          <input
            id="pol-path"
            className="input mono"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/you/policies/gateway.yaml or ~/gateway.yaml"
            spellCheck={false}
            autoComplete="off"
            data-autofocus
            data-testid="path-input"
          />
          {host === 'electron' ? (
            <button type="button" className="btn" onClick={() => void browse()}>
              Browse…
            </button>
          ) : null}
        </div>
        <div className="pol-hint">An absolute path or one starting with ~/, ending in .yaml or .yml.</div>
        {error ? (
          <div className="callout danger" role="alert" data-testid="path-error">
            <Icon name="warning" />
            <span>{error}</span>
          </div>
        ) : null}
        {recent.length ? (
          <>
            <div className="pol-caption pol-recent-title">Recent files</div>
            <ul className="pol-recent" data-testid="recent-list">
              {recent.map((p) => (
                <li key={p} className="row">
                  <button
                    type="button"
                    className="pol-recent-path mono"
                    onClick={() => (props.mode === 'open' ? void submit(p) : setPath(p))}
                    title={props.mode === 'open' ? `Open ${p}` : `Save over ${p}`}
                  >
                    {p}
                  </button>
                  <button type="button" className="btn icon ghost" aria-label={`Forget ${p}`} onClick={() => void forgetRecent(p).then(setRecent)}>
                    <Icon name="close" size={12} />
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <div className="row pol-dialog-actions">
          <span className="grow" />
          <button type="button" className="btn ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="path-submit">
            {props.mode === 'open' ? 'Open' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

export function ConfirmDialog(props: { title: string; message: string; confirmLabel: string; danger?: boolean; onConfirm: () => void; onClose: () => void }) {
  return (
    <Dialog title={props.title} onClose={props.onClose} testId="confirm-dialog">
      <p>{props.message}</p>
      <div className="row pol-dialog-actions">
        <span className="grow" />
        <button type="button" className="btn ghost" onClick={props.onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className={`btn ${props.danger ? 'danger' : 'primary'}`}
          onClick={() => {
            props.onClose()
            props.onConfirm()
          }}
          data-testid="confirm-ok"
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  )
}

export function TemplatesDialog(props: { onPick: (id: string) => void; onClose: () => void }) {
  return (
    <Dialog title="Start from a template" onClose={props.onClose} testId="templates-dialog" className="pol-dialog-wide">
      <p className="pol-hint">The three configurations of the Keeptrusts Cerebras guide. A template opens as a new, unsaved document.</p>
      <ul className="pol-templates">
        {POLICY_TEMPLATES.map((t) => (
          <li key={t.id}>
            <button type="button" className="pol-template" onClick={() => props.onPick(t.id)} data-testid={`template-${t.id}`}>
              <strong>{t.name}</strong>
              <span className="pol-dim">{t.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  )
}
