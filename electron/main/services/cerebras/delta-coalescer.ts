import type { TokenLogprob, ToolCallDelta } from '@shared/ipc/domains/chat'

import type { Clock } from './clock'

/**
 * Batches stream deltas so the renderer gets at most one message per
 * interval (~one frame) per request while a reply streams; whatever is left
 * is flushed right before the done or error event. Only new text is ever
 * sent. The first batch after a quiet spell goes out as soon as the network
 * read that carried it has been parsed, so coalescing adds nothing to TTFT.
 */

export interface CoalescedDelta {
  content?: string
  reasoning?: string
  toolCalls?: ToolCallDelta[]
  logprobs?: TokenLogprob[]
}

export const DEFAULT_COALESCE_MS = 16

export class DeltaCoalescer {
  private content = ''
  private reasoning = ''
  private toolCalls: Map<number, ToolCallDelta> | null = null
  private logprobs: TokenLogprob[] | null = null
  private pending = false
  private lastEmitAt = -Infinity
  private cancelTimer: (() => void) | null = null
  private closed = false
  // Everything sent so far, in the pieces it was sent in (what the caller holds).
  private readonly sentContent: string[] = []
  private readonly sentReasoning: string[] = []

  constructor(
    private readonly emit: (delta: CoalescedDelta) => void,
    private readonly clock: Pick<Clock, 'now' | 'setTimer'>,
    private readonly intervalMs = DEFAULT_COALESCE_MS,
  ) {}

  addContent(text: string): void {
    this.content += text
    this.pending = true
  }

  addReasoning(text: string): void {
    this.reasoning += text
    this.pending = true
  }

  addLogprobs(tokens: TokenLogprob[]): void {
    if (this.logprobs) for (const t of tokens) this.logprobs.push(t)
    else this.logprobs = tokens.slice()
    this.pending = true
  }

  addToolCall(part: ToolCallDelta): void {
    const calls = (this.toolCalls ??= new Map())
    const existing = calls.get(part.index)
    if (!existing) {
      calls.set(part.index, { ...part })
    } else {
      if (part.id) existing.id = part.id
      // Names arrive whole (some servers repeat them in every chunk), so they replace.
      if (part.name) existing.name = part.name
      if (part.arguments) existing.arguments = (existing.arguments ?? '') + part.arguments
    }
    this.pending = true
  }

  /** Call after each network read has been parsed: sends now, or schedules the next slot. */
  endOfRead(): void {
    if (!this.pending || this.closed || this.cancelTimer) return
    this.sendInSlot()
  }

  /** Send if the interval has passed, else at the start of the next slot. */
  private sendInSlot(): void {
    const wait = this.lastEmitAt + this.intervalMs - this.clock.now()
    if (wait <= 0) {
      this.send()
      return
    }
    // Event-loop timers can fire a little early; the callback checks again.
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = null
      this.sendInSlot()
    }, Math.ceil(wait))
  }

  /** Send whatever is buffered now: the rest of the text, right before a done or error event. */
  flush(): void {
    this.cancelTimer?.()
    this.cancelTimer = null
    this.send()
  }

  /** All content sent so far. */
  sentContentText(): string {
    return this.sentContent.join('')
  }

  /** All reasoning sent so far. */
  sentReasoningText(): string {
    return this.sentReasoning.join('')
  }

  /** Stop for good; buffered text is dropped, so flush first. */
  close(): void {
    this.cancelTimer?.()
    this.cancelTimer = null
    this.closed = true
  }

  private send(): void {
    if (!this.pending || this.closed) return
    const delta: CoalescedDelta = {}
    if (this.content) {
      delta.content = this.content
      this.sentContent.push(this.content)
    }
    if (this.reasoning) {
      delta.reasoning = this.reasoning
      this.sentReasoning.push(this.reasoning)
    }
    if (this.toolCalls) delta.toolCalls = [...this.toolCalls.values()].sort((a, b) => a.index - b.index)
    if (this.logprobs) delta.logprobs = this.logprobs
    this.logprobs = null
    this.content = ''
    this.reasoning = ''
    this.toolCalls = null
    this.pending = false
    this.lastEmitAt = this.clock.now()
    this.emit(delta)
  }
}
