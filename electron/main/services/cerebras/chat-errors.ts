import { deprecationInfo, suggestReplacement } from '@shared/catalog/lookup'
import { WaferError } from '@shared/ipc/errors'

import { abortedError, type ApiErrorBody, errorFromHttp, formatDuration, networkError } from './api-errors'
import { type ConnectionConfig, TransportError, type TransportFailure } from './cerebras-client'
import type { ChatRunDeps } from './chat-run'

/** An attempt's failure, before it becomes a user-facing error. */
export type Failure =
  | TransportFailure
  | { kind: 'stream-error'; body: ApiErrorBody }
  | { kind: 'stream-network'; cause: unknown }
  | { kind: 'malformed'; sample: string }
  | { kind: 'idle'; idleMs: number }
  | { kind: 'incomplete' }

/** A failed call as a Failure: aborted when the signal was, else what the transport said. */
export function toFailure(err: unknown, signal: AbortSignal): Failure {
  if (signal.aborted) return { kind: 'aborted' }
  if (err instanceof TransportError) return err.failure
  return { kind: 'network', cause: err }
}

/**
 * The error a request ends with, in words the user can act on. A 404 for
 * the model adds the models this key can call and the catalog's replacement.
 */
export async function failureError(
  deps: Pick<ChatRunDeps, 'models' | 'clock' | 'modelHintTimeoutMs'>,
  failure: Failure,
  model: string,
  connection: ConnectionConfig,
  serverWaitMsHint?: number,
): Promise<WaferError> {
  switch (failure.kind) {
    case 'http': {
      const resetSeconds = serverWaitMsHint !== undefined ? serverWaitMsHint / 1000 : null
      const error = errorFromHttp({ status: failure.status, body: failure.body, model, resetSeconds })
      return error.code === 'model_not_found' ? withModelHint(deps, error, model, connection) : error
    }
    case 'network':
      return networkError(failure.cause, 'connect')
    case 'stream-network':
      return networkError(failure.cause, 'stream')
    case 'aborted':
      return abortedError()
    case 'stream-error': {
      const inner = errorFromHttp({ status: failure.body.statusCode ?? 500, body: failure.body, model })
      return new WaferError(inner.code, `The stream failed part-way: ${inner.message.replace(/\.?$/, '.')} The text received so far is kept.`, {
        ...inner.details,
        midStream: true,
      })
    }
    case 'malformed':
      return new WaferError(
        'upstream',
        `The server sent a chunk that is not valid JSON ("${failure.sample.slice(0, 60)}"), so the reply was stopped there. The text received so far is kept.`,
        { sample: failure.sample },
      )
    case 'idle':
      return new WaferError(
        'network',
        `No data from Cerebras for ${formatDuration(failure.idleMs / 1000)}, so the request was stopped. The text received so far is kept.`,
        { idleMs: failure.idleMs },
      )
    case 'incomplete':
      return new WaferError('network', 'The stream ended before the reply was finished. The text received so far is kept.', {
        phase: 'stream',
      })
  }
}

/** A 404's recovery hint: the models this key can call and the catalog's replacement. */
async function withModelHint(
  deps: Pick<ChatRunDeps, 'models' | 'clock' | 'modelHintTimeoutMs'>,
  error: WaferError,
  model: string,
  connection: ConnectionConfig,
): Promise<WaferError> {
  const { clock } = deps
  let available: string[] | null
  const timeout = new AbortController()
  const cancel = clock.setTimer(() => timeout.abort(), deps.modelHintTimeoutMs)
  try {
    const list = await deps.models.listAccessible(connection, { signal: timeout.signal })
    available = list.models.map((m) => m.id)
  } catch {
    available = null
  } finally {
    cancel()
  }
  const deprecation = deprecationInfo(model, new Date(clock.wallNow())) ?? null
  const suggested = suggestReplacement(model, available ?? undefined) ?? null
  const parts = [error.message]
  if (deprecation) parts.push(deprecation.message)
  if (suggested && !deprecation?.message.includes(suggested)) parts.push(`Try ${suggested}.`)
  if (available) {
    const shown = available.slice(0, 8).join(', ')
    parts.push(available.length ? `This key can call: ${shown}${available.length > 8 ? ', …' : ''}.` : 'This key cannot call any model.')
  } else {
    parts.push('(The list of models this key can call could not be fetched.)')
  }
  return new WaferError('model_not_found', parts.join(' '), {
    ...error.details,
    hint: { availableModels: available, suggestedReplacement: suggested, deprecation },
  })
}
