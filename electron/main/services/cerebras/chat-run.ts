import type { ChatDelta, ChatDone, ChatError, ChatRetry, ChatStartArgs } from '@shared/ipc/domains/chat'
import type { RateLimitState } from '@shared/ipc/domains/models'

import type { CerebrasClient, ConnectionConfig } from './cerebras-client'
import type { ChatPolicyGate } from './chat-policy'
import type { Clock } from './clock'
import type { ModelsService } from './models-service'
import type { RateLimitStore } from './rate-limits'
import type { RetryPolicy } from './retry-policy'
import type { AssembledToolCall } from './stream-assembler'

/**
 * What a chat request's run (streamed: stream-run.ts; whole: complete-run.ts)
 * is given, and what it reports to.
 */

export interface ChatSink {
  delta(delta: ChatDelta): void
  retry(retry: ChatRetry): void
  done(done: ChatDone): void
  error(error: ChatError): void
  rateLimit?(state: RateLimitState): void
}

export type CompletionSink = Pick<ChatSink, 'retry' | 'rateLimit'>

/** What a finished stream leaves behind in main (e.g. for history). */
export interface StreamOutcome {
  terminal: { kind: 'done'; event: ChatDone } | { kind: 'error'; event: ChatError }
  content: string
  reasoning: string
  toolCalls: AssembledToolCall[]
}

/** The service's collaborators and settings, as every run uses them. */
export interface ChatRunDeps {
  client: CerebrasClient
  models: ModelsService
  rateLimits: RateLimitStore
  clock: Clock
  retryPolicy: RetryPolicy
  coalesceMs: number
  /** A stream silent for this long is failed. */
  idleTimeoutMs: number
  /** How long a 404 may spend fetching the model list for its hint. */
  modelHintTimeoutMs: number
  /** The active policy: checks the input before sending and filters the output. */
  policy?: ChatPolicyGate
}

/** One admitted request: its id (claimed), what was asked, where it goes, and what aborts it. */
export interface ChatCall {
  requestId: string
  args: ChatStartArgs
  connection: ConnectionConfig
  controller: AbortController
}

/** Keep the server's x-ratelimit-* figures for the model, and tell the caller. */
export function noteRateLimits(
  deps: Pick<ChatRunDeps, 'rateLimits' | 'clock'>,
  model: string,
  headers: Pick<Headers, 'get'>,
  sink: Pick<ChatSink, 'rateLimit'>,
): void {
  const state = deps.rateLimits.update(model, headers, deps.clock.wallNow())
  if (state) sink.rateLimit?.(state)
}
