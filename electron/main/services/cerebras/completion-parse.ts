import type { ChatCompletion, RequestBodyStats, TokenLogprob } from '@shared/ipc/domains/chat'

import { parseLogprobs } from './logprobs'
import { computeMetrics, type ResponseTimings } from './response-metrics'
import { normaliseTimeInfo, normaliseUsage } from './stream-assembler'

/** The figures of a whole (non-streamed) answer. */
export function completionMetrics(
  timings: ResponseTimings,
  data: Record<string, unknown>,
  request: RequestBodyStats | null,
  attempts: number,
  retryWaitMs: number,
): ChatCompletion['metrics'] {
  return computeMetrics({
    timings,
    streamed: false,
    usage: normaliseUsage(data.usage),
    timeInfo: normaliseTimeInfo(data.time_info),
    request,
    attempts,
    retryWaitMs,
  })
}

/** A whole answer as the server sent it, read defensively: what is missing or of the wrong type is null or empty. */
export function buildCompletion(requestId: string, model: string, data: Record<string, unknown>, metrics: ChatCompletion['metrics']): ChatCompletion {
  const choices = Array.isArray(data.choices) ? (data.choices as Record<string, unknown>[]) : []
  const choice = choices[0] ?? {}
  const message = (choice.message ?? {}) as Record<string, unknown>
  const toolCalls = Array.isArray(message.tool_calls) ? (message.tool_calls as Record<string, unknown>[]) : []
  return {
    requestId,
    model: typeof data.model === 'string' ? data.model : model,
    completionId: typeof data.id === 'string' ? data.id : null,
    message: {
      content: typeof message.content === 'string' ? message.content : null,
      reasoning: typeof message.reasoning === 'string' ? message.reasoning : null,
      toolCalls: toolCalls.map((c) => {
        const fn = (c.function ?? {}) as Record<string, unknown>
        return {
          id: typeof c.id === 'string' ? c.id : '',
          type: 'function' as const,
          function: { name: typeof fn.name === 'string' ? fn.name : '', arguments: typeof fn.arguments === 'string' ? fn.arguments : '' },
        }
      }),
    },
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    usage: normaliseUsage(data.usage),
    timeInfo: normaliseTimeInfo(data.time_info),
    metrics,
    ...logprobsField(parseLogprobs(choice.logprobs)),
  }
}

const logprobsField = (tokens: TokenLogprob[] | null) => (tokens ? { logprobs: tokens } : {})
