import { WaferError } from '@shared/ipc/errors'

/**
 * Turning Cerebras error answers into errors a user can act on. Cerebras
 * sends flat bodies (`{message, type, param, code}`), OpenAI-style servers
 * nest them under `error`, FastAPI layers send `{detail}`, and mid-stream
 * failures arrive as `{error: {...}, status_code}` chunks.
 */

export interface ApiErrorBody {
  message: string
  type: string | null
  param: string | null
  code: string | null
  /** From a mid-stream chunk's `status_code`. */
  statusCode: number | null
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : null)

/** Read any of the known error shapes; undefined when there is nothing error-like in it. */
export function parseErrorBody(raw: unknown): ApiErrorBody | undefined {
  if (raw === null || raw === undefined) return undefined
  if (typeof raw === 'string') {
    const text = raw.trim()
    if (!text) return undefined
    try {
      return parseErrorBody(JSON.parse(text)) ?? plain(text)
    } catch {
      return plain(text)
    }
  }
  if (typeof raw !== 'object') return undefined
  const outer = raw as Record<string, unknown>
  const statusCode = typeof outer.status_code === 'number' ? outer.status_code : null
  if (outer.error && typeof outer.error === 'object') {
    const inner = outer.error as Record<string, unknown>
    return {
      message: str(inner.message) ?? str(inner.detail) ?? 'Unknown error',
      type: str(inner.type),
      param: str(inner.param),
      code: str(inner.code),
      statusCode,
    }
  }
  if (typeof outer.error === 'string') return { ...plain(outer.error), statusCode }
  if (str(outer.message)) {
    return { message: str(outer.message)!, type: str(outer.type), param: str(outer.param), code: str(outer.code), statusCode }
  }
  if (str(outer.detail)) return { ...plain(str(outer.detail)!), statusCode }
  // FastAPI validation errors: detail is a list of {loc, msg}.
  if (Array.isArray(outer.detail) && outer.detail.length > 0) {
    const first = outer.detail[0] as { msg?: unknown; loc?: unknown }
    const loc = Array.isArray(first.loc) ? first.loc.join('.') : null
    return { message: str(first.msg) ?? 'Invalid request', type: null, param: loc, code: null, statusCode }
  }
  return undefined
}

function plain(message: string): ApiErrorBody {
  return { message: message.slice(0, 500), type: null, param: null, code: null, statusCode: null }
}

export interface HttpErrorContext {
  status: number
  body: ApiErrorBody | undefined
  model: string
  /** Seconds until a 429's quota resets, when known. */
  resetSeconds?: number | null
}

const SETTINGS_ACTION = { action: 'open-settings', section: 'api-key' } as const

/** Parse "Current length is 196699 while limit is 131072". */
export function parseContextLength(message: string): { current: number; limit: number } | undefined {
  const m = /current length is\s*([\d,]+)\D+limit is\s*([\d,]+)/i.exec(message)
  if (!m) return undefined
  return { current: Number(m[1].replace(/,/g, '')), limit: Number(m[2].replace(/,/g, '')) }
}

const fmtInt = (n: number) => n.toLocaleString('en-US')

export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'under a second'
  if (seconds < 90) return `${Math.ceil(seconds)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 90) return `${minutes} min`
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return m ? `${h} h ${m} min` : `${h} h`
}

/** The WaferError for an HTTP error answer (or a mid-stream error chunk). */
export function errorFromHttp(ctx: HttpErrorContext): WaferError {
  const { status, body, model } = ctx
  const serverMessage = body?.message ?? `HTTP ${status}`
  const details: Record<string, unknown> = {
    status,
    ...(body?.type ? { type: body.type } : {}),
    ...(body?.code ? { apiCode: body.code } : {}),
    ...(body?.param ? { param: body.param } : {}),
  }

  if (status === 401 || status === 403) {
    return new WaferError('auth', `Cerebras refused the API key (${status}: ${serverMessage}). Check your API key in Settings.`, {
      ...details,
      ...SETTINGS_ACTION,
    })
  }

  if (body?.code === 'model_not_found' || (status === 404 && /model/i.test(serverMessage) && /not (exist|found)/i.test(serverMessage))) {
    return new WaferError('model_not_found', `Model ${model} does not exist or this key cannot use it.`, {
      ...details,
      model,
      serverMessage,
    })
  }

  if (body?.code === 'context_length_exceeded' || /context length|reduce the length/i.test(serverMessage)) {
    const lengths = parseContextLength(serverMessage)
    const message = lengths
      ? `The request is ${fmtInt(lengths.current)} tokens long but ${model} accepts at most ${fmtInt(lengths.limit)} (prompt plus max_completion_tokens). Shorten the conversation or lower max_completion_tokens.`
      : `The request is longer than ${model}'s context window. Shorten the conversation or lower max_completion_tokens. (${serverMessage})`
    return new WaferError('context_length_exceeded', message, { ...details, ...(lengths ?? {}), model })
  }

  if (status === 429) {
    const reset = ctx.resetSeconds
    const what =
      body?.code === 'token_quota_exceeded' || body?.type === 'too_many_tokens_error'
        ? 'token quota'
        : body?.code === 'queue_exceeded'
          ? 'queue (high traffic)'
          : 'request quota'
    const when = reset != null ? ` It resets in ${formatDuration(reset)}.` : ''
    return new WaferError('rate_limited', `Cerebras rate limit reached for ${model}: ${what}.${when} (${serverMessage})`, {
      ...details,
      model,
      ...(reset != null ? { resetSeconds: reset } : {}),
    })
  }

  if (status === 402) {
    return new WaferError('upstream', `Cerebras needs payment for this request (402: ${serverMessage}). Check your plan.`, details)
  }

  if (status >= 500) {
    return new WaferError('upstream', `Cerebras had a server error (${status}): ${serverMessage}`, details)
  }

  if (status === 404) {
    return new WaferError('upstream', `Not found (404: ${serverMessage}). Check the base URL in Settings.`, {
      ...details,
      action: 'open-settings',
      section: 'base-url',
    })
  }

  if (status === 400 || status === 422) {
    const field = body?.param ? ` (field: ${body.param})` : ''
    return new WaferError('bad_request', `Cerebras rejected the request: ${serverMessage}${field}`, details)
  }

  return new WaferError('upstream', `Cerebras answered ${status}: ${serverMessage}`, details)
}

/** A connection failure before or during the response. */
export function networkError(cause: unknown, phase: 'connect' | 'stream'): WaferError {
  const reason = describeCause(cause)
  const message =
    phase === 'connect'
      ? `Could not reach Cerebras: ${reason}. Check your connection and the base URL in Settings.`
      : `The connection dropped while the reply was streaming (${reason}). The text received so far is kept.`
  return new WaferError('network', message, { phase, reason })
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause
    const innerText = inner instanceof Error ? inner.message : typeof inner === 'string' ? inner : ''
    const code = inner && typeof inner === 'object' && 'code' in inner ? String((inner as { code: unknown }).code) : ''
    return [cause.message, innerText, code].filter((s, i, a) => s && a.indexOf(s) === i).join(': ')
  }
  return String(cause)
}

export function abortedError(): WaferError {
  return new WaferError('aborted', 'Stopped. The text received so far is kept.')
}
