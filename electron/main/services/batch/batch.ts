import { randomUUID } from 'node:crypto'

import type { ChatDone, ChatMessage, ChatRequest, ChatStartArgs } from '@shared/ipc/domains/chat'
import type { BatchCell, BatchProgress, BatchSnapshot, BatchStatus, CellMetrics, ParsedBatchStartArgs } from '@shared/ipc/domains/compare'
import type { RateLimitState } from '@shared/ipc/domains/models'
import { WaferError, type WireError } from '@shared/ipc/errors'
import { honestFigures } from '@shared/metrics/honest-figures'

import type { ChatSink, StartedChat, StreamOutcome } from '../cerebras/chat-service'
import type { Clock } from '../cerebras/clock'
import { checkOutput, compileAssertions, type CompiledAssertion } from './assertions'
import { estimateRemainingMs } from './progress'
import { RateGate } from './rate-gate'
import { fillTemplate, templateVariables } from './template'

/** The part of ChatService a batch needs. */
export interface BatchChat {
  start(args: ChatStartArgs, sink: ChatSink): Promise<StartedChat>
  abort(requestId: string): boolean
}

/** A cell's request and how it ended, for history. */
export interface FinishedRun {
  /** The chat request id (unique per attempt). */
  requestId: string
  batchId: string
  row: number
  laneId: string
  model: string
  request: ChatRequest
  /** Wall-clock start (epoch ms). */
  startedAt: number
  outcome: StreamOutcome
}

export interface BatchEvents {
  progress(payload: { batchId: string; cells: BatchCell[]; progress: BatchProgress }): void
  done(payload: { batchId: string; progress: BatchProgress }): void
}

export interface BatchRunnerDeps {
  chat: BatchChat
  clock: Clock
  /** Every finished request (done, failed or stopped), e.g. to save it to history. */
  onRunFinished?: (run: FinishedRun) => void
  /** A cell refused this many times by rate limits fails instead of waiting again (default 6). */
  maxRateLimitWaitsPerCell?: number
  /** A server asking to wait longer than this (e.g. a daily quota) stops the batch (default 5 min). */
  maxPauseMs?: number
  /** Progress events are coalesced to at most one per this many ms (default 100). */
  progressIntervalMs?: number
  /** Finished batches kept for batch:get (default 5). */
  keepFinished?: number
  gate?: { baseBackoffMs?: number; maxBackoffMs?: number }
}

const DEFAULTS = { maxRateLimitWaitsPerCell: 6, maxPauseMs: 5 * 60_000, progressIntervalMs: 100 }

/**
 * One batch run: every input row × every model column, at most `concurrency`
 * requests in flight, in row order so the matrix fills from the top. Rate
 * limits are handled here, not by per-request retries: each request is sent
 * with no 429 retries of its own, and a 429 pauses the whole queue (see
 * RateGate), puts the cell back at the front and lowers the concurrency.
 * Cancelling stops the queue and the requests in flight; every finished cell,
 * and whatever text the stopped ones had received, is kept.
 */
export class Batch {
  status: BatchStatus = 'running'
  readonly total: number
  readonly finished: Promise<void>
  private readonly cells: BatchCell[]
  private readonly queue: number[] = []
  private readonly running = new Map<number, string>()
  private readonly compiled: CompiledAssertion[]
  private readonly gate: RateGate
  private readonly stop = new AbortController()
  private readonly startedAt: number
  private readonly runKey = randomUUID().slice(0, 8)
  private attempts = 0
  private rateLimitWaits = 0
  private reason: string | null = null
  private pulse: (() => void) | null = null
  private changed = new Set<number>()
  private flushTimer: (() => void) | null = null
  private resolveFinished!: () => void

  constructor(
    readonly id: string,
    private readonly args: ParsedBatchStartArgs,
    private readonly deps: BatchRunnerDeps,
    private readonly events: BatchEvents,
  ) {
    const laneIds = args.lanes.map((l) => l.laneId)
    if (new Set(laneIds).size !== laneIds.length) throw new WaferError('bad_request', 'Two columns share a lane id.')
    this.compiled = compileAssertions(args.assertions)
    for (const a of args.assertions) {
      if (a.laneId !== undefined && !laneIds.includes(a.laneId))
        throw new WaferError('bad_request', `Assertion ${a.id} names a column that is not in the batch (${a.laneId}).`)
    }
    checkVariables(args)

    this.gate = new RateGate({ maxConcurrency: args.concurrency, random: () => deps.clock.random(), ...deps.gate })
    this.startedAt = deps.clock.wallNow()
    this.total = args.rows.length * args.lanes.length
    this.cells = []
    args.rows.forEach((row, r) => {
      args.lanes.forEach((lane) => {
        const index = this.cells.length
        const cell: BatchCell = {
          row: r,
          laneId: lane.laneId,
          model: lane.model,
          status: 'queued',
          output: null,
          error: null,
          metrics: null,
          assertions: [],
          rateLimitWaits: 0,
        }
        this.cells.push(cell)
        const missing = [...new Set([...fillTemplate(args.template.user, row).missing, ...fillTemplate(args.template.system ?? '', row).missing])]
        if (missing.length) {
          cell.status = 'error'
          cell.error = {
            code: 'bad_request',
            message: `Input ${r + 1} has no value for ${missing.map((m) => `{{${m}}}`).join(', ')}, so it was not sent.`,
            details: { missing },
          }
          this.changed.add(index)
        } else {
          this.queue.push(index)
        }
      })
    })
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve))
  }

  async run(): Promise<void> {
    const { clock } = this.deps
    this.flush()
    try {
      for (;;) {
        if (this.status !== 'running') break
        if (this.queue.length === 0 && this.running.size === 0) break
        const paused = this.gate.pausedAt(clock.wallNow())
        if (paused !== null) {
          this.scheduleFlush()
          try {
            await clock.sleep(paused - clock.wallNow(), this.stop.signal)
          } catch {
            // Cancelled while waiting; the loop sees the status.
          }
          continue
        }
        if (this.queue.length > 0 && this.running.size < this.gate.concurrency) {
          this.launch(this.queue.shift()!)
          continue
        }
        await new Promise<void>((resolve) => (this.pulse = resolve))
      }
      // Cancelled or stopped: wait for the requests in flight to report what they had.
      while (this.running.size > 0) await new Promise<void>((resolve) => (this.pulse = resolve))
    } finally {
      for (const i of this.queue.splice(0)) this.setCell(i, { status: 'cancelled' })
      if (this.status === 'running') this.status = 'completed'
      this.flushTimer?.()
      this.flushTimer = null
      this.flush()
      this.events.done({ batchId: this.id, progress: this.progress() })
      this.resolveFinished()
    }
  }

  cancel(): boolean {
    if (this.status !== 'running') return false
    this.status = 'cancelled'
    this.reason = 'Cancelled; finished cells are kept.'
    this.stop.abort()
    for (const requestId of this.running.values()) this.deps.chat.abort(requestId)
    this.wake()
    return true
  }

  snapshot(): BatchSnapshot {
    return {
      batchId: this.id,
      lanes: this.args.lanes.map((l) => ({ laneId: l.laneId, model: l.model })),
      rowCount: this.args.rows.length,
      assertions: this.args.assertions,
      cells: this.cells.map((c) => ({ ...c })),
      progress: this.progress(),
    }
  }

  private launch(index: number): void {
    const { chat, clock } = this.deps
    const cell = this.cells[index]
    const lane = this.args.lanes.find((l) => l.laneId === cell.laneId)!
    const row = this.args.rows[cell.row]
    const messages: ChatMessage[] = []
    const system = this.args.template.system ? fillTemplate(this.args.template.system, row).text : ''
    if (system.trim()) messages.push({ role: 'system', content: system })
    messages.push({ role: 'user', content: fillTemplate(this.args.template.user, row).text })
    const request: ChatRequest = { ...stripNulls(lane.params), model: lane.model, messages }
    const requestId = `batch-${this.runKey}-${++this.attempts}`
    const startedAt = clock.wallNow()
    this.running.set(index, requestId)
    this.setCell(index, { status: 'running' })

    const sink: ChatSink = {
      delta: () => {},
      retry: () => {},
      done: () => {},
      error: () => {},
      rateLimit: (state: RateLimitState) => {
        if (this.gate.onHeaders(state, clock.wallNow())) this.scheduleFlush()
      },
    }
    // Rate limits are this queue's job: one request must not wait and retry on its own while others keep sending.
    const started = chat.start({ requestId, request, retry: { maxRateLimitRetries: 0 } }, sink)
    void started
      .then((s) => {
        // A cancel that landed while the request was still connecting must not be lost.
        if (this.stop.signal.aborted) chat.abort(s.requestId)
        return s.finished
      })
      .then(
        (outcome) => this.settle(index, outcome, request, startedAt, requestId),
        (err: unknown) => this.settleFailure(index, err),
      )
      .finally(() => {
        this.running.delete(index)
        this.scheduleFlush()
        this.wake()
      })
  }

  private settle(index: number, outcome: StreamOutcome, request: ChatRequest, startedAt: number, requestId: string): void {
    const cell = this.cells[index]
    const { terminal } = outcome
    if (terminal.kind === 'error' && terminal.event.error.code === 'rate_limited' && this.status === 'running') {
      if (this.requeueAfterRateLimit(index, terminal.event.error)) return
    }
    this.deps.onRunFinished?.({ requestId, batchId: this.id, row: cell.row, laneId: cell.laneId, model: cell.model, request, startedAt, outcome })
    if (terminal.kind === 'done') {
      const metrics = cellMetrics(terminal.event)
      this.gate.onSuccess(startedAt)
      this.setCell(index, {
        status: 'done',
        output: outcome.content,
        metrics,
        assertions: checkOutput(this.compiled, cell.laneId, outcome.content, metrics),
      })
      return
    }
    const error = terminal.event.error
    const m = terminal.event.metrics
    this.setCell(index, {
      status: error.code === 'aborted' ? 'cancelled' : 'error',
      // Whatever arrived before the failure is part of the result.
      output: outcome.content || null,
      error,
      metrics: { ttftMs: m.ttftMs, totalMs: m.clientTotalMs, promptTokens: null, completionTokens: null, decodeTokensPerSec: null },
      assertions: [],
    })
    if (error.code === 'auth') this.halt(`Cerebras refused the API key, so the batch was stopped: ${error.message}`)
  }

  /** True when the cell went back into the queue. */
  private requeueAfterRateLimit(index: number, error: WireError): boolean {
    const { clock } = this.deps
    const cell = this.cells[index]
    const max = this.deps.maxRateLimitWaitsPerCell ?? DEFAULTS.maxRateLimitWaitsPerCell
    if (cell.rateLimitWaits >= max) return false
    const resetSeconds = typeof error.details?.resetSeconds === 'number' ? error.details.resetSeconds : undefined
    const decision = this.gate.onRateLimited(clock.wallNow(), resetSeconds === undefined ? undefined : resetSeconds * 1000)
    const maxPause = this.deps.maxPauseMs ?? DEFAULTS.maxPauseMs
    if (decision.waitMs > maxPause) {
      this.halt(`${error.message} The batch was stopped rather than wait ${formatWait(decision.waitMs)}; finished cells are kept.`)
      return false
    }
    this.rateLimitWaits++
    this.setCell(index, { status: 'queued', rateLimitWaits: cell.rateLimitWaits + 1 })
    this.queue.unshift(index)
    return true
  }

  private settleFailure(index: number, err: unknown): void {
    const error = err instanceof WaferError ? err.toWire() : { code: 'internal' as const, message: err instanceof Error ? err.message : String(err) }
    this.setCell(index, { status: 'error', error })
    // No key, or no connection at all: every other cell would fail the same way.
    if (error.code === 'auth') this.halt(error.message)
  }

  /** Stop taking cells from the queue; requests in flight finish on their own. */
  private halt(reason: string): void {
    if (this.status !== 'running') return
    this.status = 'failed'
    this.reason = reason
    this.stop.abort()
    this.wake()
  }

  private setCell(index: number, patch: Partial<BatchCell>): void {
    Object.assign(this.cells[index], patch)
    this.changed.add(index)
    this.scheduleFlush()
  }

  private wake(): void {
    const p = this.pulse
    this.pulse = null
    p?.()
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return
    this.flushTimer = this.deps.clock.setTimer(() => {
      this.flushTimer = null
      this.flush()
    }, this.deps.progressIntervalMs ?? DEFAULTS.progressIntervalMs)
  }

  private flush(): void {
    const cells = [...this.changed].sort((a, b) => a - b).map((i) => ({ ...this.cells[i] }))
    this.changed.clear()
    this.events.progress({ batchId: this.id, cells, progress: this.progress() })
  }

  private progress(): BatchProgress {
    const now = this.deps.clock.wallNow()
    const count = (s: BatchCell['status']) => this.cells.reduce((n, c) => n + (c.status === s ? 1 : 0), 0)
    const done = count('done')
    const failed = count('error')
    const queued = count('queued')
    const running = count('running')
    const pausedUntil = this.status === 'running' ? this.gate.pausedAt(now) : null
    return {
      status: this.status,
      total: this.total,
      done,
      failed,
      cancelled: count('cancelled'),
      running,
      queued,
      startedAt: this.startedAt,
      etaMs:
        this.status === 'running'
          ? estimateRemainingMs({ startedAt: this.startedAt, now, finished: done + failed, remaining: queued + running, pausedUntil })
          : null,
      pausedUntil,
      concurrency: this.gate.concurrency,
      rateLimitWaits: this.rateLimitWaits,
      reason: this.reason,
    }
  }
}

/** A variable that no input row has is a typo in the template, not a gap in the data. */
function checkVariables(args: ParsedBatchStartArgs): void {
  const used = [...new Set([...templateVariables(args.template.user), ...templateVariables(args.template.system ?? '')])]
  const columns = new Set(args.rows.flatMap((r) => Object.keys(r)))
  const unknown = used.filter((v) => !columns.has(v))
  if (unknown.length) {
    throw new WaferError(
      'bad_request',
      `The prompt uses ${unknown.map((v) => `{{${v}}}`).join(', ')} but no input has ${unknown.length === 1 ? 'that column' : 'those columns'} (columns: ${[...columns].slice(0, 12).join(', ') || 'none'}).`,
      { unknown, columns: [...columns].slice(0, 100) },
    )
  }
}

function cellMetrics(done: ChatDone): CellMetrics {
  return {
    ttftMs: done.metrics.ttftMs,
    totalMs: done.metrics.clientTotalMs,
    promptTokens: done.usage?.prompt_tokens ?? null,
    completionTokens: done.usage?.completion_tokens ?? null,
    // Withheld (null) when too few tokens or too short a time make it no speed (shared/metrics/honest-figures.ts).
    decodeTokensPerSec: honestFigures(done.metrics, done.usage).serverDecodeTokensPerSec.value,
  }
}

function stripNulls<T extends Record<string, unknown>>(params: T): Partial<T> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>
}

function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000)
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.round(s / 60)} min`
  return `${Math.round(s / 3600)} h`
}
