import { randomUUID } from 'node:crypto'
import { deprecationInfo, suggestReplacement } from '../../../../shared/catalog/lookup'
import type {
  ChatCompletion,
  ChatDelta,
  ChatDone,
  ChatError,
  ChatRequest,
  ChatRetry,
  ChatStartArgs,
  RequestBodyStats,
  TokenLogprob,
  Usage,
} from '../../../../shared/ipc/domains/chat'
import type { RateLimitState } from '../../../../shared/ipc/domains/models'
import { WaferError } from '../../../../shared/ipc/errors'
import { abortedError, errorFromHttp, formatDuration, networkError, type ApiErrorBody } from './api-errors'
import { TransportError, type CerebrasClient, type ConnectionConfig, type TransportFailure } from './cerebras-client'
import { parseLogprobs } from './logprobs'
import { failedEnd, PolicyFilteredFeed, type ChatPolicyGate, type ChatPolicyRun } from './chat-policy'
import type { Clock } from './clock'
import { DEFAULT_COALESCE_MS, DeltaCoalescer } from './delta-coalescer'
import type { ModelsService } from './models-service'
import { policyCheckFailed } from '../policy-core/fail-closed'
import type { RateLimitStore } from './rate-limits'
import { computeMetrics, ResponseTimings } from './response-metrics'
import {
  DEFAULT_RETRY_POLICY,
  isTransientStatus,
  quotaKind,
  retryDelay,
  serverWaitMs,
  type RetryPolicy,
} from './retry-policy'
import { IdleTimeoutError, readSse } from './sse-reader'
import { MalformedChunk, normaliseTimeInfo, normaliseUsage, StreamAssembler, StreamErrorChunk, type AssembledToolCall } from './stream-assembler'

/**
 * Runs chat requests against Cerebras: one at a time per request id, each
 * with its own AbortController. A streamed request ends with exactly one
 * `done` or `error`, whatever happens (server fault, dropped connection,
 * abort), and never resends text the caller already has.
 */

export interface ChatSink {
  delta(delta: ChatDelta): void
  retry(retry: ChatRetry): void
  done(done: ChatDone): void
  error(error: ChatError): void
  rateLimit?(state: RateLimitState): void
}

export type CompletionSink = Pick<ChatSink, 'retry' | 'rateLimit'>

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

/** What a finished stream leaves behind in main (e.g. for history). */
export interface StreamOutcome {
  terminal: { kind: 'done'; event: ChatDone } | { kind: 'error'; event: ChatError }
  content: string
  reasoning: string
  toolCalls: AssembledToolCall[]
}

export interface StartedChat {
  requestId: string
  finished: Promise<StreamOutcome>
}

/** An attempt's failure, before it becomes a user-facing error. */
type Failure =
  | TransportFailure
  | { kind: 'stream-error'; body: ApiErrorBody }
  | { kind: 'stream-network'; cause: unknown }
  | { kind: 'malformed'; sample: string }
  | { kind: 'idle'; idleMs: number }
  | { kind: 'incomplete' }

interface RetryCounters {
  rateLimit: number
  server: number
  waitedMs: number
}

const DEFAULT_IDLE_TIMEOUT_MS = 120_000

export class ChatService {
  private readonly running = new Map<string, AbortController>()
  private readonly policy: RetryPolicy

  constructor(private readonly deps: ChatServiceDeps) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...deps.retryPolicy }
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
    const controller = new AbortController()
    const requestId = this.claim(args.requestId, controller)
    try {
      checkSupported(args.request)
      const connection = await this.deps.getConnection()
      const finished = this.runStream(requestId, args, connection, controller, sink).finally(() => this.running.delete(requestId))
      return { requestId, finished }
    } catch (err) {
      this.running.delete(requestId)
      throw err
    }
  }

  /** A non-streamed request; throws a WaferError on failure. */
  async complete(args: ChatStartArgs, sink: CompletionSink): Promise<ChatCompletion> {
    const controller = new AbortController()
    const requestId = this.claim(args.requestId, controller)
    try {
      checkSupported(args.request)
      const connection = await this.deps.getConnection()
      return await this.runComplete(requestId, args, connection, controller, sink)
    } finally {
      this.running.delete(requestId)
    }
  }

  private claim(requested: string | undefined, controller: AbortController): string {
    const requestId = requested ?? randomUUID()
    if (this.running.has(requestId)) throw new WaferError('conflict', `A request with id ${requestId} is already running.`)
    this.running.set(requestId, controller)
    return requestId
  }

  private async runStream(
    requestId: string,
    args: ChatStartArgs,
    connection: ConnectionConfig,
    controller: AbortController,
    sink: ChatSink,
  ): Promise<StreamOutcome> {
    const { clock } = this.deps
    const model = args.request.model
    const signal = controller.signal
    const counters: RetryCounters = { rateLimit: 0, server: 0, waitedMs: 0 }
    const maxRateLimitRetries = args.retry?.maxRateLimitRetries ?? this.policy.maxRateLimitRetries

    let seq = 0
    const coalescer = new DeltaCoalescer((d) => sink.delta({ requestId, seq: seq++, ...d }), clock, this.deps.coalesceMs ?? DEFAULT_COALESCE_MS)
    let timings: ResponseTimings | null = null
    let assembler: StreamAssembler | null = null
    let bodyStats: RequestBodyStats | null = null
    let attempts = 0
    let outcome: StreamOutcome['terminal'] | null = null
    let gate: ChatPolicyRun | null = null
    let feed: PolicyFilteredFeed | null = null
    const policyFields = () =>
      gate ? { policy: gate.outcome(feed?.withheld() ?? 0), ...(gate.sentMessages ? { sentMessages: gate.sentMessages } : {}) } : {}
    const startedAt = clock.now()
    const endBase = () => ({ model, stream: true, target: hostOf(connection.baseUrl), latencyMs: Math.round((clock.now() - startedAt) * 100) / 100 })

    const metrics = () =>
      computeMetrics({
        timings,
        streamed: true,
        usage: assembler?.usage ?? null,
        timeInfo: assembler?.timeInfo ?? null,
        request: bodyStats,
        attempts,
        retryWaitMs: counters.waitedMs,
      })
    const received = () => ({
      contentChars: assembler?.contentChars ?? 0,
      reasoningChars: assembler?.reasoningChars ?? 0,
      toolCalls: assembler?.toolCallCount ?? 0,
    })
    const finish = (emit: () => void) => {
      coalescer.flush()
      coalescer.close()
      emit()
    }
    const fail = (error: WaferError) => {
      if (outcome) return
      timings?.end(clock.now())
      const event: ChatError = { requestId, model, error: error.toWire(), received: received(), metrics: metrics(), ...policyFields() }
      gate?.settle(failedEnd(endBase(), error))
      outcome = { kind: 'error', event }
      finish(() => sink.error(event))
      // Close the connection if it is still open; the abort listener sees `outcome` and stays quiet.
      if (!signal.aborted) controller.abort(error)
    }
    const succeed = () => {
      if (outcome) return
      // Text the output policy held back (a possible match at the very end) goes out now, redacted.
      const blocked = feed?.release()
      if (blocked) {
        fail(blocked)
        return
      }
      timings?.end(clock.now())
      const a = assembler!
      const event: ChatDone = {
        requestId,
        model: a.model ?? model,
        completionId: a.completionId,
        finishReason: a.finishReason,
        usage: a.usage,
        timeInfo: a.timeInfo,
        metrics: metrics(),
        ...policyFields(),
      }
      gate?.settle({ ...endBase(), status: 200, usage: usageCounts(a.usage) })
      outcome = { kind: 'done', event }
      finish(() => sink.done(event))
    }
    // Abort takes effect now, not when the socket notices.
    const onAbort = () => fail(signal.reason instanceof WaferError ? signal.reason : abortedError())
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })

    // The policy sees the request before anything is sent; a block ends it here.
    if (this.deps.policy && !outcome) {
      gate = await beginPolicy(this.deps.policy, args.request, requestId)
      if (gate?.blocked) fail(gate.blocked)
      const content = gate?.outputFilter('content') ?? null
      const reasoning = gate?.outputFilter('reasoning') ?? null
      if (content || reasoning) feed = new PolicyFilteredFeed(coalescer, content, reasoning, (error) => fail(error), () => gate?.outputFilter('tool_arguments') ?? null)
    }
    const request = gate?.request ?? args.request

    while (!outcome) {
      attempts++
      timings = new ResponseTimings(clock.now())
      // Tokens are timed by the network read that brought them, not by when they were parsed.
      const arrival = { at: clock.now() }
      assembler = new StreamAssembler(feed ?? coalescer, timings, () => arrival.at)
      const failure = await this.streamAttempt(connection, request, requestId, signal, coalescer, timings, assembler, arrival, (s) => (bodyStats = s), sink)
      if (outcome) break
      if (!failure) {
        succeed()
        break
      }
      if (failure.kind === 'aborted') {
        fail(abortedError())
        break
      }
      // Retrying is only safe while the caller has seen nothing of this attempt.
      const untouched = seq === 0 && assembler.contentChars === 0 && assembler.reasoningChars === 0 && assembler.toolCallCount === 0
      const plan = untouched ? this.planRetry(failure, counters, maxRateLimitRetries) : null
      if (plan?.retry) {
        timings.end(clock.now())
        const waited = await this.countdown(requestId, plan, counters, maxRateLimitRetries, sink, signal)
        if (!waited) {
          fail(abortedError())
          break
        }
        continue
      }
      fail(await this.toError(failure, model, connection, plan?.serverWaitMs))
    }
    return {
      terminal: outcome!,
      content: coalescer.sentContentText(),
      reasoning: coalescer.sentReasoningText(),
      toolCalls: assembler?.toolCalls() ?? [],
    }
  }

  /** One HTTP attempt and its stream. Undefined on success. */
  private async streamAttempt(
    connection: ConnectionConfig,
    request: ChatRequest,
    requestId: string,
    signal: AbortSignal,
    coalescer: DeltaCoalescer,
    timings: ResponseTimings,
    assembler: StreamAssembler,
    arrival: { at: number },
    onBodyStats: (s: RequestBodyStats) => void,
    sink: ChatSink,
  ): Promise<Failure | undefined> {
    const { clock } = this.deps
    let response: Response
    try {
      response = await this.deps.client.openStream(connection, request as Record<string, unknown>, { requestId, signal, onBodyStats })
    } catch (err) {
      const failure = toFailure(err, signal)
      if (failure.kind === 'http') this.noteRateLimits(request.model, failure.headers, sink)
      return failure
    }
    this.noteRateLimits(request.model, response.headers, sink)
    try {
      await readSse(response.body, {
        signal,
        onData: (data) => assembler.handleData(data),
        onBytes: () => (arrival.at = clock.now()),
        onReadEnd: () => coalescer.endOfRead(),
        idleTimeoutMs: this.deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        clock,
      })
    } catch (err) {
      if (signal.aborted) return { kind: 'aborted' }
      if (err instanceof StreamErrorChunk) return { kind: 'stream-error', body: err.body }
      if (err instanceof MalformedChunk) return { kind: 'malformed', sample: err.sample }
      if (err instanceof IdleTimeoutError) return { kind: 'idle', idleMs: err.idleMs }
      return { kind: 'stream-network', cause: err }
    }
    timings.end(clock.now())
    if (assembler.finishReason === null && !assembler.sawDoneMarker) return { kind: 'incomplete' }
    return undefined
  }

  private async runComplete(
    requestId: string,
    args: ChatStartArgs,
    connection: ConnectionConfig,
    controller: AbortController,
    sink: CompletionSink,
  ): Promise<ChatCompletion> {
    const { clock } = this.deps
    const model = args.request.model
    const gate = this.deps.policy ? await beginPolicy(this.deps.policy, args.request, requestId) : null
    if (!gate) return this.completeAttempts(requestId, args, connection, controller, sink, null)
    const startedAt = clock.now()
    const endBase = () => ({ model, stream: false, target: hostOf(connection.baseUrl), latencyMs: Math.round((clock.now() - startedAt) * 100) / 100 })
    try {
      if (gate.blocked) throw gate.blocked
      const done = await this.completeAttempts(requestId, args, connection, controller, sink, gate)
      gate.settle({ ...endBase(), status: 200, usage: usageCounts(done.usage) })
      return done
    } catch (err) {
      gate.settle(failedEnd(endBase(), err))
      throw err
    }
  }

  /** The attempts of a whole-answer request (retries included), through the policy when there is one. */
  private async completeAttempts(
    requestId: string,
    args: ChatStartArgs,
    connection: ConnectionConfig,
    controller: AbortController,
    sink: CompletionSink,
    gate: ChatPolicyRun | null,
  ): Promise<ChatCompletion> {
    const { clock } = this.deps
    const model = args.request.model
    const counters: RetryCounters = { rateLimit: 0, server: 0, waitedMs: 0 }
    const maxRateLimitRetries = args.retry?.maxRateLimitRetries ?? this.policy.maxRateLimitRetries
    let attempts = 0
    let bodyStats: RequestBodyStats | null = null
    const request = gate?.request ?? args.request
    for (;;) {
      attempts++
      const timings = new ResponseTimings(clock.now())
      let failure: Failure | undefined
      let completion: ChatCompletion | undefined
      try {
        const result = await this.deps.client.complete(connection, request as Record<string, unknown>, {
          requestId,
          signal: controller.signal,
          onBodyStats: (s) => (bodyStats = s),
        })
        timings.end(clock.now())
        this.noteRateLimits(model, result.headers, sink)
        completion = buildCompletion(requestId, model, result.data, computeCompletionMetrics(timings, result.data, bodyStats, attempts, counters))
      } catch (err) {
        failure = toFailure(err, controller.signal)
        if (failure.kind === 'http') this.noteRateLimits(model, failure.headers, sink)
      }
      // Outside the try: an output block is the answer's fate, not a transport failure to retry.
      if (completion) return gate ? withPolicy(completion, gate) : completion
      if (!failure) throw new WaferError('internal', 'The request ended without an answer or an error.')
      if (failure.kind === 'aborted') throw abortedError()
      const plan = this.planRetry(failure, counters, maxRateLimitRetries)
      if (plan.retry) {
        const waited = await this.countdown(requestId, plan, counters, maxRateLimitRetries, sink, controller.signal)
        if (!waited) throw abortedError()
        continue
      }
      throw await this.toError(failure, model, connection, plan.serverWaitMs)
    }
  }

  private noteRateLimits(model: string, headers: Pick<Headers, 'get'>, sink: Pick<ChatSink, 'rateLimit'>): void {
    const state = this.deps.rateLimits.update(model, headers, this.deps.clock.wallNow())
    if (state) sink.rateLimit?.(state)
  }

  private planRetry(failure: Failure, counters: RetryCounters, maxRateLimitRetries: number): RetryPlan {
    const { clock } = this.deps
    const random = () => clock.random()
    const no: RetryPlan = { retry: false, waitMs: 0, reason: 'server_error', attempt: 0 }
    const rateLimited = (hint: number | undefined): RetryPlan => {
      if (counters.rateLimit >= maxRateLimitRetries) return { ...no, serverWaitMs: hint }
      const d = retryDelay(counters.rateLimit + 1, hint, this.policy, random)
      if (!d.retry) return { ...no, serverWaitMs: d.serverWaitMs }
      counters.rateLimit++
      return { retry: true, waitMs: d.waitMs, reason: 'rate_limited', attempt: counters.rateLimit, serverWaitMs: hint }
    }
    const transient = (reason: 'server_error' | 'network', hint?: number): RetryPlan => {
      if (counters.server >= this.policy.maxServerRetries) return no
      const d = retryDelay(counters.server + 1, hint, this.policy, random)
      if (!d.retry) return no
      counters.server++
      return { retry: true, waitMs: d.waitMs, reason, attempt: counters.server }
    }
    switch (failure.kind) {
      case 'http': {
        const hint = serverWaitMs(failure.headers, quotaKind(failure.body?.code, failure.body?.type), clock.wallNow())
        if (failure.status === 429) return rateLimited(hint)
        if (isTransientStatus(failure.status)) return transient('server_error', hint)
        return no
      }
      case 'network':
      case 'stream-network':
      case 'incomplete':
        return transient('network')
      case 'stream-error': {
        const status = failure.body.statusCode ?? 500
        if (status === 429) return rateLimited(undefined)
        return isTransientStatus(status) ? transient('server_error') : no
      }
      default:
        return no
    }
  }

  /** Wait before a retry, telling the caller about once a second. False if aborted meanwhile. */
  private async countdown(
    requestId: string,
    plan: RetryPlan,
    counters: RetryCounters,
    maxRateLimitRetries: number,
    sink: CompletionSink,
    signal: AbortSignal,
  ): Promise<boolean> {
    const { clock } = this.deps
    const retryAt = clock.wallNow() + plan.waitMs
    const maxRetries = plan.reason === 'rate_limited' ? maxRateLimitRetries : this.policy.maxServerRetries
    const why =
      plan.reason === 'rate_limited' ? 'Rate limited by Cerebras' : plan.reason === 'network' ? 'Connection failed' : 'Cerebras server error'
    let remaining = plan.waitMs
    const tell = () =>
      sink.retry({
        requestId,
        reason: plan.reason,
        attempt: plan.attempt,
        maxRetries,
        waitMs: plan.waitMs,
        remainingMs: remaining,
        retryAt,
        message: `${why}; retry ${plan.attempt} of ${maxRetries} in ${Math.ceil(remaining / 1000)} s`,
      })
    tell()
    try {
      while (remaining > 0) {
        // Tick on whole seconds of what is left, so a countdown reads 3, 2, 1.
        const step = remaining % 1000 || Math.min(1000, remaining)
        await clock.sleep(step, signal)
        remaining -= step
        counters.waitedMs += step
        if (remaining > 0) tell()
      }
    } catch {
      return false
    }
    return !signal.aborted
  }

  private async toError(failure: Failure, model: string, connection: ConnectionConfig, serverWaitMsHint?: number): Promise<WaferError> {
    switch (failure.kind) {
      case 'http': {
        const resetSeconds = serverWaitMsHint !== undefined ? serverWaitMsHint / 1000 : null
        const error = errorFromHttp({ status: failure.status, body: failure.body, model, resetSeconds })
        return error.code === 'model_not_found' ? this.withModelHint(error, model, connection) : error
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
  private async withModelHint(error: WaferError, model: string, connection: ConnectionConfig): Promise<WaferError> {
    const { clock } = this.deps
    let available: string[] | null = null
    const timeout = new AbortController()
    const cancel = clock.setTimer(() => timeout.abort(), this.deps.modelHintTimeoutMs ?? 3000)
    try {
      const list = await this.deps.models.listAccessible(connection, { signal: timeout.signal })
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
}

interface RetryPlan {
  retry: boolean
  waitMs: number
  reason: 'rate_limited' | 'server_error' | 'network'
  attempt: number
  /** What the server asked for, when it said. */
  serverWaitMs?: number
}

function toFailure(err: unknown, signal: AbortSignal): Failure {
  if (signal.aborted) return { kind: 'aborted' }
  if (err instanceof TransportError) return err.failure
  return { kind: 'network', cause: err }
}

function checkSupported(request: ChatRequest): void {
  if (request.n != null && request.n > 1) {
    throw new WaferError('bad_request', 'n > 1 is not supported here: run the request several times (or use Compare) instead.')
  }
}

function computeCompletionMetrics(
  timings: ResponseTimings,
  data: Record<string, unknown>,
  request: RequestBodyStats | null,
  attempts: number,
  counters: RetryCounters,
) {
  return computeMetrics({
    timings,
    streamed: false,
    usage: normaliseUsage(data.usage),
    timeInfo: normaliseTimeInfo(data.time_info),
    request,
    attempts,
    retryWaitMs: counters.waitedMs,
  })
}

function buildCompletion(
  requestId: string,
  model: string,
  data: Record<string, unknown>,
  metrics: ChatCompletion['metrics'],
): ChatCompletion {
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

/** The API's host, as the audit log names where a request went. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host
  } catch {
    return baseUrl.slice(0, 200)
  }
}

function usageCounts(u: Usage | null | undefined): { promptTokens: number; completionTokens: number; totalTokens: number } | null {
  return u ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, totalTokens: u.total_tokens } : null
}

/** The policy's view of a request; a gate that throws fails closed. */
async function beginPolicy(gate: ChatPolicyGate, request: ChatRequest, requestId: string): Promise<ChatPolicyRun | null> {
  try {
    return await gate.begin(request, requestId)
  } catch (err) {
    return policyCheckFailed(request, err)
  }
}

/** A whole answer through the output policy (throws its block error). */
function withPolicy(completion: ChatCompletion, gate: ChatPolicyRun): ChatCompletion {
  const message = {
    ...completion.message,
    content: completion.message.content === null ? null : gate.checkOutput(completion.message.content),
    reasoning: completion.message.reasoning === null ? null : gate.checkOutput(completion.message.reasoning),
    toolCalls: completion.message.toolCalls.map((c) => (c.function.arguments ? { ...c, function: { ...c.function, arguments: gate.checkOutput(c.function.arguments) } } : c)),
  }
  // Log probabilities spell out the raw tokens: not past a policy that reads the output.
  const { logprobs, ...rest } = completion
  const keep = logprobs && !gate.readsOutput ? { logprobs } : {}
  return { ...rest, ...keep, message, policy: gate.outcome(0), ...(gate.sentMessages ? { sentMessages: gate.sentMessages } : {}) }
}
