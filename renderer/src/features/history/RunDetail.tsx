import type { RunRecord } from '@shared/ipc/domains/history'
import { useEffect, useState } from 'react'

import { api } from '../../api'
import { fmtDateTime } from '../../lib/format'
import { describeError, reportError } from '../../lib/notify'
import { openPromptInPlayground } from '../../lib/prompt-opener'
import { StreamMarkdown } from '../../stream/markdown/StreamMarkdown'
import { DemoBadge } from '../../ui/DemoBadge'
import { downloadText } from '../../ui/download'
import { Icon } from '../../ui/Icon'
import { MetricChips } from '../../ui/MetricChips'
import { endpointText } from './EndpointBadge'
import { docFromRun } from './reopen'

/** One saved run in full: what was sent, what came back, its figures; reopen, export or delete it. */
export function RunDetail({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const [run, setRun] = useState<RunRecord | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    setRun(null)
    setError(null)
    api.historyGet({ id }).then(
      (r) => live && setRun(r),
      (err: unknown) => live && setError(describeError(err)),
    )
    return () => {
      live = false
    }
  }, [id])

  if (error) return <div className="callout danger">{error}</div>
  if (!run) return <div className="hi-empty">Loading…</div>

  const exportRun = async () => {
    try {
      const file = await api.historyExport({ kind: 'run', id: run.id })
      downloadText(file.filename, file.json)
    } catch (err) {
      reportError('Could not export the run', err)
    }
  }
  const remove = async () => {
    try {
      await api.historyDelete({ ids: [run.id] })
      onDeleted()
    } catch (err) {
      reportError('Could not delete the run', err)
    }
  }
  const { request, response } = run
  const params = Object.entries(request).filter(([k]) => k !== 'messages' && k !== 'model')
  return (
    <div className="hi-run" data-testid="run-detail" data-run-id={run.id}>
      <div className="hi-run-head">
        <div>
          <div className="mono hi-run-model">
            {request.model} {run.demo ? <DemoBadge label="Demo run: made-up answer and figures" testId="run-detail-demo" /> : null}
          </div>
          <div className="hi-dim">
            {fmtDateTime(run.startedAt)} · {run.source} ·{' '}
            <span className="hi-run-endpoint" data-testid="run-detail-endpoint">
              {endpointText(run.endpoint)}
            </span>{' '}
            · <span className={`hi-status ${run.status}`}>{run.status}</span>
            {response.finishReason ? ` · finish: ${response.finishReason}` : ''}
          </div>
        </div>
        <div className="row">
          <button
            className="btn primary"
            onClick={() =>
              void openPromptInPlayground(docFromRun(run), 'the run').catch((err: unknown) => reportError('Could not open the run in the playground', err))
            }
            data-testid="reopen-run"
          >
            <Icon name="playground" size={14} /> Open in playground
          </button>
          <button className="btn" onClick={() => void exportRun()} data-testid="export-run">
            <Icon name="download" size={14} /> Export
          </button>
          <button className="btn ghost danger" onClick={() => void remove()} aria-label="Delete run">
            <Icon name="trash" size={14} />
          </button>
        </div>
      </div>
      {run.metrics ? <MetricChips metrics={run.metrics} usage={run.usage} costUsd={run.costUsd} /> : null}
      {run.error ? (
        <div className="callout danger">
          <Icon name="warning" />
          <span>
            <strong>{run.error.code}</strong>: {run.error.message}
          </span>
        </div>
      ) : null}
      <h3 className="hi-h">Request</h3>
      <div className="hi-messages">
        {request.messages.map((m, i) => (
          <div key={i} className={`hi-msg hi-msg-${m.role}`}>
            <div className="hi-role">{m.role}</div>
            <div className="hi-msg-text">{typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join('')}</div>
          </div>
        ))}
      </div>
      {params.length ? (
        <dl className="kv hi-params">
          {params.map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt className="mono">{k}</dt>
              <dd className="mono">{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <h3 className="hi-h">Response</h3>
      {response.reasoning ? (
        <details className="pg-reasoning">
          <summary>Reasoning</summary>
          <StreamMarkdown source={{ text: response.reasoning }} className="pg-reasoning-text" />
        </details>
      ) : null}
      {response.content ? (
        <StreamMarkdown source={{ text: response.content }} className="hi-answer" testId="run-detail-answer" />
      ) : (
        <div className="hi-dim">No text.</div>
      )}
      {response.toolCalls.map((c) => (
        <div key={c.id} className="pg-tool-card">
          <div className="pg-tool-head">
            <Icon name="code" size={14} /> <span className="mono">{c.function.name}</span> <span className="hi-dim mono">{c.id}</span>
          </div>
          <pre className="pg-tool-args">{c.function.arguments}</pre>
        </div>
      ))}
      {run.timeInfo ? (
        <p className="hi-dim hi-timeinfo mono">
          time_info:{' '}
          {Object.entries(run.timeInfo)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}
        </p>
      ) : null}
    </div>
  )
}
