import { isDemoRequest } from '@renderer/lib/demo'
import { fmtDuration, plural } from '@renderer/lib/format'
import { useAppStore } from '@renderer/lib/store'
import { modelFacts, runCostUsd } from '@renderer/lib/tokens/cost'
import { appStreamHub } from '@renderer/stream/app-streams'
import { Icon } from '@renderer/ui/Icon'
import { MetricChips } from '@renderer/ui/MetricChips'
import { RunPolicyNotice } from '@renderer/ui/RunPolicyNotice'
import type { ChatRetry } from '@shared/ipc/domains/chat'
import type { WireError } from '@shared/ipc/errors'
import { memo, useEffect, useState } from 'react'
import { useStore } from 'zustand'

import { publicModels } from '../model-options'
import { selectPane, setParams, usePlayground } from '../playground-store'
import { ThroughputChart } from './ThroughputChart'

/** The last run of a pane: retry countdown, error with its recovery hint, figures and chart. */
export const RunOutcome = memo(function RunOutcome({ paneId }: { paneId: string }) {
  const requestId = usePlayground((s) => selectPane(paneId)(s)?.lastRequestId ?? null)
  const hub = appStreamHub()
  const meta = useStore(hub.store, (s) => (requestId ? s.streams[requestId] : undefined))
  if (!requestId || !meta) return null
  const end = meta.done ?? meta.error
  // A request that failed before any text has no figures worth a chart or chips.
  const nothingArrived =
    !!meta.error &&
    meta.error.received.contentChars + meta.error.received.reasoningChars + meta.error.received.toolCalls === 0 &&
    meta.error.metrics.ttftMs === null
  const cost = meta.done ? runCostUsd(modelFacts(meta.model, publicModels()), meta.done.usage) : null
  return (
    <div className="pg-outcome" data-testid="run-outcome" data-status={meta.status}>
      {meta.status === 'retrying' && meta.retry ? <RetryCountdown retry={meta.retry} /> : null}
      {meta.status === 'waiting' ? <div className="pg-note">Waiting for {meta.model}…</div> : null}
      {meta.error && meta.status === 'error' && meta.error.error.code !== 'policy_blocked' ? <ErrorCallout error={meta.error.error} paneId={paneId} /> : null}
      <RunPolicyNotice requestId={requestId} />
      {meta.status === 'aborted' ? (
        <div className="pg-note" data-testid="run-stopped">
          Stopped — the {meta.error?.received.contentChars ? plural(meta.error.received.contentChars, 'character') : 'text'} received so far are kept.
        </div>
      ) : null}
      {meta.seqGap ? <div className="callout warn">Some streamed text went missing between main and this window; the saved run has the full text.</div> : null}
      {meta.status !== 'waiting' && meta.status !== 'retrying' && !nothingArrived ? (
        <ThroughputChart requestId={requestId} serverTtftMs={end?.metrics.ttftMs ?? null} />
      ) : null}
      {end && !nothingArrived ? <MetricChips metrics={end.metrics} usage={meta.done?.usage ?? null} costUsd={cost} demo={isDemoRequest(requestId)} /> : null}
    </div>
  )
})

function RetryCountdown({ retry }: { retry: ChatRetry }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200)
    return () => clearInterval(t)
  }, [])
  const left = Math.max(0, (retry.retryAt - now) / 1000)
  const why = retry.reason === 'rate_limited' ? 'Rate limited' : retry.reason === 'server_error' ? 'Server error' : 'Network error'
  return (
    <div className="callout warn" role="status" data-testid="retry-countdown">
      <Icon name="refresh" />
      <span>
        <strong>{why}</strong> — retrying in <span className="mono">{fmtDuration(left * 1000)}</span> (attempt {retry.attempt} of {retry.maxRetries}).{' '}
        <span className="pg-dim">{retry.message}</span>
      </span>
    </div>
  )
}

interface ModelHint {
  suggestedReplacement?: string | null
  availableModels?: string[] | null
  deprecation?: { message?: string } | null
}

function ErrorCallout({ error, paneId }: { error: WireError; paneId: string }) {
  const go = useAppStore((s) => s.go)
  const hint = (error.details?.hint ?? null) as ModelHint | null
  const suggested = hint?.suggestedReplacement ?? null
  const wantsSettings = error.details?.action === 'open-settings' || error.code === 'auth'
  return (
    <div className="callout danger" role="alert" data-testid="run-error" data-code={error.code}>
      <Icon name="warning" />
      <div className="pg-error-body">
        <div>{error.message}</div>
        {suggested || wantsSettings ? (
          <div className="row" data-testid="recovery-hint">
            {suggested ? (
              <button className="btn" onClick={() => setParams(paneId, { model: suggested })} data-testid="use-suggested-model">
                Use {suggested}
              </button>
            ) : null}
            {wantsSettings ? (
              <button className="btn" onClick={() => go('settings')}>
                Open Settings
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  )
}
