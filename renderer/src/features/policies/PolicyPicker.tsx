import '../../ui/policy-verdict.css'

import { WaferError } from '@shared/ipc/errors'
import { useEffect, useRef, useState } from 'react'

import { api } from '../../api'
import { describeError } from '../../lib/notify'
import { matchesShortcut } from '../../lib/shortcuts'
import { useAppStore } from '../../lib/store'
import { Icon } from '../../ui/Icon'
import { activatePolicy, useActivePolicy } from './active-policy-store'

/**
 * The status bar's policy item: which policy main applies to playground and
 * compare requests, and a menu to choose another (a recent file) or none.
 */

const baseName = (p: string) => p.split(/[\\/]/).pop() || p

export function PolicyPicker() {
  const status = useActivePolicy()
  const go = useAppStore((s) => s.go)
  const notify = useAppStore((s) => s.notify)
  const [open, setOpen] = useState(false)
  const [recent, setRecent] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const [pos, setPos] = useState<{ right: number; bottom: number }>({ right: 8, bottom: 36 })

  useEffect(() => {
    if (!open) return
    const r = button.current?.getBoundingClientRect()
    if (r) setPos({ right: Math.max(8, window.innerWidth - r.right), bottom: window.innerHeight - r.top + 6 })
    setError(null)
    void api
      .stateGet({ key: 'policies.recent' })
      .then((v) => setRecent(Array.isArray(v.value) ? v.value.filter((x): x is string => typeof x === 'string') : []))
      .catch(() => setRecent([]))
    const onDown = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (matchesShortcut('closeDialog', e)) {
        setOpen(false)
        button.current?.focus()
      }
    }
    window.addEventListener('mousedown', onDown)
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('mousedown', onDown)
      window.removeEventListener('keydown', onKey)
    }
  }, [open])

  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[aria-checked="true"], .pv-option')?.focus()
  }, [open, recent])

  const choose = async (path: string | null) => {
    setBusy(true)
    setError(null)
    try {
      const s = await activatePolicy(path)
      setOpen(false)
      notify('info', path ? `Playground and compare requests now run through ${s.name ?? baseName(path)}.` : 'No policy: requests are sent unchecked.')
    } catch (err) {
      setError(err instanceof WaferError ? err.message : describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const active = status?.path ?? null
  const label = !status ? 'Policy: …' : !active ? 'Policy: none' : `Policy: ${status.name ?? baseName(active)}${status.ok ? '' : ' (failing)'}`
  const dot = !active ? '' : status?.ok ? 'ok' : 'danger'
  const files = active && !recent.includes(active) ? [active, ...recent] : recent

  return (
    <>
      <button
        ref={button}
        type="button"
        className="item pv-picker-button"
        data-testid="status-policy"
        data-active={active ?? ''}
        aria-haspopup="menu"
        aria-expanded={open}
        title={status?.error ? `The policy cannot be used: ${status.error}` : 'Policy applied to playground and compare requests'}
        onClick={() => setOpen((o) => !o)}
      >
        {dot ? <span className={`dot ${dot}`} /> : <Icon name="shield" size={12} />}
        <span className="pv-picker-label">{label}</span>
      </button>
      {open ? (
        <div
          ref={menu}
          className="pv-menu"
          role="menu"
          aria-label="Policy for playground and compare"
          style={{ right: pos.right, bottom: pos.bottom }}
          data-testid="policy-menu"
        >
          <div className="pv-menu-head">Runs in main on every playground and compare request, before it is sent and as the answer streams.</div>
          {status?.error ? <div className="pv-menu-error">{status.error}</div> : null}
          <ul>
            <li>
              <button
                type="button"
                role="menuitemradio"
                aria-checked={!active}
                className="pv-option"
                disabled={busy}
                onClick={() => void choose(null)}
                data-testid="policy-none"
              >
                <span className="pv-check">{!active ? <Icon name="check" size={13} /> : null}</span>
                None
              </button>
            </li>
            {files.map((p) => (
              <li key={p}>
                <button
                  type="button"
                  role="menuitemradio"
                  aria-checked={p === active}
                  className="pv-option"
                  disabled={busy}
                  title={p}
                  onClick={() => void choose(p)}
                  data-testid="policy-option"
                  data-path={p}
                >
                  <span className="pv-check">{p === active ? <Icon name="check" size={13} /> : null}</span>
                  <span className="pv-path">{p}</span>
                </button>
              </li>
            ))}
          </ul>
          {!files.length ? <div className="pv-menu-head">Save a policy file in Policies to choose it here.</div> : null}
          {error ? (
            <div className="pv-menu-error" role="alert" data-testid="policy-menu-error">
              {error}
            </div>
          ) : null}
          <hr />
          <button
            type="button"
            role="menuitem"
            className="pv-option"
            onClick={() => {
              setOpen(false)
              go('policies')
            }}
          >
            <span className="pv-check" />
            Open the Policies screen…
          </button>
        </div>
      ) : null}
    </>
  )
}
