import type { TimeInfo, Usage } from '@shared/ipc/domains/chat'

import { type ApiErrorBody, parseErrorBody } from './api-errors'
import type { DeltaFeed } from './chat-policy'
import { parseLogprobs } from './logprobs'
import type { ResponseTimings } from './response-metrics'

/**
 * Turns Cerebras stream chunks into deltas for the coalescer (which keeps
 * the text) and the rest of the answer: finish_reason, usage and time_info
 * (which come in the last chunk, with a non-empty choices array), the
 * completion id and the tool calls. Each chunk is parsed here and nowhere else.
 */

/** The server put an error object in the stream. */
export class StreamErrorChunk extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message)
    this.name = 'StreamErrorChunk'
  }
}

/** A chunk that is not JSON, or not an object. */
export class MalformedChunk extends Error {
  constructor(readonly sample: string) {
    super(`malformed stream chunk: ${sample}`)
    this.name = 'MalformedChunk'
  }
}

export interface AssembledToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

type Json = Record<string, unknown>

export class StreamAssembler {
  private readonly calls = new Map<number, AssembledToolCall>()
  contentChars = 0
  reasoningChars = 0
  finishReason: string | null = null
  usage: Usage | null = null
  timeInfo: TimeInfo | null = null
  completionId: string | null = null
  model: string | null = null
  sawDoneMarker = false
  chunks = 0

  constructor(
    /** The delta coalescer, or the policy's output filter in front of it. */
    private readonly coalescer: DeltaFeed,
    private readonly timings: ResponseTimings,
    /** When the network read being parsed arrived. */
    private readonly now: () => number,
  ) {}

  /** One SSE event's data. Throws StreamErrorChunk or MalformedChunk. */
  handleData(data: string): void {
    // Reasoning comes as one run and content as another: try the kind seen last first.
    if (this.lastWasReasoning) {
      if (this.reasoning$ && this.fastText(data, this.reasoning$, false)) return
      if (this.content$ && this.fastText(data, this.content$, true)) return
    } else {
      if (this.content$ && this.fastText(data, this.content$, true)) return
      if (this.reasoning$ && this.fastText(data, this.reasoning$, false)) return
    }
    if (data === '[DONE]') {
      this.sawDoneMarker = true
      return
    }
    let chunk: Json
    try {
      chunk = JSON.parse(data)
    } catch {
      throw new MalformedChunk(data.slice(0, 120))
    }
    if (chunk === null || typeof chunk !== 'object' || Array.isArray(chunk)) throw new MalformedChunk(data.slice(0, 120))
    this.chunks++
    if (chunk.error !== undefined && chunk.error !== null) {
      throw new StreamErrorChunk(parseErrorBody(chunk) ?? { message: 'Unknown error in stream', type: null, param: null, code: null, statusCode: null })
    }
    if (this.completionId === null && typeof chunk.id === 'string') this.completionId = chunk.id
    if (this.model === null && typeof chunk.model === 'string') this.model = chunk.model

    const choices = chunk.choices as Json[] | undefined
    if (Array.isArray(choices) && choices.length > 0) {
      const choice = choices[0]
      const delta = choice.delta as Json | undefined
      if (delta) this.handleDelta(delta)
      if (choice.logprobs) {
        const tokens = parseLogprobs(choice.logprobs)
        if (tokens) this.coalescer.addLogprobs(tokens)
      }
      if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason
    }
    if (chunk.usage) this.usage = normaliseUsage(chunk.usage) ?? this.usage
    if (chunk.time_info) this.timeInfo = normaliseTimeInfo(chunk.time_info) ?? this.timeInfo
    this.learnTemplate(data, chunk)
  }

  /*
   * Fast path. Within one stream, text chunks are byte-for-byte the same
   * except for the text itself (same id, model, keys, order). Once a chunk
   * has been fully parsed and found to carry nothing but one text delta, its
   * bytes around the text become a template; later chunks that match the
   * template exactly differ from it only in that string, so reading the
   * string is the whole parse. Anything else (usage, finish_reason, tool
   * calls, errors, a different key order) fails the match and goes through
   * JSON.parse. This is what keeps the pipeline near raw-parser speed.
   */
  private content$: Template | null = null
  private reasoning$: Template | null = null
  private lastWasReasoning = false

  private fastText(data: string, t: Template, isContent: boolean): boolean {
    const end = data.length - t.suffix.length
    // lastIndexOf(x, 0) / indexOf(x, end) rather than startsWith/endsWith: on the
    // sliced strings the SSE parser hands out, V8 runs these several times faster.
    if (end <= t.prefix.length || data.lastIndexOf(t.prefix, 0) !== 0 || data.indexOf(t.suffix, end) !== end) return false
    let text = data.slice(t.prefix.length, end)
    // One pass: a bare quote means the string ended earlier and something else
    // follows (not a match); a backslash means escapes to decode.
    let escaped = false
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 34) return false
      if (c === 92) escaped = true
    }
    if (escaped) {
      try {
        text = JSON.parse(`"${text}"`) as string
      } catch {
        return false
      }
    }
    this.chunks++
    this.lastWasReasoning = !isContent
    if (isContent) {
      this.contentChars += text.length
      this.coalescer.addContent(text)
    } else {
      this.reasoningChars += text.length
      this.coalescer.addReasoning(text)
    }
    this.timings.token(this.now())
    return true
  }

  /** Learn (or, if the server changed its layout mid-stream, relearn) a template from a fully parsed chunk. */
  private learnTemplate(data: string, chunk: Json): void {
    if (chunk.usage !== undefined || chunk.time_info !== undefined || chunk.error !== undefined) return
    const choices = chunk.choices
    if (!Array.isArray(choices) || choices.length !== 1) return
    const choice = choices[0] as Json
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) return
    // A chunk with log probabilities is unique to its token: no template (a repeat would skip its logprobs).
    if (choice.logprobs !== null && choice.logprobs !== undefined) return
    const delta = choice.delta as Json | undefined
    if (!delta) return
    const keys = Object.keys(delta)
    if (keys.length !== 1 || (keys[0] !== 'content' && keys[0] !== 'reasoning')) return
    const isContent = keys[0] === 'content'
    const value = delta[keys[0]]
    if (typeof value !== 'string' || value.length === 0) return
    const marker = `"${keys[0]}":"`
    const at = data.indexOf(marker)
    // The marker must be unique, so the template cannot anchor on the wrong string.
    if (at < 0 || data.indexOf(marker, at + 1) >= 0) return
    const start = at + marker.length
    const close = closingQuote(data, start)
    if (close < 0) return
    let literal: string
    try {
      literal = JSON.parse(data.slice(start - 1, close + 1)) as string
    } catch {
      return
    }
    if (literal !== value) return
    const template = { prefix: data.slice(0, start), suffix: data.slice(close) }
    if (isContent) this.content$ = template
    else this.reasoning$ = template
  }

  private handleDelta(delta: Json): void {
    let carried = false
    const content = delta.content
    if (typeof content === 'string' && content.length > 0) {
      this.contentChars += content.length
      this.coalescer.addContent(content)
      carried = true
    }
    const reasoning = delta.reasoning
    if (typeof reasoning === 'string' && reasoning.length > 0) {
      this.reasoningChars += reasoning.length
      this.coalescer.addReasoning(reasoning)
      carried = true
    }
    const toolCalls = delta.tool_calls
    if (Array.isArray(toolCalls)) {
      for (const raw of toolCalls as Json[]) {
        const index = typeof raw.index === 'number' ? raw.index : 0
        const fn = (raw.function ?? {}) as Json
        const id = typeof raw.id === 'string' ? raw.id : undefined
        const name = typeof fn.name === 'string' && fn.name ? fn.name : undefined
        const args = typeof fn.arguments === 'string' && fn.arguments ? fn.arguments : undefined
        let call = this.calls.get(index)
        if (!call) {
          call = { id: id ?? '', type: 'function', function: { name: name ?? '', arguments: '' } }
          this.calls.set(index, call)
        }
        if (id) call.id = id
        if (name) call.function.name = name
        if (args) call.function.arguments += args
        this.coalescer.addToolCall({ index, ...(id ? { id } : {}), ...(name ? { name } : {}), ...(args ? { arguments: args } : {}) })
        carried = true
      }
    }
    if (carried) this.timings.token(this.now())
  }

  toolCalls(): AssembledToolCall[] {
    return [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c)
  }

  get toolCallCount(): number {
    return this.calls.size
  }
}

interface Template {
  /** Everything up to and including the text's opening quote. */
  prefix: string
  /** Everything from the text's closing quote on. */
  suffix: string
}

/** Index of the quote that ends the JSON string starting at `from`, or -1. */
function closingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 92) i++
    else if (c === 34) return i
  }
  return -1
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** Keep usage only if its three counts are numbers; copy the detail fields that are. */
export function normaliseUsage(raw: unknown): Usage | null {
  if (!raw || typeof raw !== 'object') return null
  const u = raw as Json
  const prompt = num(u.prompt_tokens)
  const completion = num(u.completion_tokens)
  if (prompt === undefined || completion === undefined) return null
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: num(u.total_tokens) ?? prompt + completion }
  const pd = u.prompt_tokens_details as Json | undefined
  if (pd && typeof pd === 'object' && num(pd.cached_tokens) !== undefined) usage.prompt_tokens_details = { cached_tokens: num(pd.cached_tokens) }
  const cd = u.completion_tokens_details as Json | undefined
  if (cd && typeof cd === 'object') {
    const details: NonNullable<Usage['completion_tokens_details']> = {}
    for (const k of ['reasoning_tokens', 'accepted_prediction_tokens', 'rejected_prediction_tokens'] as const) {
      if (num(cd[k]) !== undefined) details[k] = num(cd[k])
    }
    usage.completion_tokens_details = details
  }
  return usage
}

export function normaliseTimeInfo(raw: unknown): TimeInfo | null {
  if (!raw || typeof raw !== 'object') return null
  const t = raw as Json
  const info: TimeInfo = {}
  for (const k of ['queue_time', 'prompt_time', 'completion_time', 'total_time', 'created'] as const) {
    if (num(t[k]) !== undefined) info[k] = num(t[k])
  }
  return Object.keys(info).length > 0 ? info : null
}
