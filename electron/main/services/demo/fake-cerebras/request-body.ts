import { gunzipSync } from 'node:zlib'

import { Unpackr } from 'msgpackr'

/**
 * Decoding request bodies as Cerebras does: JSON, MessagePack
 * (`application/vnd.msgpack`) and gzip (`Content-Encoding: gzip`) in any
 * combination. A body whose bytes do not match what its headers declare is
 * a 400, and so is a field the API does not know.
 */

export interface DecodedBody {
  value: Record<string, unknown>
  format: 'json' | 'msgpack'
  gzip: boolean
}

export class BodyError extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code = 'invalid_request_body',
  ) {
    super(message)
  }
}

const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true })

export function decodeBody(raw: Buffer, contentType: string | undefined, contentEncoding: string | undefined): DecodedBody {
  const encoding = (contentEncoding ?? '').trim().toLowerCase()
  let bytes = raw
  let gzip = false
  if (encoding === 'gzip') {
    try {
      bytes = gunzipSync(raw)
      gzip = true
    } catch {
      throw new BodyError('Content-Encoding is gzip but the body is not valid gzip data.')
    }
  } else if (encoding && encoding !== 'identity') {
    throw new BodyError(`Unsupported Content-Encoding: ${encoding}`)
  }

  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase()
  let value: unknown
  let format: DecodedBody['format']
  if (type === 'application/vnd.msgpack' || type === 'application/msgpack' || type === 'application/x-msgpack') {
    format = 'msgpack'
    try {
      value = unpackr.unpack(bytes)
    } catch {
      throw new BodyError('Content-Type is application/vnd.msgpack but the body is not valid MessagePack.')
    }
  } else if (type === 'application/json') {
    format = 'json'
    try {
      value = JSON.parse(bytes.toString('utf8'))
    } catch {
      throw new BodyError('The body is not valid JSON.')
    }
  } else {
    throw new BodyError(`Unsupported Content-Type: ${type}`, 'content-type')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BodyError(`The ${format === 'msgpack' ? 'MessagePack' : 'JSON'} body must be an object.`)
  }
  return { value: value as Record<string, unknown>, format, gzip }
}

/** Every field /v1/chat/completions accepts. */
export const CHAT_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_completion_tokens',
  'max_tokens',
  'min_tokens',
  'temperature',
  'top_p',
  'seed',
  'stop',
  'n',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
  'reasoning_format',
  'prediction',
  'prompt_cache_key',
  'service_tier',
])

export interface ChatBody {
  model: string
  messages: { role: string; content?: unknown; [k: string]: unknown }[]
  stream?: boolean
  stream_options?: { include_usage?: boolean }
  max_completion_tokens?: number | null
  max_tokens?: number | null
  tools?: { type: string; function: { name: string } }[] | null
  tool_choice?: unknown
  reasoning_format?: string | null
  response_format?: { type: string } | null
  [k: string]: unknown
}

/** Check the fields and their basic shapes; throws BodyError for a 400. */
export function validateChatBody(value: Record<string, unknown>): ChatBody {
  for (const key of Object.keys(value)) {
    if (!CHAT_FIELDS.has(key)) throw new BodyError(`Unrecognized request argument supplied: ${key}`, key, 'wrong_api_format')
  }
  if (typeof value.model !== 'string' || !value.model) throw new BodyError('model is required', 'model', 'missing_required_parameter')
  if (!Array.isArray(value.messages) || value.messages.length === 0) {
    throw new BodyError('messages must be a non-empty array', 'messages', 'missing_required_parameter')
  }
  for (const [i, m] of (value.messages as unknown[]).entries()) {
    if (!m || typeof m !== 'object' || typeof (m as { role?: unknown }).role !== 'string') {
      throw new BodyError(`messages[${i}] must be an object with a role`, `messages.${i}`, 'invalid_value')
    }
  }
  if (Array.isArray(value.stop) && value.stop.length > 4) throw new BodyError('stop accepts at most 4 sequences', 'stop', 'invalid_value')
  return value as ChatBody
}

/** Text of a message's content (string or text parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('')
  }
  return ''
}

/** Rough prompt tokens (~4 characters a token), enough for limits and usage. */
export function estimatePromptTokens(body: ChatBody): number {
  let chars = 0
  for (const m of body.messages) chars += contentText(m.content).length + 8
  return Math.max(1, Math.ceil(chars / 4))
}
