import type { IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'
import { gunzip } from 'node:zlib'

import { ChatRequest } from '@shared/ipc/domains/chat'
import { formatZodError } from '@shared/ipc/errors'
import type { Unpackr } from 'msgpackr'
import { z } from 'zod'

import { GatewayHttpError } from './http-errors'

/** The body the gateway accepts: a Cerebras chat request plus the streaming switches. */
export const GatewayRequest = ChatRequest.extend({
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullable().optional(),
}).strict()
export type GatewayRequest = z.infer<typeof GatewayRequest>

/**
 * The media types a chat body may come as: JSON, and MessagePack under the
 * three names clients use (the app's own client and Cerebras send
 * application/vnd.msgpack; the fake server, like Cerebras, takes all three).
 * Anything else — text/plain and form bodies above all, which a web page can
 * send without a CORS preflight — is refused with 415.
 */
const JSON_TYPE = 'application/json'
const MSGPACK_TYPES = new Set(['application/vnd.msgpack', 'application/msgpack', 'application/x-msgpack'])

type BodyFormat = 'json' | 'msgpack'

/** The format the Content-Type header declares, or a 415 naming what is accepted. */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const [type = '', ...params] = (contentType ?? '').split(';')
  const media = type.trim().toLowerCase()
  const unsupported = (why: string) =>
    new GatewayHttpError(415, 'invalid_request_error', `${why} Send application/json (UTF-8) or application/vnd.msgpack.`, 'unsupported_media_type', {
      param: 'content-type',
    })
  if (!media) throw unsupported('The request has no Content-Type.')
  if (MSGPACK_TYPES.has(media)) return 'msgpack'
  if (media !== JSON_TYPE) throw unsupported(`Content-Type ${media} is not accepted.`)
  for (const p of params) {
    const [name, value = ''] = p.split('=')
    if (name.trim().toLowerCase() !== 'charset') continue
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase()
    if (charset !== 'utf-8' && charset !== 'utf8') throw unsupported(`charset ${charset} is not accepted.`)
  }
  return 'json'
}

/** gzip or nothing, as Cerebras accepts; any other Content-Encoding is a 415. */
function bodyGzipped(contentEncoding: string | undefined): boolean {
  const encoding = (contentEncoding ?? '').trim().toLowerCase()
  if (encoding === 'gzip' || encoding === 'x-gzip') return true
  if (!encoding || encoding === 'identity') return false
  throw new GatewayHttpError(
    415,
    'invalid_request_error',
    `Content-Encoding ${encoding} is not accepted; send gzip or no encoding.`,
    'unsupported_content_encoding',
    {
      param: 'content-encoding',
    },
  )
}

const tooLarge = (limit: number, what = 'The body') =>
  new GatewayHttpError(413, 'invalid_request_error', `${what} is larger than the gateway's limit of ${limit} bytes.`, 'body_too_large', {
    headers: { connection: 'close' },
  })

/**
 * Most messages a request may hold: twice OpenAI's own cap (2,048), so no
 * client that works against OpenAI meets it, while one request cannot ask
 * for unbounded policy work.
 */
export const MAX_MESSAGES = 4_096

/** The client's chat request, read within `limit` bytes and `deadlineMs`, and checked: 408, 413, 415, 400 or 422 when it is not one. */
export async function readChatRequest(req: IncomingMessage, limit: number, deadlineMs: number, maxMessages = MAX_MESSAGES): Promise<GatewayRequest> {
  // The headers decide before a byte of the body is read.
  const format = bodyFormat(req.headers['content-type'])
  const gzipped = bodyGzipped(req.headers['content-encoding'])
  let bytes = await readBody(req, limit, deadlineMs)
  if (gzipped) bytes = await inflate(bytes, limit)
  const value = format === 'msgpack' ? decodeMsgpack(bytes) : decodeJson(bytes)
  // Counted before the schema check, which would itself walk every message.
  const messages = (value as { messages?: unknown } | null)?.messages
  if (Array.isArray(messages) && messages.length > maxMessages) {
    throw new GatewayHttpError(
      400,
      'invalid_request_error',
      `The request has ${messages.length} messages; the gateway takes at most ${maxMessages}.`,
      'too_many_messages',
      {
        param: 'messages',
      },
    )
  }
  const parsed = GatewayRequest.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new GatewayHttpError(422, 'invalid_request_error', `Invalid request: ${formatZodError(parsed.error)}`, 'validation_error', {
      param: issue?.path.join('.') || null,
    })
  }
  return parsed.data
}

function decodeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    throw new GatewayHttpError(400, 'invalid_request_error', `The body is not valid JSON: ${(err as Error).message}`, 'invalid_json')
  }
}

let unpackr: Unpackr | undefined
/** msgpackr loads with the first MessagePack body, as on the sending side (body-encoding.ts). */
function decodeMsgpack(bytes: Buffer): unknown {
  if (!unpackr) {
    const { Unpackr } = createRequire(import.meta.url)('msgpackr') as typeof import('msgpackr')
    unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true })
  }
  try {
    return unpackr.unpack(bytes)
  } catch (err) {
    // msgpackr reads nested arrays and maps recursively: a body nested deep enough runs out of stack (a RangeError).
    const why = err instanceof RangeError && /call stack/i.test(err.message) ? 'it is nested too deeply to read.' : (err as Error).message
    throw new GatewayHttpError(400, 'invalid_request_error', `The body is not valid MessagePack: ${why}`, 'invalid_msgpack')
  }
}

/** Inflates on libuv's pool, never past `limit` bytes (a small gzip can hold gigabytes). */
function inflate(bytes: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve(out)
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return reject(tooLarge(limit, 'The inflated body'))
      reject(new GatewayHttpError(400, 'invalid_request_error', 'Content-Encoding is gzip but the body is not valid gzip data.', 'invalid_gzip'))
    })
  })
}

/**
 * The body, within `limit` bytes and by `deadlineMs` from now (408 after it:
 * a client dripping its body must not hold a socket and its buffer forever).
 * Reading stops at the first failure; the answer closes the connection.
 */
function readBody(req: IncomingMessage, limit: number, deadlineMs: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) return Promise.reject(tooLarge(limit))
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (err: Error | null) => {
      clearTimeout(timer)
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
      if (err) {
        req.pause()
        reject(err)
      } else resolve(Buffer.concat(chunks))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) finish(tooLarge(limit))
      else chunks.push(chunk)
    }
    const onEnd = () => finish(null)
    const onError = (err: Error) => finish(err)
    const onClose = () => finish(new Error('The client closed the connection before sending the whole body.'))
    const timer = setTimeout(
      () =>
        finish(
          new GatewayHttpError(408, 'invalid_request_error', `The request body did not arrive within ${deadlineMs} ms.`, 'request_timeout', {
            headers: { connection: 'close' },
          }),
        ),
      deadlineMs,
    )
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose)
  })
}
