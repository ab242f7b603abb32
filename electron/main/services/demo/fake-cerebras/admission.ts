import type { IncomingMessage, ServerResponse } from 'node:http'

import { sameSecret } from '@main/security/constant-time'

import { notAuthenticatedBody, sendJson, wrongKeyBody } from './responses'

/**
 * What a request must pass before the fake server looks at it: the loopback
 * Host and Origin check (the demo endpoint), a bounded body, and the API key.
 */

const MAX_BODY_BYTES = 64 * 1024 * 1024

/** Host names this server (the client connected to its loopback port) and no browser Origin came along. */
export function fromLoopbackClient(req: IncomingMessage, port: number): boolean {
  if (req.headers.origin !== undefined) return false
  const host = req.headers.host ?? ''
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/** The whole request body; throws past 64 MiB. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * Answers 403 without an Authorization header and 401 for a key not in
 * `apiKeys` (any key passes when it is unset), as Cerebras does; true when it answered.
 */
export function refusedKey(req: IncomingMessage, res: ServerResponse, apiKeys: string[] | undefined): boolean {
  const auth = req.headers.authorization
  if (!auth) {
    sendJson(res, 403, notAuthenticatedBody())
    return true
  }
  const key = auth.replace(/^Bearer\s+/i, '')
  if (apiKeys && !apiKeys.some((k) => sameSecret(k, key))) {
    sendJson(res, 401, wrongKeyBody())
    return true
  }
  return false
}
