import type { PromptVersion, PromptVersionSummary } from '@shared/ipc/domains/history'
import { useCallback, useEffect, useMemo, useState } from 'react'

import { api } from '../../api'
import { fmtDateTime } from '../../lib/format'
import { describeError, reportError } from '../../lib/notify'
import { openPromptInPlayground } from '../../lib/prompt-opener'
import { downloadText } from '../../ui/download'
import { Icon } from '../../ui/Icon'
import { ImportButton } from './ImportButton'
import { diffVersions, type Segment } from './version-diff'

/** Named prompt versions: pick two to compare side by side, restore one into the playground, export or delete. */
export function VersionsView() {
  const [versions, setVersions] = useState<PromptVersionSummary[]>([])
  const [picked, setPicked] = useState<number[]>([])
  const [error, setError] = useState<string | null>(null)

  const reload = useCallback(() => {
    api.versionsList({}).then(
      (r) => {
        setVersions(r.versions)
        setError(null)
      },
      (err: unknown) => setError(describeError(err)),
    )
  }, [])
  useEffect(() => {
    reload()
    return api.on('history:changed', (e) => e.reason === 'versions' && reload())
  }, [reload])

  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]))
  const restore = async (id: number) => {
    try {
      const v = await api.versionsGet({ id })
      await openPromptInPlayground(v.prompt, `“${v.name}” v${v.version}`)
    } catch (err) {
      reportError('Could not restore the version', err)
    }
  }
  const exportVersion = async (id: number) => {
    try {
      const file = await api.historyExport({ kind: 'version', id })
      downloadText(file.filename, file.json)
    } catch (err) {
      reportError('Could not export the version', err)
    }
  }
  const remove = async (id: number) => {
    try {
      await api.versionsDelete({ id })
      setPicked((p) => p.filter((x) => x !== id))
      reload()
    } catch (err) {
      reportError('Could not delete the version', err)
    }
  }

  return (
    <div className="hi-versions">
      <div className="hi-filters">
        <span className="hi-dim">Select two versions to compare them. Save versions from the playground (Save version).</span>
        <span className="grow" />
        <ImportButton />
      </div>
      {error ? <div className="callout danger">{error}</div> : null}
      {versions.length === 0 ? (
        <div className="hi-empty">No prompt versions yet.</div>
      ) : (
        <table className="hi-table" data-testid="versions-table">
          <thead>
            <tr>
              <th>
                <span className="sr-only">Pick to compare</span>
              </th>
              <th>Name</th>
              <th>Version</th>
              <th>Model</th>
              <th>Messages</th>
              <th>Note</th>
              <th>Saved</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} className={picked.includes(v.id) ? 'selected' : ''} data-testid="version-row">
                <td>
                  <input type="checkbox" checked={picked.includes(v.id)} onChange={() => toggle(v.id)} aria-label={`Compare ${v.name} v${v.version}`} />
                </td>
                <td>{v.name}</td>
                <td className="mono">v{v.version}</td>
                <td className="mono">{v.model}</td>
                <td>{v.messageCount}</td>
                <td className="hi-dim">{v.note ?? ''}</td>
                <td className="hi-dim">{fmtDateTime(v.createdAt)}</td>
                <td className="hi-actions">
                  <button className="btn ghost" onClick={() => void restore(v.id)} data-testid="restore-version">
                    Restore
                  </button>
                  <button className="btn ghost icon" onClick={() => void exportVersion(v.id)} aria-label="Export" title="Export JSON">
                    <Icon name="download" size={14} />
                  </button>
                  <button className="btn ghost icon danger" onClick={() => void remove(v.id)} aria-label="Delete" title="Delete">
                    <Icon name="trash" size={14} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {picked.length === 2 ? <VersionDiff leftId={Math.min(...picked)} rightId={Math.max(...picked)} /> : null}
    </div>
  )
}

function Segments({ segments }: { segments: Segment[] | null }) {
  if (!segments) return <span className="hi-dim">(absent)</span>
  return (
    <>
      {segments.map((s, i) => (
        <span key={i} className={s.kind === 'same' ? undefined : `hi-${s.kind}`}>
          {s.text}
        </span>
      ))}
    </>
  )
}

function VersionDiff({ leftId, rightId }: { leftId: number; rightId: number }) {
  const [pair, setPair] = useState<[PromptVersion, PromptVersion] | null>(null)
  const [onlyChanges, setOnlyChanges] = useState(false)
  useEffect(() => {
    let live = true
    void Promise.all([api.versionsGet({ id: leftId }), api.versionsGet({ id: rightId })]).then((p) => live && setPair(p))
    return () => {
      live = false
    }
  }, [leftId, rightId])
  const diff = useMemo(() => (pair ? diffVersions(pair[0].prompt, pair[1].prompt) : null), [pair])
  if (!pair || !diff) return <div className="hi-empty">Loading the two versions…</div>
  const [a, b] = pair
  return (
    <div className="hi-diff" data-testid="version-diff">
      <div className="hi-diff-head">
        <strong>
          {a.name} v{a.version}
        </strong>
        <span className="hi-dim">vs</span>
        <strong>
          {b.name} v{b.version}
        </strong>
        <span className="grow" />
        <label className="switch">
          <input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} />
          Only changes
        </label>
      </div>
      <div className="hi-diff-grid">
        {diff.texts
          .filter((t) => !onlyChanges || t.changed)
          .map((t) => (
            <div key={t.label} style={{ display: 'contents' }}>
              <div className="hi-diff-label">{t.label}</div>
              <div className="hi-diff-cell">
                <Segments segments={t.left} />
              </div>
              <div className="hi-diff-cell">
                <Segments segments={t.right} />
              </div>
            </div>
          ))}
      </div>
      <h3 className="hi-h">Parameters and variables</h3>
      <table className="hi-table hi-param-diff">
        <tbody>
          {[...diff.params, ...diff.variables.map((v) => ({ ...v, name: `{{${v.name}}}` }))]
            .filter((p) => !onlyChanges || p.changed)
            .map((p) => (
              <tr key={p.name} className={p.changed ? 'changed' : ''}>
                <td className="mono">{p.name}</td>
                <td className="mono hi-pre">{p.left}</td>
                <td className="mono hi-pre">{p.right}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  )
}
