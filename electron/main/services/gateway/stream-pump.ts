import type { ServerResponse } from 'node:http'

import type { Clock } from '../cerebras/clock'
import { readSse } from '../cerebras/sse-reader'
import type { Exchange } from './exchange'
import { bodyFor } from './fallback'
import { GatewayHttpError } from './http-errors'
import type { StageTrace } from './request-telemetry'
import { type Blocked, type StepResult, StreamOutputPolicy } from './stream-output'
import { describeReason, networkReason } from './upstream-failure'
import type { AnswerDeps } from './whole-answer'

export interface StreamPumpDeps extends AnswerDeps {
  clock: Clock
  /** Upstream silence mid-stream before the stream is failed. */
  idleTimeoutMs: number
  /** Responses being streamed, for the bytes they hold that clients have not read yet. */
  streaming: Set<ServerResponse>
}

/**
 * A streamed answer, from the upstream's SSE events to the client's: through
 * the output policies when any reads output (a redactor per choice and
 * channel), else passed through as it came. What a network read brought goes
 * out in one write at the end of that read; a client that reads slowly
 * holds the upstream back rather than the answer piling up in memory. An
 * output block or an upstream failure ends the stream with an error event.
 */
export class StreamPump {
  private output: StreamOutputPolicy | null = null
  /** Text for the client, written at the end of each network read. */
  private pending = ''
  /** An output block or a failure has ended the answer: nothing more goes out. */
  private ended = false
  /** [DONE] has gone out: nothing may follow, so the response can end with the read that carried it. */
  private finished = false

  constructor(
    private readonly res: ServerResponse,
    private readonly ex: Exchange,
    private readonly deps: StreamPumpDeps,
  ) {}

  async run(body: Record<string, unknown>): Promise<void> {
    const { res, ex, deps } = this
    const { target, result } = await deps.fallback.attempt(ex, body.model as string, (t, conn, signal) =>
      deps.client.rawChat(conn, bodyFor(t, body), { requestId: ex.requestId, signal, stream: true }),
    )
    ex.entry.target = target.id
    // Write-ahead: nothing leaves before the decision record is durable (refused: 503, the upstream answer dropped).
    try {
      await ex.decided()
    } catch (err) {
      await result.body?.cancel().catch(() => undefined)
      throw err
    }
    ex.entry.status = 200
    this.output = this.outputPolicy()
    deps.streaming.add(res)
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // No connection header of our own: Node keeps the connection alive, or
      // closes it after the answer when the client asked for that.
      ...ex.responseHeaders(),
    })
    const output = this.output
    const trace = output ? ex.telemetry.stage('output') : undefined
    try {
      await readSse(result.body, {
        clock: deps.clock,
        idleTimeoutMs: deps.idleTimeoutMs,
        signal: ex.controller.signal,
        onReadEnd: this.endOfRead,
        onData: this.onData,
      })
      if (output && !this.ended) this.step(output.end())
    } catch (err) {
      if (!this.ended) {
        if (!ex.controller.signal.aborted) ex.telemetry.streamFailed()
        if (output) this.pending += output.end().out
        const failure = new GatewayHttpError(
          502,
          'upstream_error',
          ex.controller.signal.aborted ? 'The client closed the connection.' : `The upstream stream failed: ${describeReason(networkReason(err))}`,
          'stream_failed',
        )
        ex.entry.error = `${failure.code}: ${failure.message}`
        this.pending += failure.streamEvent()
      }
    } finally {
      if (output) this.recordOutput(output, trace)
      if (!res.writableEnded) res.end(this.pending)
      deps.streaming.delete(res)
    }
  }

  /** The output policies, when any reads output; a policy that fails here goes by the fail mode. */
  private outputPolicy(): StreamOutputPolicy | null {
    const { policy } = this.deps
    try {
      const first = policy.outputStream()
      if (!first) return null
      let made = 0
      return new StreamOutputPolicy(() => (made++ === 0 ? first : policy.outputStream()!))
    } catch (err) {
      this.ex.policyFailed('output', err)
      return null
    }
  }

  private readonly onData = (data: string): void => {
    if (this.ended || this.finished) return
    const output = this.output
    if (data === '[DONE]') {
      if (output) this.step(output.end())
      if (this.ended) return
      this.pending += 'data: [DONE]\n\n'
      this.finished = true
      return
    }
    if (!output) {
      // Nothing looks at the output: pass the event through untouched, reading only its usage.
      this.ex.telemetry.streamEvent(data)
      if (data.includes('"usage"')) this.ex.noteUsage(safeJson(data)?.usage)
      this.pending += `data: ${data}\n\n`
      return
    }
    const chunk = safeJson(data)
    this.ex.telemetry.streamEvent(data, chunk)
    if (chunk?.usage) this.ex.noteUsage(chunk.usage)
    this.step(output.event(data, chunk))
  }

  private readonly endOfRead = (): Promise<void> | undefined => {
    const res = this.res
    if (this.output && !this.ended) this.step(this.output.endOfRead())
    if (res.writableEnded) return
    const out = this.pending
    this.pending = ''
    // Ending with the last data makes one write of it and the closing chunk.
    if (this.finished) res.end(out)
    // A client that reads slower than the upstream answers: stop reading the
    // upstream until it catches up, rather than hold the answer in memory.
    else if (out && !res.write(out)) return drained(res)
  }

  private step(r: StepResult): void {
    this.pending += r.out
    if (r.blocked) this.block(r.blocked)
  }

  private block(blocked: Blocked): void {
    this.ex.entry.verdict = 'block'
    this.pending += new GatewayHttpError(409, 'policy_violation', blocked.message, 'output_blocked', { policy: blocked.policy }).streamEvent()
    this.ended = true
    this.ex.controller.abort(new Error('output blocked'))
  }

  /** What the output policies found, lane by lane, for the request log, the audit log and the trace. */
  private recordOutput(output: StreamOutputPolicy, trace: StageTrace | undefined): void {
    const ex = this.ex
    const mark = ex.mark()
    for (const lane of output.findings()) {
      ex.entry.verdicts.push({ policy: lane.findings[0].policy, verdict: lane.verdict, stage: 'output' })
      ex.addFindings(
        lane.findings,
        () => lane.text,
        () => lane.location,
      )
    }
    ex.escalate(output.verdict())
    trace?.end({ ...ex.stageOutcome(mark), verdict: output.verdict() })
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an upstream chunk of any shape, read and edited field by field
function safeJson(s: string): any {
  try {
    return JSON.parse(s)
  } catch {
    return null
  }
}

/** Resolves when a backed-up response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done)
      resolve()
    }
    res.on('drain', done).on('close', done)
  })
}
