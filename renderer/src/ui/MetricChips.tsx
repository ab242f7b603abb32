import './metric-chips.css'

import type { ResponseMetrics, Usage } from '@shared/ipc/domains/chat'
import { memo } from 'react'

import { DASH, fmtBytes, fmtInt, fmtMs, fmtRate, fmtUsd } from '../lib/format'
import { DemoBadge } from './DemoBadge'

/**
 * The figures of a finished run, each from its source: TTFT and client
 * tokens/s measured in main, decode tokens/s and queue/prompt/decode time
 * from the server's time_info, tokens from its usage. A figure the server
 * did not send shows "—", never an estimate.
 */

interface Chip {
  id: string
  label: string
  value: string
  title: string
}

export function chipsFor(metrics: ResponseMetrics, usage: Usage | null, costUsd: number | null): Chip[] {
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens
  const request = metrics.request
  return [
    { id: 'ttft', label: 'TTFT', value: fmtMs(metrics.ttftMs), title: 'Time to first token, measured in main from the start of the answered attempt' },
    { id: 'decode', label: 'Decode', value: fmtRate(metrics.serverDecodeTokensPerSec), title: 'completion_tokens / time_info.completion_time (server)' },
    {
      id: 'client',
      label: 'Client',
      value: fmtRate(metrics.clientTokensPerSec),
      title: 'completion_tokens / the whole request as this app saw it (TTFT and network included)',
    },
    { id: 'queue', label: 'Queue', value: fmtMs(metrics.queueMs), title: 'time_info.queue_time (server)' },
    { id: 'prompt', label: 'Prompt', value: fmtMs(metrics.promptMs), title: 'time_info.prompt_time (server)' },
    { id: 'decode-time', label: 'Decode time', value: fmtMs(metrics.completionMs), title: 'time_info.completion_time (server)' },
    { id: 'network', label: 'Network + client', value: fmtMs(metrics.networkOverheadMs), title: 'Client total − server total_time' },
    { id: 'in', label: 'Tokens in', value: fmtInt(usage?.prompt_tokens), title: 'usage.prompt_tokens' },
    {
      id: 'out',
      label: 'Tokens out',
      value: usage ? `${fmtInt(usage.completion_tokens)}${reasoning !== undefined ? ` (${fmtInt(reasoning)} reasoning)` : ''}` : DASH,
      title: 'usage.completion_tokens (reasoning tokens separately)',
    },
    { id: 'cost', label: 'Cost', value: fmtUsd(costUsd), title: 'At the catalog price for the tokens the server reported' },
    {
      id: 'saved',
      label: 'Bytes saved',
      value: request
        ? request.encoding === 'json'
          ? `0 (JSON${request.fellBackToJson ? ', fell back' : ''})`
          : `${fmtBytes(request.bytesSaved)} (${request.encoding})`
        : DASH,
      title: request ? `${fmtBytes(request.jsonBytes)} as JSON → ${fmtBytes(request.wireBytes)} on the wire` : 'Request body encoding',
    },
  ]
}

export const MetricChips = memo(function MetricChips({
  metrics,
  usage,
  costUsd,
  demo = false,
}: {
  metrics: ResponseMetrics
  usage: Usage | null
  costUsd: number | null
  /** Made on the demo endpoint: every figure below is made up. */
  demo?: boolean
}) {
  const chips = chipsFor(metrics, usage, costUsd)
  return (
    <div className={`pg-chips${demo ? ' pg-chips-demo' : ''}`} data-testid="metric-chips" data-demo={demo ? 'true' : undefined}>
      {demo ? <DemoBadge label="Demo figures" testId="chips-demo-badge" /> : null}
      {chips.map((c) => (
        <span key={c.id} className="pg-chip" title={c.title} data-chip={c.id}>
          <span className="pg-chip-label">{c.label}</span>
          <span className="pg-chip-value">{c.value}</span>
        </span>
      ))}
      {metrics.attempts > 1 ? (
        <span className="pg-chip" title="Retries before the answer" data-chip="attempts">
          <span className="pg-chip-label">Attempts</span>
          <span className="pg-chip-value">{metrics.attempts}</span>
        </span>
      ) : null}
    </div>
  )
})
