import type { ChatDone, ChatError, ChatRequest, RequestBodyStats } from '@shared/ipc/domains/chat'
import { WaferError } from '@shared/ipc/errors'

import { abortedError } from './api-errors'
import { type Failure, toFailure } from './chat-errors'
import { type ChatPolicyRun, failedEnd, PolicyFilteredFeed } from './chat-policy'
import { beginPolicy, endClock, usageCounts } from './chat-policy-run'
import { RequestRetries } from './chat-retry'
import { type ChatCall, type ChatRunDeps, type ChatSink, noteRateLimits, type StreamOutcome } from './chat-run'
import { DeltaCoalescer } from './delta-coalescer'
import { computeMetrics, ResponseTimings } from './response-metrics'
import { IdleTimeoutError, readSse } from './sse-reader'
import { MalformedChunk, StreamAssembler, StreamErrorChunk } from './stream-assembler'

/**
 * One streamed chat request, from the policy's look at the input to its one
 * `done` or `error`. Text goes to the caller in coalesced deltas numbered
 * from 0; an attempt that fails before the caller has seen any of it is
 * retried (after a countdown) as RequestRetries says; whatever happens
 * (server fault, dropped connection, abort, a policy block) the run ends
 * with exactly one terminal event and never resends text the caller has.
 *
 * States: policy check → attempt (→ waiting → attempt)* → done | error.
 * An abort ends it at once, in any state.
 */
export class StreamRun {
  /** Deltas sent so far; the next delta's seq. */
  private seq = 0
  private readonly coalescer: DeltaCoalescer
  private timings: ResponseTimings | null = null
  private assembler: StreamAssembler | null = null
  private bodyStats: RequestBodyStats | null = null
  private attempts = 0
  private outcome: StreamOutcome['terminal'] | null = null
  private gate: ChatPolicyRun | null = null
  private feed: PolicyFilteredFeed | null = null
  private readonly retries: RequestRetries
  private readonly endBase: ReturnType<typeof endClock>

  constructor(
    private readonly deps: ChatRunDeps,
    private readonly call: ChatCall,
    private readonly sink: ChatSink,
  ) {
    const { requestId } = call
    this.coalescer = new DeltaCoalescer((d) => sink.delta({ requestId, seq: this.seq++, ...d }), deps.clock, deps.coalesceMs)
    this.retries = new RequestRetries(deps, call, sink)
    this.endBase = endClock(call, true, deps.clock)
  }

  private get model(): string {
    return this.call.args.request.model
  }

  /** Runs the request to its end; resolves (never rejects) with how it ended and what the caller was sent. */
  async run(): Promise<StreamOutcome> {
    const { deps, call } = this
    const signal = call.controller.signal
    // Abort takes effect now, not when the socket notices.
    const onAbort = () => this.fail(signal.reason instanceof WaferError ? signal.reason : abortedError())
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })

    // The policy sees the request before anything is sent; a block ends it here.
    if (deps.policy && !this.outcome) await this.beginPolicy()
    const request = this.gate?.request ?? call.args.request

    while (!this.outcome) {
      this.attempts++
      const timings = (this.timings = new ResponseTimings(deps.clock.now()))
      // Tokens are timed by the network read that brought them, not by when they were parsed.
      const arrival = { at: deps.clock.now() }
      const assembler = (this.assembler = new StreamAssembler(this.feed ?? this.coalescer, timings, () => arrival.at))
      const failure = await this.attempt(request, assembler, arrival)
      if (this.outcome) break
      if (!failure) {
        this.succeed()
        break
      }
      if (failure.kind === 'aborted') {
        this.fail(abortedError())
        break
      }
      // Retrying is only safe while the caller has seen nothing of this attempt.
      const untouched = this.seq === 0 && assembler.contentChars === 0 && assembler.reasoningChars === 0 && assembler.toolCallCount === 0
      const next = await this.retries.next(failure, untouched, () => timings.end(deps.clock.now()))
      if (next !== true) this.fail(next)
    }
    return {
      terminal: this.outcome!,
      content: this.coalescer.sentContentText(),
      reasoning: this.coalescer.sentReasoningText(),
      toolCalls: this.assembler?.toolCalls() ?? [],
    }
  }

  private async beginPolicy(): Promise<void> {
    const gate = (this.gate = await beginPolicy(this.deps.policy!, this.call.args.request, this.call.requestId))
    if (gate?.blocked) this.fail(gate.blocked)
    const content = gate?.outputFilter('content') ?? null
    const reasoning = gate?.outputFilter('reasoning') ?? null
    if (content || reasoning) {
      this.feed = new PolicyFilteredFeed(
        this.coalescer,
        content,
        reasoning,
        (error) => this.fail(error),
        () => gate?.outputFilter('tool_arguments') ?? null,
      )
    }
  }

  /** One HTTP attempt and its stream. Undefined on success. */
  private async attempt(request: ChatRequest, assembler: StreamAssembler, arrival: { at: number }): Promise<Failure | undefined> {
    const { deps, call, sink } = this
    const { clock } = deps
    const signal = call.controller.signal
    let response: Response
    try {
      response = await deps.client.openStream(call.connection, request as Record<string, unknown>, {
        requestId: call.requestId,
        signal,
        onBodyStats: (s) => (this.bodyStats = s),
      })
    } catch (err) {
      const failure = toFailure(err, signal)
      if (failure.kind === 'http') noteRateLimits(deps, request.model, failure.headers, sink)
      return failure
    }
    noteRateLimits(deps, request.model, response.headers, sink)
    try {
      await readSse(response.body, {
        signal,
        onData: (data) => assembler.handleData(data),
        onBytes: () => (arrival.at = clock.now()),
        onReadEnd: () => this.coalescer.endOfRead(),
        idleTimeoutMs: deps.idleTimeoutMs,
        clock,
      })
    } catch (err) {
      if (signal.aborted) return { kind: 'aborted' }
      if (err instanceof StreamErrorChunk) return { kind: 'stream-error', body: err.body }
      if (err instanceof MalformedChunk) return { kind: 'malformed', sample: err.sample }
      if (err instanceof IdleTimeoutError) return { kind: 'idle', idleMs: err.idleMs }
      return { kind: 'stream-network', cause: err }
    }
    this.timings!.end(clock.now())
    if (assembler.finishReason === null && !assembler.sawDoneMarker) return { kind: 'incomplete' }
    return undefined
  }

  /** Ends the run with an error event (once; later calls do nothing). */
  private fail(error: WaferError): void {
    if (this.outcome) return
    const { call, deps } = this
    this.timings?.end(deps.clock.now())
    const event: ChatError = {
      requestId: call.requestId,
      model: this.model,
      error: error.toWire(),
      received: this.received(),
      metrics: this.metrics(),
      ...this.policyFields(),
    }
    this.gate?.settle(failedEnd(this.endBase(), error))
    this.outcome = { kind: 'error', event }
    this.finish(() => this.sink.error(event))
    // Close the connection if it is still open; the abort listener sees `outcome` and stays quiet.
    if (!call.controller.signal.aborted) call.controller.abort(error)
  }

  /** Ends the run with a done event (once), after the output policy hands over what it held back. */
  private succeed(): void {
    if (this.outcome) return
    // Text the output policy held back (a possible match at the very end) goes out now, redacted.
    const blocked = this.feed?.release()
    if (blocked) {
      this.fail(blocked)
      return
    }
    this.timings?.end(this.deps.clock.now())
    const a = this.assembler!
    const event: ChatDone = {
      requestId: this.call.requestId,
      model: a.model ?? this.model,
      completionId: a.completionId,
      finishReason: a.finishReason,
      usage: a.usage,
      timeInfo: a.timeInfo,
      metrics: this.metrics(),
      ...this.policyFields(),
    }
    this.gate?.settle({ ...this.endBase(), status: 200, usage: usageCounts(a.usage) })
    this.outcome = { kind: 'done', event }
    this.finish(() => this.sink.done(event))
  }

  /** What is still coalescing goes out before the terminal event; nothing after it. */
  private finish(emit: () => void): void {
    this.coalescer.flush()
    this.coalescer.close()
    emit()
  }

  private metrics(): ChatDone['metrics'] {
    return computeMetrics({
      timings: this.timings,
      streamed: true,
      usage: this.assembler?.usage ?? null,
      timeInfo: this.assembler?.timeInfo ?? null,
      request: this.bodyStats,
      attempts: this.attempts,
      retryWaitMs: this.retries.waitedMs,
    })
  }

  private received(): ChatError['received'] {
    const a = this.assembler
    return { contentChars: a?.contentChars ?? 0, reasoningChars: a?.reasoningChars ?? 0, toolCalls: a?.toolCallCount ?? 0 }
  }

  private policyFields(): Pick<ChatDone, 'policy' | 'sentMessages'> {
    const gate = this.gate
    return gate ? { policy: gate.outcome(this.feed?.withheld() ?? 0), ...(gate.sentMessages ? { sentMessages: gate.sentMessages } : {}) } : {}
  }
}
