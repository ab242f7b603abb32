import { randomUUID } from 'node:crypto'

import type { ChatCompletion, ChatRequest, ChatStartArgs } from '@shared/ipc/domains/chat'
import { WaferError } from '@shared/ipc/errors'

import { abortedError } from './api-errors'
import type { CerebrasClient, ConnectionConfig } from './cerebras-client'
import type { ChatPolicyGate } from './chat-policy'
import type { ChatCall, ChatRunDeps, ChatSink, CompletionSink, StreamOutcome } from './chat-run'
import type { Clock } from './clock'
import { completeRun } from './complete-run'
import { DEFAULT_COALESCE_MS } from './delta-coalescer'
import type { ModelsService } from './models-service'
import type { RateLimitStore } from './rate-limits'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy'
import { StreamRun } from './stream-run'

export type { ChatSink, CompletionSink, StreamOutcome } from './chat-run'

/**
 * Runs chat requests against Cerebras: one at a time per request id, each
 * with its own AbortController. A streamed request (StreamRun) ends with
 * exactly one `done` or `error`, whatever happens (server fault, dropped
 * connection, abort), and never resends text the caller already has; a
 * whole-answer request (completeRun) resolves or throws a WaferError.
 */

export interface ChatServiceDeps {
  client: CerebrasClient
  models: ModelsService
  rateLimits: RateLimitStore
  clock: Clock
  /** The base URL, key and compression for a call; throws a WaferError('auth') when no key is set. */
  getConnection(): Promise<ConnectionConfig>
  retryPolicy?: Partial<RetryPolicy>
  coalesceMs?: number
  /** A stream silent for this long is failed (default 120 s). */
  idleTimeoutMs?: number
  /** How long a 404 may spend fetching the model list for its hint. */
  modelHintTimeoutMs?: number
  /** The active policy: checks the input before sending and filters the output as it streams. */
  policy?: ChatPolicyGate
}

export interface StartedChat {
  requestId: string
  finished: Promise<StreamOutcome>
}

const DEFAULT_IDLE_TIMEOUT_MS = 120_000

export class ChatService {
  private readonly running = new Map<string, AbortController>()
  private readonly runDeps: ChatRunDeps

  constructor(private readonly deps: ChatServiceDeps) {
    this.runDeps = {
      client: deps.client,
      models: deps.models,
      rateLimits: deps.rateLimits,
      clock: deps.clock,
      retryPolicy: { ...DEFAULT_RETRY_POLICY, ...deps.retryPolicy },
      coalesceMs: deps.coalesceMs ?? DEFAULT_COALESCE_MS,
      idleTimeoutMs: deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      modelHintTimeoutMs: deps.modelHintTimeoutMs ?? 3000,
      policy: deps.policy,
    }
  }

  isRunning(requestId: string): boolean {
    return this.running.has(requestId)
  }

  /** Stop a request at once. False if it is not running. */
  abort(requestId: string): boolean {
    const controller = this.running.get(requestId)
    if (!controller) return false
    controller.abort(abortedError())
    return true
  }

  abortAll(): void {
    for (const id of [...this.running.keys()]) this.abort(id)
  }

  /**
   * Start a streamed request. Resolves with its id as soon as it is under
   * way; fails now (no events) if there is no key or the id is taken.
   */
  async start(args: ChatStartArgs, sink: ChatSink): Promise<StartedChat> {
    const call = await this.admit(args)
    const finished = new StreamRun(this.runDeps, call, sink).run().finally(() => this.release(call))
    return { requestId: call.requestId, finished }
  }

  /** A non-streamed request; throws a WaferError on failure. */
  async complete(args: ChatStartArgs, sink: CompletionSink): Promise<ChatCompletion> {
    const call = await this.admit(args)
    try {
      return await completeRun(this.runDeps, call, sink)
    } finally {
      this.release(call)
    }
  }

  /**
   * What every request goes through first: claim its id (a running id is a
   * conflict), check what this service cannot send, and get the connection
   * (no key: an auth error). The id is released again if any of it fails.
   */
  private async admit(args: ChatStartArgs): Promise<ChatCall> {
    const controller = new AbortController()
    const requestId = args.requestId ?? randomUUID()
    if (this.running.has(requestId)) throw new WaferError('conflict', `A request with id ${requestId} is already running.`)
    this.running.set(requestId, controller)
    try {
      checkSupported(args.request)
      const connection = await this.deps.getConnection()
      return { requestId, args, connection, controller }
    } catch (err) {
      this.running.delete(requestId)
      throw err
    }
  }

  private release(call: ChatCall): void {
    this.running.delete(call.requestId)
  }
}

function checkSupported(request: ChatRequest): void {
  if (request.n != null && request.n > 1) {
    throw new WaferError('bad_request', 'n > 1 is not supported here: run the request several times (or use Compare) instead.')
  }
}
