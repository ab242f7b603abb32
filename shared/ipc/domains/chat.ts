import { z } from 'zod'

import { channel, event } from '../define'
import { WireError } from '../error-schema'
import { JsonObject } from '../user-json'
import { PolicyOutcome, SentMessage } from './policies'

/*
 * Chat requests go to main, which calls Cerebras. `chat:start` answers with
 * the request id at once; the reply streams back as events keyed by that id:
 * any number of `chat:delta` (coalesced, only new text), `chat:retry` while a
 * retry is pending, then exactly one `chat:done` or `chat:error`.
 */

// ---- the request (the Cerebras chat completion body; unknown fields are rejected as the API does)

const MAX_TEXT = 8_000_000

const TextPart = z.object({ type: z.literal('text'), text: z.string().max(MAX_TEXT) }).strict()
const Content = z.union([z.string().max(MAX_TEXT), z.array(TextPart).max(1000)])

const ToolCall = z
  .object({
    id: z.string().max(200),
    type: z.literal('function'),
    function: z.object({ name: z.string().max(200), arguments: z.string().max(MAX_TEXT) }).strict(),
  })
  .strict()

export const ChatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: Content, name: z.string().max(200).optional() }).strict(),
  z.object({ role: z.literal('user'), content: Content, name: z.string().max(200).optional() }).strict(),
  z
    .object({
      role: z.literal('assistant'),
      content: Content.nullable().optional(),
      reasoning: z.string().max(MAX_TEXT).optional(),
      tool_calls: z.array(ToolCall).max(128).optional(),
      name: z.string().max(200).optional(),
    })
    .strict(),
  z.object({ role: z.literal('tool'), content: Content, tool_call_id: z.string().max(200) }).strict(),
])
export type ChatMessage = z.infer<typeof ChatMessage>

const FunctionName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')

export const ToolDefinition = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: FunctionName,
        description: z.string().max(10_000).optional(),
        parameters: JsonObject.optional(),
        strict: z.boolean().optional(),
      })
      .strict(),
  })
  .strict()

export const ResponseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).strict(),
  z.object({ type: z.literal('json_object') }).strict(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          name: z.string().min(1).max(64),
          description: z.string().max(10_000).optional(),
          schema: JsonObject.optional(),
          strict: z.boolean().optional(),
        })
        .strict(),
    })
    .strict(),
])

export const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: FunctionName }).strict() }).strict(),
])

/**
 * A chat completion request as Cerebras accepts it. `stream` and
 * `stream_options` are not here: the channel decides (`chat:start` streams
 * with usage, `chat:complete` does not).
 */
export const ChatRequest = z
  .object({
    model: z.string().min(1).max(200),
    messages: z.array(ChatMessage).min(1).max(10_000),
    max_completion_tokens: z.int().min(1).max(1_000_000).nullable().optional(),
    /** Deprecated by Cerebras in favour of max_completion_tokens; still accepted. */
    max_tokens: z.int().min(1).max(1_000_000).nullable().optional(),
    min_tokens: z.int().min(0).max(1_000_000).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    seed: z.int().nullable().optional(),
    stop: z
      .union([z.string().max(1000), z.array(z.string().max(1000)).max(4)])
      .nullable()
      .optional(),
    n: z.int().min(1).max(16).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.int().min(0).max(20).nullable().optional(),
    response_format: ResponseFormat.nullable().optional(),
    tools: z.array(ToolDefinition).max(128).nullable().optional(),
    tool_choice: ToolChoice.nullable().optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    reasoning_effort: z.enum(['low', 'medium', 'high']).nullable().optional(),
    reasoning_format: z.enum(['parsed', 'raw', 'hidden', 'none']).nullable().optional(),
    prediction: z
      .object({ type: z.literal('content'), content: Content })
      .strict()
      .nullable()
      .optional(),
    prompt_cache_key: z.string().max(1024).nullable().optional(),
    service_tier: z.enum(['auto', 'default', 'flex', 'priority']).nullable().optional(),
  })
  .strict()
export type ChatRequest = z.infer<typeof ChatRequest>

/** A caller-chosen id lets the renderer subscribe before the call returns. */
export const RequestId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, _ and -, at most 100')

const RetryOptions = z
  .object({
    /** How many times to retry a 429 before giving up (default 3). */
    maxRateLimitRetries: z.int().min(0).max(10).optional(),
  })
  .strict()

// ---- what comes back

/** Token counts exactly as the server reported them. */
export const Usage = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().optional() }).optional(),
  completion_tokens_details: z
    .object({
      reasoning_tokens: z.number().optional(),
      accepted_prediction_tokens: z.number().optional(),
      rejected_prediction_tokens: z.number().optional(),
    })
    .optional(),
})
export type Usage = z.infer<typeof Usage>

/** Cerebras's own timings, in seconds, as it reported them. */
export const TimeInfo = z.object({
  queue_time: z.number().optional(),
  prompt_time: z.number().optional(),
  completion_time: z.number().optional(),
  total_time: z.number().optional(),
  created: z.number().optional(),
})
export type TimeInfo = z.infer<typeof TimeInfo>

export const BodyEncoding = z.enum(['json', 'msgpack', 'gzip', 'msgpack+gzip'])
export type BodyEncoding = z.infer<typeof BodyEncoding>

/** How the request body went over the wire. */
export const RequestBodyStats = z.object({
  encoding: BodyEncoding,
  jsonBytes: z.number(),
  wireBytes: z.number(),
  encodeMs: z.number(),
  /** jsonBytes − wireBytes (0 when sent as JSON). */
  bytesSaved: z.number(),
  /** The server refused the encoded body and it was resent as JSON. */
  fellBackToJson: z.boolean(),
})
export type RequestBodyStats = z.infer<typeof RequestBodyStats>

const ms = z.number().nullable()

/**
 * Figures for one response. Null means "not measured / not reported" and is
 * shown as "—"; nothing here is estimated.
 */
export const ResponseMetrics = z.object({
  /** Start of the answered attempt → arrival of the first content or reasoning token. Null when streaming is off or nothing came. */
  ttftMs: ms,
  /** Gaps between the arrivals of chunks that carried text (0 for chunks that came in the same network read). */
  gapP50Ms: ms,
  gapP95Ms: ms,
  /** SSE chunks carrying content, reasoning or tool-call text. */
  contentChunks: z.number(),
  /** Start of the answered attempt → last byte. */
  clientTotalMs: ms,
  /** completion_tokens / clientTotal (TTFT included). Null without server usage. */
  clientTokensPerSec: ms,
  /** completion_tokens / time_info.completion_time. */
  serverDecodeTokensPerSec: ms,
  queueMs: ms,
  promptMs: ms,
  completionMs: ms,
  serverTotalMs: ms,
  /** clientTotal − server total_time: the network's and the client's share. */
  networkOverheadMs: ms,
  request: RequestBodyStats.nullable(),
  /** HTTP attempts made (1 without retries). */
  attempts: z.number(),
  /** Time spent waiting between attempts. */
  retryWaitMs: z.number(),
})
export type ResponseMetrics = z.infer<typeof ResponseMetrics>

export const ToolCallDelta = z.object({
  index: z.number(),
  id: z.string().optional(),
  name: z.string().optional(),
  /** New argument text only. */
  arguments: z.string().optional(),
})
export type ToolCallDelta = z.infer<typeof ToolCallDelta>

/** One output token's log probability, with the most likely alternatives when top_logprobs asked for them. */
export const TokenLogprob = z.object({
  token: z.string(),
  logprob: z.number(),
  top: z.array(z.object({ token: z.string(), logprob: z.number() })).optional(),
})
export type TokenLogprob = z.infer<typeof TokenLogprob>

export const ChatDelta = z.object({
  requestId: z.string(),
  /** 0, 1, 2… per request, so a gap would be visible. */
  seq: z.number(),
  content: z.string().optional(),
  reasoning: z.string().optional(),
  toolCalls: z.array(ToolCallDelta).optional(),
  /** The new content tokens' log probabilities (when the request asked for logprobs). */
  logprobs: z.array(TokenLogprob).optional(),
})
export type ChatDelta = z.infer<typeof ChatDelta>

export const ChatDone = z.object({
  requestId: z.string(),
  model: z.string(),
  /** The completion id from the server (`chatcmpl-…`), when sent. */
  completionId: z.string().nullable(),
  finishReason: z.string().nullable(),
  usage: Usage.nullable(),
  timeInfo: TimeInfo.nullable(),
  metrics: ResponseMetrics,
  /** What the active policy decided (absent when no policy is applied). */
  policy: PolicyOutcome.optional(),
  /** The messages as sent, when the policy redacted any (what Cerebras received). */
  sentMessages: z.array(SentMessage).optional(),
})
export type ChatDone = z.infer<typeof ChatDone>

/** How much had arrived when a stream failed; the renderer keeps all of it. */
export const ReceivedSoFar = z.object({
  contentChars: z.number(),
  reasoningChars: z.number(),
  toolCalls: z.number(),
})

export const ChatError = z.object({
  requestId: z.string(),
  model: z.string(),
  error: WireError,
  received: ReceivedSoFar,
  metrics: ResponseMetrics,
  /** What the active policy decided; on a block, `error.code` is `policy_blocked`. */
  policy: PolicyOutcome.optional(),
  /** The messages as sent, when the policy redacted any. */
  sentMessages: z.array(SentMessage).optional(),
})
export type ChatError = z.infer<typeof ChatError>

export const RetryReason = z.enum(['rate_limited', 'server_error', 'network'])

/** Sent when a retry is scheduled, then about once a second while waiting. */
export const ChatRetry = z.object({
  requestId: z.string(),
  reason: RetryReason,
  /** 1 for the first retry. */
  attempt: z.number(),
  maxRetries: z.number(),
  /** The whole wait for this retry. */
  waitMs: z.number(),
  /** What is left of it. */
  remainingMs: z.number(),
  /** Wall-clock time of the retry (epoch ms). */
  retryAt: z.number(),
  message: z.string(),
})
export type ChatRetry = z.infer<typeof ChatRetry>

export const AssistantMessage = z.object({
  content: z.string().nullable(),
  reasoning: z.string().nullable(),
  toolCalls: z.array(z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) })),
})
export type AssistantMessage = z.infer<typeof AssistantMessage>

export const ChatCompletion = z.object({
  requestId: z.string(),
  model: z.string(),
  completionId: z.string().nullable(),
  message: AssistantMessage,
  finishReason: z.string().nullable(),
  usage: Usage.nullable(),
  timeInfo: TimeInfo.nullable(),
  metrics: ResponseMetrics,
  /** The content tokens' log probabilities (when the request asked for logprobs). */
  logprobs: z.array(TokenLogprob).optional(),
  /** What the active policy decided (absent when no policy is applied). */
  policy: PolicyOutcome.optional(),
  /** The messages as sent, when the policy redacted any. */
  sentMessages: z.array(SentMessage).optional(),
})
export type ChatCompletion = z.infer<typeof ChatCompletion>

export const ChatStartArgs = z.object({ requestId: RequestId.optional(), request: ChatRequest, retry: RetryOptions.optional() }).strict()
export type ChatStartArgs = z.infer<typeof ChatStartArgs>

export const chatChannels = {
  'chat:start': channel(
    ChatStartArgs,
    z.object({ requestId: z.string() }),
    'Start a streamed chat completion; the reply arrives as chat:delta then chat:done or chat:error',
  ),
  'chat:abort': channel(
    z.object({ requestId: RequestId }).strict(),
    z.object({ aborted: z.boolean() }),
    'Stop a running chat request at once; what was received is kept',
  ),
  'chat:complete': channel(ChatStartArgs, ChatCompletion, 'Run a chat completion without streaming and return the whole answer'),
}

export const chatEvents = {
  'chat:delta': event(ChatDelta, 'New text for a running chat request (coalesced, never repeated)'),
  'chat:done': event(ChatDone, 'A chat request finished: finish reason, usage, server timings and metrics'),
  'chat:error': event(ChatError, 'A chat request failed or was stopped; text already sent stays valid'),
  'chat:retry': event(ChatRetry, 'A chat request is waiting to retry (countdown)'),
}
