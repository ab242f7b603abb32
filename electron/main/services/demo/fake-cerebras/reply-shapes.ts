import type { Fault } from './faults'
import type { ReceivedRequest, SentText } from './recording'
import type { ReplyPlan } from './reply'
import type { Json } from './responses'

/**
 * The shapes Cerebras sends for a chat answer: the stream's chunks (usage and
 * time_info in the final one), usage, time_info and made-up logprobs.
 */

/** One chat answer being sent: what it says, how fast, and under which fault. */
export interface ReplyContext {
  id: string
  /** The request's n: how many choices answer it. */
  choices: number
  /** The request asked for logprobs. */
  logprobs: boolean
  /** top_logprobs: alternatives per token. */
  topLogprobs: number
  model: string
  plan: ReplyPlan
  tps: number
  ttftMs: number
  record: ReceivedRequest
  fault: Fault | null | undefined
  rl: Record<string, string>
  startedAt: number
}

export interface StreamEvent {
  data: string
  /** Counts as an output token for speed and fault positions. */
  token: boolean
  kind: 'content' | 'reasoning' | 'tool' | 'other'
  text: string
  final?: boolean
}

/** Add what an event carried to the text recorded as sent. */
export function recordSent(sent: SentText, ev: StreamEvent): void {
  if (ev.kind === 'content') sent.content += ev.text
  else if (ev.kind === 'reasoning') sent.reasoning += ev.text
  else if (ev.kind === 'tool') sent.toolArguments += ev.text
}

/** Every event of the stream in order; the last one (`final`) is filled in when it is sent. */
export function buildEvents(ctx: ReplyContext): StreamEvent[] {
  const head = (index: number) =>
    `{"id":"${ctx.id}","object":"chat.completion.chunk","created":${Math.floor(ctx.startedAt / 1000)},"model":${JSON.stringify(ctx.model)},"system_fingerprint":"fp_fake0001","choices":[{"index":${index},"delta":`
  const tail = '}]}'
  const chunkOf = (index: number, delta: string, finish: string | null = null, logprobs = '') =>
    `${head(index)}${delta}${logprobs}${finish === null ? ',"finish_reason":null' : `,"finish_reason":"${finish}"`}${tail}`
  // logprobs: true gets each content token with its (made-up) log probability.
  const logprobsOf = (t: string) => (ctx.logprobs ? `,"logprobs":{"content":[${JSON.stringify(tokenLogprob(t, ctx.topLogprobs))}]}` : '')
  const chunk = (delta: string, finish: string | null = null) => chunkOf(0, delta, finish)
  // n > 1: every choice gets the same text, its events interleaved with choice 0's
  // (the shape of a real n > 1 stream); only choice 0 counts as output tokens.
  const others = Array.from({ length: ctx.choices - 1 }, (_, i) => i + 1)
  const echo = (ev: StreamEvent, delta: string) => [
    ev,
    ...others.map((index): StreamEvent => ({ data: chunkOf(index, delta), token: false, kind: 'other', text: '' })),
  ]
  const events: StreamEvent[] = echo({ data: chunk('{"role":"assistant"}'), token: false, kind: 'other', text: '' }, '{"role":"assistant"}')
  for (const t of ctx.plan.reasoning)
    events.push(...echo({ data: chunk(`{"reasoning":${JSON.stringify(t)}}`), token: true, kind: 'reasoning', text: t }, `{"reasoning":${JSON.stringify(t)}}`))
  const call = ctx.plan.toolCall
  if (call) {
    call.argumentPieces.forEach((piece, i) => {
      const fn = i === 0 ? `{"name":${JSON.stringify(call.name)},"arguments":${JSON.stringify(piece)}}` : `{"arguments":${JSON.stringify(piece)}}`
      const tc = i === 0 ? `{"index":0,"id":"${call.id}","type":"function","function":${fn}}` : `{"index":0,"function":${fn}}`
      events.push({ data: chunk(`{"tool_calls":[${tc}]}`), token: true, kind: 'tool', text: piece })
    })
  }
  for (const t of ctx.plan.content) {
    events.push({ data: chunkOf(0, `{"content":${JSON.stringify(t)}}`, null, logprobsOf(t)), token: true, kind: 'content', text: t })
    for (const index of others)
      events.push({ data: chunkOf(index, `{"content":${JSON.stringify(t)}}`, null, logprobsOf(t)), token: false, kind: 'other', text: '' })
  }
  events.push({ data: chunk('{}'), token: false, kind: 'other', text: '' })
  for (const index of others) events.push({ data: chunkOf(index, '{}', ctx.plan.finishReason), token: false, kind: 'other', text: '' })
  events.push({ data: '', token: false, kind: 'other', text: '', final: true })
  return events
}

/**
 * A token's made-up log probability, the same for the same token (so tests
 * can predict it) and spread over 0 … -3 (so a heat map has something to
 * show), with `top` alternatives led by the token itself.
 */
export function tokenLogprob(token: string, top: number): Json {
  let h = 7
  for (const ch of token) h = (h * 31 + ch.charCodeAt(0)) | 0
  const logprob = -((Math.abs(h) % 300) / 100)
  const alternatives = Array.from({ length: top }, (_, i) =>
    i === 0 ? { token, logprob, bytes: [...Buffer.from(token)] } : { token: `${token.trim() || '_'}~${i}`, logprob: logprob - i * 0.7 - 0.1, bytes: [] },
  )
  return { token, logprob, bytes: [...Buffer.from(token)], top_logprobs: alternatives }
}

export function usage(plan: ReplyPlan): Json {
  const contentTokens = plan.content.length + (plan.toolCall?.argumentPieces.length ?? 0)
  const completion = plan.reasoningTokens + contentTokens
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: completion,
    total_tokens: plan.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: plan.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: plan.reasoningTokens, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
}

export function timeInfo(ctx: ReplyContext, completionSeconds: number): Json {
  const queue = 0.0004
  // Cached prompt tokens skip the prompt phase (that is what the cache is for).
  const prompt = Math.max(0.0001, (ctx.plan.promptTokens - (ctx.plan.cachedTokens ?? 0)) / 200_000)
  return {
    queue_time: queue,
    prompt_time: Number(prompt.toFixed(6)),
    completion_time: Number(Math.max(0.0001, completionSeconds).toFixed(6)),
    total_time: Number((queue + prompt + Math.max(0.0001, completionSeconds)).toFixed(6)),
    created: ctx.startedAt / 1000,
  }
}

/** The last chunk: no delta, the finish reason, usage and time_info. */
export function finalChunk(ctx: ReplyContext, completionSeconds: number): string {
  return JSON.stringify({
    id: ctx.id,
    object: 'chat.completion.chunk',
    created: Math.floor(ctx.startedAt / 1000),
    model: ctx.model,
    system_fingerprint: 'fp_fake0001',
    choices: [{ index: 0, delta: {}, finish_reason: ctx.plan.finishReason }],
    usage: usage(ctx.plan),
    time_info: timeInfo(ctx, completionSeconds),
  })
}
