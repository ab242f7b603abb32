import { CACHED_PRICE_NOTE } from '@shared/catalog/usage-cost'
import type { ResponseMetrics, Usage } from '@shared/ipc/domains/chat'
import { honestFigures } from '@shared/metrics/honest-figures'

import { DASH, fmtBytes, fmtInt, fmtMs, fmtRate, fmtUsd } from '../lib/format'
import { showFigure } from '../lib/withheld'

/**
 * The figures of a finished run, each from its source: TTFT and client
 * tokens/s measured in main, decode tokens/s and queue/prompt/decode time
 * from the server's time_info, tokens from its usage. A figure the server
 * did not send shows "—", never an estimate; so does one the honesty rule
 * (shared/metrics/honest-figures.ts) withholds, with the reason.
 */

export interface Chip {
  id: string
  label: string
  value: string
  title: string
  /** Why the value is "—" although it could be computed (the honesty rule). */
  why?: string | null
}

export function chipsFor(metrics: ResponseMetrics, usage: Usage | null, costUsd: number | null): Chip[] {
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens
  const cached = usage?.prompt_tokens_details?.cached_tokens
  const request = metrics.request
  const honest = honestFigures(metrics, usage)
  const decode = showFigure(honest.serverDecodeTokensPerSec, fmtRate)
  const client = showFigure(honest.clientTokensPerSec, fmtRate)
  const network = showFigure(honest.networkOverheadMs, fmtMs)
  return [
    { id: 'ttft', label: 'TTFT', value: fmtMs(metrics.ttftMs), title: 'Time to first token, measured in main from the start of the answered attempt' },
    { id: 'decode', label: 'Decode', value: decode.text, why: decode.why, title: 'completion_tokens / time_info.completion_time (server)' },
    {
      id: 'client',
      label: 'Client',
      value: client.text,
      why: client.why,
      title: 'completion_tokens / the whole request as this app saw it (TTFT and network included)',
    },
    { id: 'queue', label: 'Queue', value: fmtMs(metrics.queueMs), title: 'time_info.queue_time (server)' },
    { id: 'prompt', label: 'Prompt', value: fmtMs(metrics.promptMs), title: 'time_info.prompt_time (server)' },
    { id: 'decode-time', label: 'Decode time', value: fmtMs(metrics.completionMs), title: 'time_info.completion_time (server)' },
    { id: 'network', label: 'Network + client', value: network.text, why: network.why, title: 'Client total − server total_time' },
    { id: 'in', label: 'Tokens in', value: fmtInt(usage?.prompt_tokens), title: 'usage.prompt_tokens' },
    ...(cached !== undefined
      ? [
          {
            id: 'cached',
            label: 'Cached',
            value: fmtInt(cached),
            title: `usage.prompt_tokens_details.cached_tokens: prompt tokens Cerebras served from its prompt cache (counted in Tokens in). ${CACHED_PRICE_NOTE}`,
          },
        ]
      : []),
    {
      id: 'out',
      label: 'Tokens out',
      value: usage ? `${fmtInt(usage.completion_tokens)}${reasoning !== undefined ? ` (${fmtInt(reasoning)} reasoning)` : ''}` : DASH,
      title: 'usage.completion_tokens (reasoning tokens separately)',
    },
    {
      id: 'cost',
      label: 'Cost',
      value: fmtUsd(costUsd),
      title: `At the catalog price for the tokens the server reported.${cached ? ` ${CACHED_PRICE_NOTE}` : ''}`,
    },
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
