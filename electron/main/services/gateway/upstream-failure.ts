import { TransportError } from '../cerebras/cerebras-client'
import type { ResolvedTarget } from './config'
import { GatewayHttpError } from './http-errors'
import type { FailureKind } from './router'
import { passedHeaders } from './upstream-headers'

/**
 * Why one upstream attempt failed: the kind retry_on is matched against, the
 * outcome the request log and the fallback report show, and the error the
 * client gets when this attempt was the last one tried.
 */
export interface AttemptFailure {
  /** 'client': the upstream refused the request itself (400, 401, 404…); no other target is tried. */
  kind: FailureKind | 'client'
  outcome: string
  error: GatewayHttpError
  /** The upstream's answer headers, when it answered (for its rate-limit figures). */
  headers?: Headers
}

/** The OpenAI error type for a status, for upstream errors that name none (a bare `{"detail": …}` 403). */
function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'api_error'
  return 'invalid_request_error'
}

const host = (t: ResolvedTarget) => {
  try {
    return new URL(t.baseUrl).host
  } catch {
    return t.baseUrl
  }
}

export function classifyFailure(err: unknown, target: ResolvedTarget, timedOutAfterMs: number | null): AttemptFailure {
  if (timedOutAfterMs !== null) {
    return {
      kind: 'timeout',
      outcome: 'timeout',
      error: new GatewayHttpError(
        504,
        'upstream_error',
        `Upstream target ${target.id} (${host(target)}) did not answer within ${timedOutAfterMs} ms.`,
        'upstream_timeout',
      ),
    }
  }
  const failure = err instanceof TransportError ? err.failure : null
  if (failure?.kind === 'http') {
    // The upstream's own error, passed on as it sent it: status, type, code, param, message and its rate-limit headers.
    const { status, body, headers } = failure
    const message = body?.message ?? `Upstream target ${target.id} answered HTTP ${status} with no error message.`
    const error = new GatewayHttpError(status, body?.type ?? typeForStatus(status), message, body?.code ?? null, {
      param: body?.param ?? null,
      headers: passedHeaders(headers),
    })
    const kind = status === 429 ? 'rate_limit' : status >= 500 ? '5xx' : 'client'
    const label = body?.code ?? body?.type
    return { kind, outcome: label ? `${status} ${label}` : String(status), error, headers }
  }
  if (failure?.kind === 'network') {
    const reason = networkReason(failure.cause)
    return {
      // A target that cannot be reached is moved past as a 5xx answer is (retry_on names no other kind for it).
      kind: '5xx',
      outcome: `unreachable: ${reason.label}`,
      error: new GatewayHttpError(
        502,
        'upstream_error',
        `Could not reach upstream target ${target.id} (${host(target)}): ${describeReason(reason)}.`,
        'upstream_unreachable',
      ),
    }
  }
  // The upstream answered 2xx but its answer could not be read (cut off, not JSON).
  const reason = networkReason(err)
  return {
    kind: '5xx',
    outcome: `failed: ${reason.label}`,
    error: new GatewayHttpError(
      502,
      'upstream_error',
      `Upstream target ${target.id} (${host(target)}) sent an answer that could not be read: ${describeReason(reason)}.`,
      'upstream_bad_answer',
    ),
  }
}

/** What a network failure was, in words (`connection refused`) and as the system said it (`connect ECONNREFUSED 127.0.0.1:9`). */
export interface NetworkReason {
  label: string
  detail: string
}

/** `connection refused (connect ECONNREFUSED 127.0.0.1:9)` */
export const describeReason = (r: NetworkReason) => (r.detail && r.detail !== r.label ? `${r.label} (${r.detail})` : r.label)

const CODE_LABELS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection reset',
}

/** The innermost error's code and message, through `cause` links (fetch wraps the socket's error in "fetch failed"). */
export function networkReason(err: unknown): NetworkReason {
  let code: string | undefined
  let detail = ''
  let e: unknown = err
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error) {
      const c = (e as NodeJS.ErrnoException).code
      if (typeof c === 'string' && !code) code = c
      if (e.message && e.message !== 'fetch failed') detail = e.message
      e = (e as Error & { cause?: unknown }).cause
    } else {
      if (!detail) detail = String(e)
      break
    }
  }
  if (code && CODE_LABELS[code]) return { label: CODE_LABELS[code], detail }
  if (/socket hang up|other side closed|terminated/i.test(detail)) return { label: 'connection reset', detail }
  if (err instanceof SyntaxError) return { label: 'not JSON', detail }
  return { label: code ?? (detail || 'unknown error'), detail: code ? detail : '' }
}
