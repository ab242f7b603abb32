import type { ServerResponse } from 'node:http'

import { type Fault, numberParam } from './faults'
import type { ChatBody } from './request-body'
import { contextLengthBody, modelNotFoundBody, notAuthenticatedBody, sendJson, wrongKeyBody } from './responses'

/**
 * Faults answered before any generation, with the status, body and headers
 * Cerebras sends for each; false if the fault acts later (mid-stream or on
 * the whole answer).
 */
export function answerImmediateFault(f: Fault, res: ServerResponse, rl: Record<string, string>, body: ChatBody, promptTokens: number): boolean {
  switch (f.kind) {
    case 'model_not_found':
      sendJson(res, 404, modelNotFoundBody(body.model), rl)
      return true
    case '401':
      sendJson(res, 401, wrongKeyBody(), rl)
      return true
    case '403':
      sendJson(res, 403, notAuthenticatedBody(), rl)
      return true
    case '429':
      sendJson(res, 429, rateLimitedBody(f), rateLimitedHeaders(f, rl))
      return true
    case '500':
      sendJson(res, 500, { message: 'Internal server error', type: 'server_error' }, rl)
      return true
    case '503': {
      const headers = { ...rl, ...(f.params.retry_after ? { 'retry-after': f.params.retry_after } : {}) }
      sendJson(res, 503, { message: 'Service temporarily unavailable', type: 'service_unavailable', param: null, code: 'service_unavailable' }, headers)
      return true
    }
    case 'context_length': {
      const limit = numberParam(f, 'limit', 131_072)
      const current = numberParam(f, 'current', Math.max(limit + 1, promptTokens))
      sendJson(res, 400, contextLengthBody(current, limit), rl)
      return true
    }
    default:
      return false
  }
}

/** A 429's retry headers: the fault's own, or a default set when it names none. */
function rateLimitedHeaders(f: Fault, rl: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { ...rl }
  const p = f.params
  const hasTiming = ['retry_after_ms', 'retry_after', 'reset_tokens_minute', 'reset_requests_day'].some((k) => k in p)
  if (!hasTiming) {
    headers['retry-after-ms'] = '1250'
    headers['retry-after'] = '2'
    headers['x-ratelimit-reset-tokens-minute'] = '1.25'
  }
  if (p.retry_after_ms) headers['retry-after-ms'] = p.retry_after_ms
  if (p.retry_after) headers['retry-after'] = p.retry_after
  if (p.reset_tokens_minute) headers['x-ratelimit-reset-tokens-minute'] = p.reset_tokens_minute
  if (p.reset_requests_day) headers['x-ratelimit-reset-requests-day'] = p.reset_requests_day
  if (rateLimitCode(f) === 'token_quota_exceeded') headers['x-ratelimit-remaining-tokens-minute'] = '0'
  return headers
}

function rateLimitCode(f: Fault): string {
  return f.params.code ?? 'request_quota_exceeded'
}

function rateLimitedBody(f: Fault): Record<string, string> {
  const code = rateLimitCode(f)
  if (code === 'token_quota_exceeded')
    return { message: 'Tokens per minute limit exceeded - too many tokens processed.', type: 'too_many_tokens_error', param: 'quota', code }
  if (code === 'queue_exceeded')
    return { message: "We're experiencing high traffic right now! Please try again soon.", type: 'too_many_requests_error', param: 'queue', code }
  return { message: 'Requests per minute limit exceeded - too many requests sent.', type: 'too_many_requests_error', param: 'quota', code }
}
