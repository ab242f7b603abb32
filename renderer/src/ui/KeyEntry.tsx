import './key-entry.css'

import type { KeyStatus, KeyTestResult } from '@shared/ipc/domains/settings'
import { keyFormatWarning } from '@shared/ipc/key-format'
import { useRef, useState } from 'react'

import { api } from '../api'
import { fmtMs, plural } from '../lib/format'
import { Icon } from './Icon'

/**
 * Typing, testing and saving the API key; the Settings card and the
 * playground's welcome panel both use it. The key goes to main once (to be
 * tested or stored) and never comes back: a test answers with the model ids
 * and the last four characters only. A key that does not look like a
 * Cerebras key is saved only after the user says so.
 */

export interface KeyEntryProps {
  /** The key as main reports it (never the key itself). */
  status: KeyStatus | null
  /** The endpoint a test asks. */
  baseUrl: string | null
  /** Main's answer to saving or forgetting the key. */
  onStatus: (status: KeyStatus) => void
  /** Focus the field at once (the welcome panel). */
  autoFocus?: boolean
  /** Called once the key is stored. */
  onSaved?: () => void
  /** The save button's label. */
  saveLabel?: string
}

export function KeyEntry({ status, baseUrl, onStatus: setKeyStatus, autoFocus, onSaved, saveLabel = 'Save key' }: KeyEntryProps) {
  const [draft, setDraft] = useState('')
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState<'test' | 'save' | 'clear' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [tested, setTested] = useState<KeyTestResult | null>(null)
  /** The format warning was shown for this draft; saving now is deliberate. */
  const [confirming, setConfirming] = useState(false)
  const warning = keyFormatWarning(draft)
  const hasDraft = draft.trim().length > 0
  const canTestStored = !hasDraft && !!status?.configured

  const edit = (value: string) => {
    setDraft(value)
    setConfirming(false)
    setTested(null)
    setError(null)
  }

  // Buttons stay enabled while a call is under way (a disabled button drops the keyboard focus); a second press waits.
  const test = async () => {
    if (busy) return
    setBusy('test')
    setError(null)
    setTested(null)
    try {
      setTested(await api.keyTest(hasDraft ? { key: draft } : {}))
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  const save = async (deliberate: boolean) => {
    if (busy) return
    if (warning && !deliberate) {
      setConfirming(true)
      return
    }
    setBusy('save')
    setError(null)
    try {
      setKeyStatus(await api.keySet({ key: draft }))
      // The key has gone to main; nothing in the renderer keeps it.
      setDraft('')
      setConfirming(false)
      // The save button is disabled now that the field is empty: keep the keyboard in the field.
      input.current?.focus()
      onSaved?.()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  const clear = async () => {
    if (busy) return
    setBusy('clear')
    setError(null)
    setTested(null)
    try {
      setKeyStatus(await api.keyClear({}))
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="key-entry">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void save(false)
        }}
        autoComplete="off"
      >
        <input
          ref={input}
          className="input mono"
          type="password"
          name="cerebras-api-key"
          placeholder={status?.configured ? 'Paste a new key to replace it' : 'csk-…'}
          value={draft}
          onChange={(e) => edit(e.target.value)}
          aria-label="API key"
          aria-describedby={warning && hasDraft ? 'key-format-warning' : undefined}
          data-testid="key-input"
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
        />
        <button
          className="btn"
          type="button"
          onClick={() => void test()}
          disabled={!hasDraft && !canTestStored}
          aria-busy={busy === 'test'}
          data-testid="key-test"
          title={`Ask ${baseUrl ?? 'the API'} which models this key can call`}
        >
          {busy === 'test' ? 'Testing…' : canTestStored ? 'Test stored key' : 'Test key'}
        </button>
        <button className="btn primary" type="submit" disabled={!hasDraft} aria-busy={busy === 'save'} data-testid="key-save">
          {saveLabel}
        </button>
        {status && (status.source === 'stored' || status.source === 'session') ? (
          <button className="btn danger" type="button" onClick={() => void clear()} aria-busy={busy === 'clear'}>
            Forget
          </button>
        ) : null}
      </form>
      {hasDraft && warning ? (
        <div
          className={`callout warn${confirming ? ' key-confirm' : ''}`}
          id="key-format-warning"
          role={confirming ? 'alert' : 'status'}
          data-testid="key-format-warning"
        >
          <Icon name="warning" />
          <div className="key-warning-body">
            <div>{warning}</div>
            {confirming ? (
              <div className="row">
                <button className="btn" type="button" onClick={() => void save(true)} aria-busy={busy === 'save'} data-testid="key-save-anyway" autoFocus>
                  Save it anyway
                </button>
                <span className="hint">or edit the key above.</span>
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
      {tested ? <KeyTestOutcome result={tested} /> : null}
      {busy === 'test' ? (
        <p className="hint" role="status">
          Asking {baseUrl ?? 'the API'} for this key’s models…
        </p>
      ) : null}
      {error ? (
        <div className="callout danger" role="alert" data-testid="key-error">
          <Icon name="warning" />
          <span>{error}</span>
        </div>
      ) : null}
    </div>
  )
}

/** What a key test found: the models the key can call, or why it failed and what to do. */
function KeyTestOutcome({ result }: { result: KeyTestResult }) {
  if (result.ok) {
    return (
      <div className="callout ok key-test-result" role="status" data-testid="key-test-result" data-ok="true">
        <Icon name="check" />
        <div className="key-test-body">
          <div>
            <strong>This key works.</strong> {result.baseUrl} answered in {fmtMs(result.ms)}; the key ••••{result.hint} can call{' '}
            {plural(result.models.length, 'model')}:
          </div>
          <ul className="key-models" aria-label="Models this key can call" data-testid="key-test-models">
            {result.models.map((m) => (
              <li key={m}>
                <code>{m}</code>
              </li>
            ))}
          </ul>
        </div>
      </div>
    )
  }
  return (
    <div className="callout danger key-test-result" role="alert" data-testid="key-test-result" data-ok="false" data-reason={result.reason}>
      <Icon name="warning" />
      <div className="key-test-body">
        <strong>{FAILURE_TITLE[result.reason]}</strong> <span>{result.message}</span>
      </div>
    </div>
  )
}

const FAILURE_TITLE: Record<Extract<KeyTestResult, { ok: false }>['reason'], string> = {
  no_key: 'No key to test.',
  wrong_key: 'Wrong key.',
  network: 'Could not reach the API.',
  base_url: 'Wrong base URL?',
  rate_limited: 'Rate limited.',
  server: 'The API had a problem.',
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))
