import type { ChatDelta, ChatDone, ChatError, ChatRetry, TokenLogprob } from '@shared/ipc/domains/chat'
import type { WireError } from '@shared/ipc/errors'
import { createStore, type StoreApi } from 'zustand/vanilla'

import { animationFrameScheduler, type FrameScheduler } from './frame-scheduler'
import { ThroughputSeries } from './throughput'

/*
 * Every running chat stream, keyed by request id (the playground uses one
 * at a time per pane, compare several). Text is appended to plain mutable
 * buffers outside React; once per animation frame the streams that changed
 * notify their painters. Only low-frequency facts (status, first token,
 * retry countdown, the final figures) go into the vanilla zustand store that
 * React components select from.
 */

export type StreamStatus = 'waiting' | 'streaming' | 'retrying' | 'done' | 'error' | 'aborted'

export const isFinished = (s: StreamStatus): boolean => s === 'done' || s === 'error' || s === 'aborted'

export interface StreamToolCall {
  index: number
  id: string
  name: string
  arguments: string
}

/**
 * The text of one stream, kept as the pieces that arrived (joining them on
 * every delta would copy the whole answer each time; see PieceBuffer).
 * `version` counts painted frames.
 */
export class StreamText {
  readonly contentParts: string[] = []
  readonly reasoningParts: string[] = []
  toolCalls: StreamToolCall[] = []
  /** The content tokens' log probabilities, when the request asked for them. */
  readonly logprobs: TokenLogprob[] = []
  version = 0
  private joined = { content: '', contentParts: 0, reasoning: '', reasoningParts: 0 }

  /** The whole answer so far (joined once per call that follows new text). */
  get content(): string {
    const j = this.joined
    if (j.contentParts !== this.contentParts.length) {
      j.content += this.contentParts.slice(j.contentParts).join('')
      j.contentParts = this.contentParts.length
    }
    return j.content
  }

  get reasoning(): string {
    const j = this.joined
    if (j.reasoningParts !== this.reasoningParts.length) {
      j.reasoning += this.reasoningParts.slice(j.reasoningParts).join('')
      j.reasoningParts = this.reasoningParts.length
    }
    return j.reasoning
  }
}

/** Text a painter has not seen yet. */
export interface FreshText {
  content: string
  reasoning: string
}

export interface StreamMeta {
  requestId: string
  model: string
  status: StreamStatus
  /** Wall-clock send time (epoch ms), for the saved run. */
  startedAt: number
  /** Ms from send to the first text, measured here (the server-side figure arrives with done). */
  firstTextMs: number | null
  retry: ChatRetry | null
  done: ChatDone | null
  error: ChatError | null
  /** A delta's seq skipped a number: something was lost between main and here. */
  seqGap: boolean
}

export interface StreamsState {
  streams: Record<string, StreamMeta>
}

type EventSource = {
  on(event: 'chat:delta', l: (p: ChatDelta) => void): () => void
  on(event: 'chat:done', l: (p: ChatDone) => void): () => void
  on(event: 'chat:error', l: (p: ChatError) => void): () => void
  on(event: 'chat:retry', l: (p: ChatRetry) => void): () => void
}

export interface StreamHubOptions {
  frames?: FrameScheduler
  /** Monotonic ms (performance.now). */
  now?: () => number
  wallNow?: () => number
}

type TextListener = (text: StreamText, final: boolean, fresh: FreshText) => void

interface Entry {
  text: StreamText
  series: ThroughputSeries
  sentAt: number
  nextSeq: number
  /** Each painter with how many pieces of content and reasoning it has been given. */
  listeners: Map<TextListener, { content: number; reasoning: number }>
}

export class StreamHub {
  readonly store: StoreApi<StreamsState> = createStore<StreamsState>(() => ({ streams: {} }))
  private readonly entries = new Map<string, Entry>()
  private readonly dirty = new Set<string>()
  private readonly frames: FrameScheduler
  private readonly now: () => number
  private readonly wallNow: () => number
  private readonly unsubscribe: (() => void)[] = []

  constructor(source: EventSource | null, opts: StreamHubOptions = {}) {
    this.frames = opts.frames ?? animationFrameScheduler()
    this.now = opts.now ?? (() => performance.now())
    this.wallNow = opts.wallNow ?? (() => Date.now())
    if (source) {
      this.unsubscribe.push(
        source.on('chat:delta', (d) => this.delta(d)),
        source.on('chat:done', (d) => this.done(d)),
        source.on('chat:error', (e) => this.error(e)),
        source.on('chat:retry', (r) => this.retry(r)),
      )
    }
  }

  /** Register a stream before `chat:start` is called, so no early event is missed. */
  begin(requestId: string, model: string): StreamMeta {
    const entry: Entry = { text: new StreamText(), series: new ThroughputSeries(this.now()), sentAt: this.now(), nextSeq: 0, listeners: new Map() }
    this.entries.set(requestId, entry)
    const meta: StreamMeta = {
      requestId,
      model,
      status: 'waiting',
      startedAt: this.wallNow(),
      firstTextMs: null,
      retry: null,
      done: null,
      error: null,
      seqGap: false,
    }
    this.patch(requestId, meta)
    return meta
  }

  meta(requestId: string): StreamMeta | undefined {
    return this.store.getState().streams[requestId]
  }

  text(requestId: string): StreamText | undefined {
    return this.entries.get(requestId)?.text
  }

  series(requestId: string): ThroughputSeries | undefined {
    return this.entries.get(requestId)?.series
  }

  /**
   * Paint hook: called at most once per frame while text arrives, and once
   * more with `final` when the stream ends. Called at once if there is text.
   */
  onText(requestId: string, listener: TextListener): () => void {
    const entry = this.entries.get(requestId)
    if (!entry) return () => {}
    entry.listeners.set(listener, { content: 0, reasoning: 0 })
    const meta = this.meta(requestId)
    if (entry.text.version > 0 || (meta && isFinished(meta.status))) this.tell(entry, listener, !!meta && isFinished(meta.status))
    return () => void entry.listeners.delete(listener)
  }

  private tell(entry: Entry, listener: TextListener, final: boolean): void {
    const seen = entry.listeners.get(listener)
    if (!seen) return
    const t = entry.text
    const fresh: FreshText = {
      content: seen.content < t.contentParts.length ? t.contentParts.slice(seen.content).join('') : '',
      reasoning: seen.reasoning < t.reasoningParts.length ? t.reasoningParts.slice(seen.reasoning).join('') : '',
    }
    seen.content = t.contentParts.length
    seen.reasoning = t.reasoningParts.length
    listener(t, final, fresh)
  }

  /** A failure before the stream started (chat:start itself was refused). */
  failToStart(requestId: string, error: WireError): void {
    const entry = this.entries.get(requestId)
    const meta = this.meta(requestId)
    if (!entry || !meta || isFinished(meta.status)) return
    this.error({
      requestId,
      model: meta.model,
      error,
      received: { contentChars: 0, reasoningChars: 0, toolCalls: 0 },
      metrics: {
        ttftMs: null,
        gapP50Ms: null,
        gapP95Ms: null,
        contentChunks: 0,
        clientTotalMs: null,
        clientTokensPerSec: null,
        serverDecodeTokensPerSec: null,
        queueMs: null,
        promptMs: null,
        completionMs: null,
        serverTotalMs: null,
        networkOverheadMs: null,
        request: null,
        attempts: 0,
        retryWaitMs: 0,
      },
    })
  }

  /** Forget a finished stream's buffers. */
  release(requestId: string): void {
    this.entries.delete(requestId)
    this.dirty.delete(requestId)
    const { [requestId]: _gone, ...rest } = this.store.getState().streams
    this.store.setState({ streams: rest })
  }

  dispose(): void {
    for (const u of this.unsubscribe) u()
    this.unsubscribe.length = 0
  }

  private delta(d: ChatDelta): void {
    const entry = this.entries.get(d.requestId)
    // Main sends nothing after done/error; anything that does arrive late must not reopen a finished view.
    if (!entry || this.isOver(d.requestId)) return
    if (d.seq !== entry.nextSeq) this.patch(d.requestId, { seqGap: true })
    entry.nextSeq = d.seq + 1
    const t = entry.text
    let chars = 0
    if (d.content) {
      t.contentParts.push(d.content)
      chars += d.content.length
    }
    if (d.reasoning) {
      t.reasoningParts.push(d.reasoning)
      chars += d.reasoning.length
    }
    if (d.logprobs) for (const lp of d.logprobs) t.logprobs.push(lp)
    if (d.toolCalls) {
      for (const part of d.toolCalls) {
        let call = t.toolCalls.find((c) => c.index === part.index)
        if (!call) {
          call = { index: part.index, id: '', name: '', arguments: '' }
          t.toolCalls.push(call)
          t.toolCalls.sort((a, b) => a.index - b.index)
        }
        if (part.id) call.id = part.id
        if (part.name) call.name = part.name
        if (part.arguments) {
          call.arguments += part.arguments
          chars += part.arguments.length
        }
      }
    }
    entry.series.add(this.now(), chars)
    this.dirty.add(d.requestId)
    this.frames.request(() => this.flush())
  }

  private flush(): void {
    const ids = [...this.dirty]
    this.dirty.clear()
    for (const id of ids) {
      const entry = this.entries.get(id)
      if (!entry) continue
      entry.text.version++
      const meta = this.meta(id)
      if (meta && (meta.status === 'waiting' || meta.status === 'retrying')) {
        this.patch(id, { status: 'streaming', retry: null, firstTextMs: meta.firstTextMs ?? entry.series.firstAt })
      }
      for (const l of [...entry.listeners.keys()]) this.tell(entry, l, false)
    }
  }

  private finish(requestId: string, patch: Partial<StreamMeta>): void {
    const entry = this.entries.get(requestId)
    if (!entry) return
    // Whatever arrived since the last frame is painted now, with the final flag.
    this.dirty.delete(requestId)
    entry.text.version++
    const meta = this.meta(requestId)
    this.patch(requestId, { ...patch, retry: null, firstTextMs: meta?.firstTextMs ?? entry.series.firstAt })
    for (const l of [...entry.listeners.keys()]) this.tell(entry, l, true)
  }

  private done(d: ChatDone): void {
    const entry = this.entries.get(d.requestId)
    if (!entry || this.isOver(d.requestId)) return
    if (d.usage) entry.series.calibrate(d.usage.completion_tokens)
    this.finish(d.requestId, { status: 'done', done: d })
  }

  private error(e: ChatError): void {
    if (!this.entries.has(e.requestId) || this.isOver(e.requestId)) return
    this.finish(e.requestId, { status: e.error.code === 'aborted' ? 'aborted' : 'error', error: e })
  }

  private retry(r: ChatRetry): void {
    const entry = this.entries.get(r.requestId)
    if (!entry || this.isOver(r.requestId)) return
    // Retries happen before any text; the chart's clock starts with the attempt that answers.
    if (entry.series.characters === 0) entry.series = new ThroughputSeries(this.now() + r.remainingMs)
    this.patch(r.requestId, { status: 'retrying', retry: r })
  }

  private isOver(requestId: string): boolean {
    const meta = this.meta(requestId)
    return !meta || isFinished(meta.status)
  }

  private patch(requestId: string, patch: Partial<StreamMeta>): void {
    const streams = this.store.getState().streams
    const current = streams[requestId]
    const next = { ...current, ...patch } as StreamMeta
    this.store.setState({ streams: { ...streams, [requestId]: next } })
  }
}
