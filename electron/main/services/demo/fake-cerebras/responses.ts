import type { ServerResponse } from 'node:http'

/** JSON answers, and the error bodies Cerebras sends (docs/cerebras-api.md). */

export type Json = Record<string, unknown>

/** Answer `body` as JSON, unless the response has already started. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function modelNotFoundBody(model: string): Json {
  return {
    message: `Model ${model} does not exist or you do not have access to it.`,
    type: 'not_found_error',
    param: 'model',
    code: 'model_not_found',
  }
}

export function wrongKeyBody(): Json {
  return { message: 'Wrong API Key', type: 'invalid_request_error', param: 'api_key', code: 'wrong_api_key' }
}

export function notAuthenticatedBody(): Json {
  return { detail: 'Not authenticated' }
}

export function contextLengthBody(current: number, limit: number): Json {
  return {
    message: `Please reduce the length of the messages or completion. Current length is ${current} while limit is ${limit}`,
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
    id: '',
  }
}
