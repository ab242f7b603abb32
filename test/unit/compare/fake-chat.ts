import type { BatchChat } from '@main/services/batch/batch-runner'
import type { ChatSink, StreamOutcome } from '@main/services/cerebras/chat-service'
import type { ChatStartArgs, ResponseMetrics } from '@shared/ipc/domains/chat'
import type { RateLimitState } from '@shared/ipc/domains/models'
import type { WireError } from '@shared/ipc/errors'

/**
 * A stand-in for the transport's ChatService: each request is answered by a
 * script the test gives, after a delay, and the fake records how many were
 * in flight at once and when each started.
 */

export interface Reply {
  delayMs?: number
  content?: string
  error?: WireError
  totalMs?: number
  completionTokens?: number
  rateLimit?: RateLimitState
}

export type Script = (args: ChatStartArgs, call: number) => Reply

export function metrics(totalMs: number | null = 50): ResponseMetrics {
  return {
    ttftMs: 10,
    gapP50Ms: null,
    gapP95Ms: null,
    contentChunks: 1,
    clientTotalMs: totalMs,
    clientTokensPerSec: null,
    serverDecodeTokensPerSec: 1000,
    queueMs: null,
    promptMs: null,
    completionMs: null,
    serverTotalMs: null,
    networkOverheadMs: null,
    request: null,
    attempts: 1,
    retryWaitMs: 0,
  }
}

export class FakeChat implements BatchChat {
  readonly calls: Array<{ args: ChatStartArgs; startedAt: number; startSeq: number; settledAt?: number; settleSeq?: number }> = []
  /** Orders starts and settlements that share a millisecond. */
  private seq = 0
  inFlight = 0
  maxInFlight = 0
  private readonly open = new Map<string, (o: StreamOutcome) => void>()
  private readonly partial = new Map<string, string>()

  constructor(private readonly script: Script) {}

  async start(args: ChatStartArgs, sink: ChatSink) {
    const call = this.calls.length
    this.calls.push({ args, startedAt: Date.now(), startSeq: this.seq++ })
    const requestId = args.requestId!
    const reply = this.script(args, call)
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    const model = args.request.model
    const finished = new Promise<StreamOutcome>((resolve) => {
      const settle = (o: StreamOutcome) => {
        if (!this.open.has(requestId)) return
        this.calls[call].settledAt = Date.now()
        this.calls[call].settleSeq = this.seq++
        this.open.delete(requestId)
        this.inFlight--
        resolve(o)
      }
      this.open.set(requestId, settle)
      // Half the answer "arrives" at once, so a stopped request has something to keep.
      this.partial.set(requestId, (reply.content ?? '').slice(0, Math.ceil((reply.content ?? '').length / 2)))
      setTimeout(() => {
        if (reply.rateLimit) sink.rateLimit?.(reply.rateLimit)
        if (reply.error) {
          settle({
            terminal: {
              kind: 'error',
              event: { requestId, model, error: reply.error, received: { contentChars: 0, reasoningChars: 0, toolCalls: 0 }, metrics: metrics(null) },
            },
            content: '',
            reasoning: '',
            toolCalls: [],
          })
          return
        }
        const content = reply.content ?? `answer to ${JSON.stringify(args.request.messages.at(-1)?.content)}`
        settle({
          terminal: {
            kind: 'done',
            event: {
              requestId,
              model,
              completionId: `c-${call}`,
              finishReason: 'stop',
              usage: { prompt_tokens: 10, completion_tokens: reply.completionTokens ?? 20, total_tokens: 30 },
              timeInfo: null,
              metrics: metrics(reply.totalMs ?? 50),
            },
          },
          content,
          reasoning: '',
          toolCalls: [],
        })
      }, reply.delayMs ?? 5)
    })
    return { requestId, finished }
  }

  abort(requestId: string): boolean {
    const settle = this.open.get(requestId)
    if (!settle) return false
    settle({
      terminal: {
        kind: 'error',
        event: {
          requestId,
          model: '',
          error: { code: 'aborted', message: 'Stopped. The text received so far is kept.' },
          received: { contentChars: 0, reasoningChars: 0, toolCalls: 0 },
          metrics: metrics(null),
        },
      },
      content: this.partial.get(requestId) ?? '',
      reasoning: '',
      toolCalls: [],
    })
    return true
  }
}
