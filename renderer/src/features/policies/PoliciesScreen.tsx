import './policies.css'

import { useCallback, useEffect, useState } from 'react'
import { useStore } from 'zustand'

import { host } from '../../api'
import { plural } from '../../lib/format'
import { describeError, reportError } from '../../lib/notify'
import { matchesShortcut, shortcutLabel } from '../../lib/shortcuts'
import { useAppStore } from '../../lib/store'
import { Icon } from '../../ui/Icon'
import { ScreenHeader } from '../../ui/ScreenHeader'
import { activatePolicy, useActivePolicy } from './active-policy-store'
import { docStore, isDirty, redo, undo } from './doc-store'
import { hasUnsavedChanges, newFromTemplate, openFile, persistDraft, restoreDraft, saveTo } from './file-actions'
import { ConfirmDialog, PathDialog, TemplatesDialog } from './FileDialogs'
import { PolicyForm } from './PolicyForm'
import { ProblemsList } from './ProblemsList'
import { TestBench } from './TestBench'
import { YamlEditor } from './YamlEditor'

/**
 * Author a gateway policy-config.yaml: the YAML editor and the visual form
 * side by side over one document, file handling (open, save, save as,
 * recent, templates, undo/redo, an unsaved-change guard), the test bench,
 * and applying the file to the app's own requests.
 */

type DialogState =
  | null
  | { kind: 'open' }
  | { kind: 'save' }
  | { kind: 'templates' }
  | { kind: 'confirm'; title: string; message: string; confirmLabel: string; danger?: boolean; onConfirm: () => void }

function suggestedPath(): string {
  const s = docStore.getState()
  if (s.file) return s.file.path
  const name = /name:\s*([\w.-]+)/.exec(s.text)?.[1] ?? 'policy-config'
  return `~/${name}.yaml`
}

const isTextTarget = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))

export default function PoliciesScreen() {
  const notify = useAppStore((s) => s.notify)
  const title = useStore(docStore, (s) => s.title)
  const file = useStore(docStore, (s) => s.file)
  const dirty = useStore(docStore, isDirty)
  const canUndo = useStore(docStore, (s) => s.past.length > 0)
  const canRedo = useStore(docStore, (s) => s.future.length > 0)
  const errors = useStore(docStore, (s) => s.lint.errors)
  const warnings = useStore(docStore, (s) => s.lint.warnings)
  const active = useActivePolicy()
  const [dialog, setDialog] = useState<DialogState>(null)

  useEffect(() => {
    void restoreDraft()
    persistDraft()
  }, [])

  // The draft survives closing the app, but a browser tab closed with unsaved changes deserves a warning.
  useEffect(() => {
    if (host !== 'web') return
    const onUnload = (e: BeforeUnloadEvent) => {
      if (hasUnsavedChanges()) e.preventDefault()
    }
    window.addEventListener('beforeunload', onUnload)
    return () => window.removeEventListener('beforeunload', onUnload)
  }, [])

  /** Run `action` now, or after the user agrees to drop unsaved changes. */
  const guarded = useCallback((what: string, action: () => void) => {
    if (!hasUnsavedChanges()) return action()
    const t = docStore.getState().title
    setDialog({
      kind: 'confirm',
      title: 'Discard unsaved changes?',
      message: `${t} has changes that are not saved. ${what} replaces it; the changes will be lost.`,
      confirmLabel: 'Discard changes',
      danger: true,
      onConfirm: action,
    })
  }, [])

  const saveAs = useCallback(() => setDialog({ kind: 'save' }), [])

  const save = useCallback(async () => {
    const s = docStore.getState()
    if (!s.file) return saveAs()
    try {
      const r = await saveTo(s.file.path, { expectedMtimeMs: s.file.mtimeMs })
      if (r.ok) return notify('info', `Saved ${r.file.path}`)
      const path = r.path
      setDialog({
        kind: 'confirm',
        title: 'The file changed on disk',
        message: `${r.message}`,
        confirmLabel: 'Overwrite it',
        danger: true,
        onConfirm: () =>
          void saveTo(path, { overwrite: true })
            .then((again) => again.ok && notify('info', `Saved ${again.file.path}`))
            .catch((err: unknown) => reportError('Not saved', err, { then: 'Your text is still here.' })),
      })
    } catch (err) {
      reportError('Not saved', err, { then: 'Your text is still here.' })
    }
  }, [notify, saveAs])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog) return
      if (matchesShortcut('saveAs', e)) {
        e.preventDefault()
        saveAs()
      } else if (matchesShortcut('save', e)) {
        e.preventDefault()
        void save()
      } else if (matchesShortcut('open', e)) {
        e.preventDefault()
        setDialog({ kind: 'open' })
      } else if (!isTextTarget(e.target) && (matchesShortcut('undo', e) || matchesShortcut('redo', e))) {
        e.preventDefault()
        if (matchesShortcut('redo', e)) redo()
        else undo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [dialog, save, saveAs])

  const applied = !!file && active?.path === file.path
  const apply = async () => {
    if (!file) return
    try {
      const status = await activatePolicy(file.path)
      notify('info', `Playground and compare requests now run through ${status.name ?? file.path}.`)
    } catch (err) {
      reportError('Could not apply the policy', err)
    }
  }

  return (
    <div className="screen pol-screen">
      <ScreenHeader title="Policies" subtitle="Author and test a gateway policy-config.yaml, and apply it to the app's requests." />
      <div className="pol-toolbar" role="toolbar" aria-label="Policy file">
        <div className="pol-file" data-testid="policy-file">
          <Icon name="policies" size={15} />
          <span className="pol-file-name" data-testid="policy-title">
            {title}
          </span>
          {dirty ? (
            <span className="pol-dirty" title="Unsaved changes" data-testid="dirty">
              ● unsaved
            </span>
          ) : null}
          {file ? (
            <span className="pol-dim mono pol-ellipsis" title={file.path}>
              {file.path}
            </span>
          ) : null}
        </div>
        {/* One group: beside the name while the line has room, else together on the next line. */}
        <div className="pol-actions">
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'templates' })} data-testid="templates">
            Templates
          </button>
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'open' })} data-testid="open">
            Open…
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => void save()}
            disabled={!dirty && !!file}
            data-testid="save"
            title={`Save (${shortcutLabel('save')})`}
          >
            <Icon name="save" size={14} /> Save
          </button>
          <button type="button" className="btn" onClick={saveAs} data-testid="save-as" title={`Save as (${shortcutLabel('saveAs')})`}>
            Save as…
          </button>
          <span className="pol-sep" />
          {(
            [
              ['undo', 'Undo', undo, canUndo, '↶'],
              ['redo', 'Redo', redo, canRedo, '↷'],
            ] as const
          ).map(([id, label, run, can, glyph]) => (
            <button
              key={id}
              type="button"
              className="btn icon"
              onClick={run}
              disabled={!can}
              aria-label={label}
              title={`${label} (${shortcutLabel(id)})`}
              data-testid={id}
            >
              {glyph}
            </button>
          ))}
          <span className="pol-sep" />
          {applied ? (
            <span className={`badge ${active?.ok ? 'ok' : 'danger'}`} data-testid="applied" title="Playground and compare requests run through this file">
              <Icon name="shield" size={12} /> {active?.ok ? 'Applied in the app' : 'Applied, but failing'}
            </span>
          ) : (
            <button
              type="button"
              className="btn primary"
              disabled={!file || dirty || errors > 0}
              onClick={() => void apply()}
              title={
                !file ? 'Save the file first' : dirty ? 'Save your changes first' : errors ? 'Fix the errors first' : 'Apply to playground and compare requests'
              }
              data-testid="apply"
            >
              <Icon name="shield" size={14} /> Apply in app
            </button>
          )}
        </div>
      </div>
      {applied && dirty ? <div className="callout info pol-note">The app applies the saved file; save to apply these changes.</div> : null}

      <div className="pol-split">
        <div className="pol-pane" aria-label="YAML">
          <div className="pol-pane-head">
            <span>YAML</span>
            <span className="grow" />
            <span className={`pol-count ${errors ? 'error' : ''}`} data-testid="error-count">
              {plural(errors, 'error')}
            </span>
            <span className={`pol-count ${warnings ? 'warning' : ''}`}>{plural(warnings, 'warning')}</span>
          </div>
          <YamlEditor onSave={() => void save()} />
          <ProblemsList />
          <div className="pol-keys pol-dim">
            {shortcutLabel('complete')} completes · hover a key for its docs · {shortcutLabel('leaveEditor')} leaves the editor
          </div>
        </div>
        <div className="pol-pane" aria-label="Visual editor">
          <div className="pol-pane-head">
            <span>Visual</span>
          </div>
          <div className="pol-form-scroll">
            <PolicyForm />
          </div>
        </div>
      </div>

      <TestBench />

      {dialog?.kind === 'open' ? (
        <PathDialog
          mode="open"
          initialPath=""
          onClose={() => setDialog(null)}
          onSubmit={async (path) => {
            const run = async () => {
              try {
                await openFile(path)
                setDialog(null)
              } catch (err) {
                reportError('Could not open the file', err)
              }
            }
            if (hasUnsavedChanges()) {
              guarded('Opening another file', () => void run())
              return null
            }
            try {
              await openFile(path)
              setDialog(null)
              return null
            } catch (err) {
              return describeError(err)
            }
          }}
        />
      ) : null}
      {dialog?.kind === 'save' ? (
        <PathDialog
          mode="save"
          initialPath={suggestedPath()}
          onClose={() => setDialog(null)}
          onSubmit={async (path) => {
            const r = await saveTo(path)
            if (r.ok) {
              setDialog(null)
              notify('info', `Saved ${r.file.path}`)
              return null
            }
            setDialog({
              kind: 'confirm',
              title: 'Replace the file?',
              message: r.message,
              confirmLabel: 'Replace',
              danger: true,
              onConfirm: () =>
                void saveTo(r.path, { overwrite: true })
                  .then((again) => again.ok && notify('info', `Saved ${again.file.path}`))
                  .catch((err: unknown) => reportError('Not saved', err, { then: 'Your text is still here.' })),
            })
            return null
          }}
        />
      ) : null}
      {dialog?.kind === 'templates' ? (
        <TemplatesDialog
          onClose={() => setDialog(null)}
          onPick={(id) => {
            setDialog(null)
            guarded('A template', () => newFromTemplate(id))
          }}
        />
      ) : null}
      {dialog?.kind === 'confirm' ? (
        <ConfirmDialog
          title={dialog.title}
          message={dialog.message}
          confirmLabel={dialog.confirmLabel}
          danger={dialog.danger}
          onConfirm={dialog.onConfirm}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </div>
  )
}
