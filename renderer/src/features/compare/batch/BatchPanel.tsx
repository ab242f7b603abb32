import { fmtDuration, fmtTimeOfDay, plural } from '@renderer/lib/format'
import { DeprecationWarning } from '@renderer/ui/DeprecationWarning'
import { downloadText } from '@renderer/ui/download'
import { Icon } from '@renderer/ui/Icon'
import { useEffect, useMemo, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'

import { type CompareSetup, LANE_COLORS } from '../lanes'
import { AssertionsEditor } from './AssertionsEditor'
import { cancelBatch, initBatch, setInputs, startBatch, updateDraft, useBatch } from './batch-store'
import { BatchMatrix } from './BatchMatrix'
import { batchToCsv, batchToJson } from './export'

const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

/** A table of inputs run over the Compare lanes' models, with checks per column, progress and export. */
export function BatchPanel({ setup }: { setup: CompareSetup }) {
  const s = useBatch(
    useShallow((st) => ({
      inputText: st.inputText,
      fileName: st.fileName,
      parsed: st.parsed,
      draft: st.draft,
      current: st.current,
      starting: st.starting,
      startError: st.startError,
    })),
  )
  const fileRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    void initBatch()
  }, [])

  const lanes = setup.lanes.filter((l) => l.model.trim())
  const labels = useMemo(() => {
    const out: Record<string, string> = {}
    setup.lanes.forEach((l, i) => (out[l.id] = setup.lanes.filter((x) => x.model === l.model).length > 1 ? `${l.model} (lane ${i + 1})` : l.model))
    return out
  }, [setup.lanes])
  const used = [...new Set([...s.draft.template.matchAll(VARIABLE)].map((m) => m[1]))]
  const unknown = s.parsed ? used.filter((v) => !s.parsed!.columns.includes(v)) : []
  const progress = s.current?.snapshot.progress
  const running = progress?.status === 'running'
  const canRun = !!s.parsed?.rows.length && lanes.length > 0 && !!s.draft.template.trim() && unknown.length === 0 && !running && !s.starting

  const onFile = async (file: File) => {
    const text = await file.text()
    setInputs(text, file.name)
  }

  const finishedCells = progress ? progress.done + progress.failed : 0
  const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')

  return (
    <div className="batch" data-testid="batch-panel">
      <div className="grid-2 batch-setup">
        <div className="card">
          <div className="row">
            <h2 className="grow">Inputs</h2>
            <input
              ref={fileRef}
              type="file"
              accept=".csv,.tsv,.jsonl,.ndjson,.json,.txt"
              hidden
              onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])}
              data-testid="batch-file"
            />
            <button className="btn ghost" onClick={() => fileRef.current?.click()}>
              <Icon name="upload" size={14} /> Open file
            </button>
          </div>
          <p className="card-sub">CSV with a header line, or JSON Lines (one object per line). Column names become {'{{variables}}'}.</p>
          <textarea
            className="input mono batch-inputs"
            placeholder={'city,country\nOslo,Norway\nLima,Peru'}
            value={s.inputText}
            onChange={(e) => setInputs(e.target.value, null)}
            aria-label="Batch inputs"
            data-testid="batch-inputs"
          />
          {s.parsed ? (
            <div className="parsed-summary small" data-testid="batch-parsed">
              {plural(s.parsed.rows.length, 'row')} ({s.parsed.format === 'csv' ? 'CSV' : 'JSON Lines'}
              {s.fileName ? `, ${s.fileName}` : ''}) · columns:{' '}
              {s.parsed.columns.map((c) => (
                <code key={c}>{c}</code>
              ))}
            </div>
          ) : null}
          {s.parsed?.problems.length ? (
            <div className="callout warn">
              <Icon name="warning" />
              <ul className="problems">
                {s.parsed.problems.slice(0, 6).map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div className="card">
          <h2>Prompt</h2>
          <p className="card-sub">
            Sent to every column{setup.system.trim() ? ', after the Compare system prompt' : ''}. Use {'{{column}}'} for a value from the row.
          </p>
          <textarea
            className="input mono batch-template"
            value={s.draft.template}
            onChange={(e) => updateDraft((d) => ({ ...d, template: e.target.value }))}
            placeholder="What country is {{city}} in? Answer with JSON."
            aria-label="Prompt template"
            data-testid="batch-template"
          />
          {unknown.length ? <div className="field-error">No column named {unknown.map((u) => `{{${u}}}`).join(', ')} in the inputs.</div> : null}
          <h2 className="columns-title">Columns</h2>
          <p className="card-sub">The models of your Compare lanes, each with its own parameters.</p>
          <div className="batch-columns">
            {setup.lanes.map((l, i) => (
              <div key={l.id}>
                <span className="swatch" style={{ background: LANE_COLORS[i % LANE_COLORS.length] }} /> <span className="mono">{l.model || '(no model)'}</span>
                <DeprecationWarning model={l.model} compact />
              </div>
            ))}
          </div>
        </div>
      </div>
      <div className="card">
        <h2>Assertions</h2>
        <p className="card-sub">Checked on every answer of the column they apply to; the matrix counts passes.</p>
        <AssertionsEditor
          value={s.draft.assertions}
          onChange={(assertions) => updateDraft((d) => ({ ...d, assertions }))}
          columns={setup.lanes.map((l) => ({ laneId: l.id, label: labels[l.id] }))}
        />
      </div>
      <div className="batch-run">
        <label className="row" title="Requests in flight at once; lowered automatically after a rate limit">
          <span className="muted">Concurrency</span>
          <input
            className="input mono"
            type="number"
            min={1}
            max={16}
            value={s.draft.concurrency}
            onChange={(e) => updateDraft((d) => ({ ...d, concurrency: Math.min(16, Math.max(1, Math.round(Number(e.target.value) || 1))) }))}
            aria-label="Concurrency"
          />
        </label>
        {running ? (
          <button className="btn danger" onClick={() => void cancelBatch()} data-testid="batch-cancel">
            <Icon name="stop" size={14} /> Cancel
          </button>
        ) : (
          <button className="btn primary" disabled={!canRun} onClick={() => void startBatch(setup.lanes, setup.system)} data-testid="batch-run">
            <Icon name="play" size={14} /> Run {s.parsed?.rows.length ?? 0} × {lanes.length}
          </button>
        )}
        {s.current ? (
          <>
            <button
              className="btn ghost"
              disabled={finishedCells === 0}
              onClick={() => downloadText(`batch-${stamp()}.csv`, batchToCsv(s.current!.snapshot, s.current!.inputs), 'text/csv')}
              data-testid="export-csv"
            >
              <Icon name="download" size={14} /> CSV
            </button>
            <button
              className="btn ghost"
              disabled={finishedCells === 0}
              onClick={() => downloadText(`batch-${stamp()}.json`, batchToJson(s.current!.snapshot, s.current!.inputs), 'application/json')}
              data-testid="export-json"
            >
              <Icon name="download" size={14} /> JSON
            </button>
          </>
        ) : null}
      </div>
      {s.startError ? (
        <div className="callout danger" role="alert">
          <Icon name="warning" /> {s.startError}
        </div>
      ) : null}
      {progress ? <ProgressBar progress={progress} /> : null}
      {s.current ? <BatchMatrix snapshot={s.current.snapshot} inputs={s.current.inputs} labels={labels} /> : null}
    </div>
  )
}

function ProgressBar({ progress: p }: { progress: NonNullable<ReturnType<typeof useBatch.getState>['current']>['snapshot']['progress'] }) {
  const finished = p.done + p.failed + p.cancelled
  const pct = p.total ? (finished / p.total) * 100 : 0
  const status =
    p.status === 'running'
      ? `${finished} of ${p.total} · ${p.running} running${p.etaMs !== null ? ` · about ${fmtDuration(p.etaMs)} left` : ''}`
      : p.status === 'completed'
        ? `Done: ${p.done} answered${p.failed ? `, ${p.failed} failed` : ''}`
        : p.status === 'cancelled'
          ? `Cancelled: ${p.done} answered, ${p.cancelled} not run`
          : `Stopped: ${p.done} answered, ${p.failed} failed, ${p.cancelled} not run`
  return (
    <div className={`batch-progress ${p.status}`} data-testid="batch-progress" data-status={p.status}>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={p.total} aria-valuenow={finished}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="row small">
        <span className="grow">{status}</span>
        {p.rateLimitWaits ? (
          <span className="muted">
            {plural(p.rateLimitWaits, 'rate-limit wait')} · concurrency {p.concurrency}
          </span>
        ) : null}
      </div>
      {p.pausedUntil ? (
        <div className="callout warn">
          <Icon name="warning" /> Rate limited: the queue waits until {fmtTimeOfDay(p.pausedUntil)} and resumes with {plural(p.concurrency, 'request')} at a
          time.
        </div>
      ) : null}
      {p.reason && p.status !== 'completed' ? <div className={`callout ${p.status === 'failed' ? 'danger' : 'info'}`}>{p.reason}</div> : null}
    </div>
  )
}
