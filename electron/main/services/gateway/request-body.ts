import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import { ChatRequest } from '../../../../shared/ipc/domains/chat'
import { formatZodError } from '../../../../shared/ipc/errors'
import { GatewayHttpError } from './http-errors'

/** The body the gateway accepts: a Cerebras chat request plus the streaming switches. */
export const GatewayRequest = ChatRequest.extend({
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullable().optional(),
}).strict()
export type GatewayRequest = z.infer<typeof GatewayRequest>

/** The client's chat request, read within `limit` bytes and checked: 413, 400 or 422 when it is not one. */
export async function readChatRequest(req: IncomingMessage, limit: number): Promise<GatewayRequest> {
  const raw = await readBody(req, limit)
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (err) {
    throw new GatewayHttpError(400, 'invalid_request_error', `The body is not valid JSON: ${(err as Error).message}`, 'invalid_json')
  }
  const parsed = GatewayRequest.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new GatewayHttpError(422, 'invalid_request_error', `Invalid request: ${formatZodError(parsed.error)}`, 'validation_error', {
      param: issue?.path.join('.') || null,
    })
  }
  return parsed.data
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new GatewayHttpError(413, 'invalid_request_error', `The body is larger than the gateway's limit of ${limit} bytes.`, 'body_too_large')
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw tooLarge()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
