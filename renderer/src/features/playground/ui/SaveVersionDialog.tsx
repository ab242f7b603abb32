import { api } from '@renderer/api'
import { describeError } from '@renderer/lib/notify'
import { flash } from '@renderer/lib/notify'
import type { PromptVersionSummary } from '@shared/ipc/domains/history'
import { useEffect, useState } from 'react'

import type { PaneState } from '../playground-store'

/** Save the pane's prompt (messages, parameters, variables) as the next version of a name. */
export function SaveVersionDialog({ pane, onClose }: { pane: PaneState; onClose: () => void }) {
  const [names, setNames] = useState<string[]>([])
  const [name, setName] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    void api.versionsList({}).then(
      (r) => {
        const unique = [...new Set(r.versions.map((v: PromptVersionSummary) => v.name))]
        setNames(unique)
        setName((n) => n || unique[0] || '')
      },
      () => setNames([]),
    )
  }, [])
  const save = async () => {
    setSaving(true)
    setError(null)
    try {
      const doc = pane.composer.trim()
        ? { ...pane.doc, messages: [...pane.doc.messages, { id: `draft-${Date.now()}`, role: 'user' as const, content: pane.composer }] }
        : pane.doc
      const saved = await api.versionsSave({ name, note: note || undefined, prompt: doc })
      flash(`Saved “${saved.name}” version ${saved.version}.`)
      onClose()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setSaving(false)
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <div className="field">
        <label htmlFor="version-name">Prompt name</label>
        <input
          id="version-name"
          className="input"
          list="version-names"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          data-testid="version-name"
        />
        <datalist id="version-names">
          {names.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <span className="hint">Saving under an existing name adds its next version.</span>
      </div>
      <div className="field">
        <label htmlFor="version-note">Note (optional)</label>
        <input id="version-note" className="input" value={note} onChange={(e) => setNote(e.target.value)} placeholder="What changed" />
      </div>
      {error ? <div className="callout danger">{error}</div> : null}
      <div className="row" style={{ justifyContent: 'flex-end' }}>
        <button type="button" className="btn ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={!name.trim() || saving} data-testid="save-version-confirm">
          Save version
        </button>
      </div>
    </form>
  )
}
