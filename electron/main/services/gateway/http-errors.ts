import type { ServerResponse } from 'node:http'

/** One upstream target tried for a request, and how it went ('ok', 'timeout', '503 service_unavailable', 'unreachable: …'). */
export interface TriedTarget {
  target: string
  outcome: string
}

/** What an error says, in the field names both the OpenAI and the Cerebras APIs use. */
export interface GatewayErrorFields {
  message: string
  type: string | null
  param: string | null
  code: string | null
  /** Set on policy_violation: the policy that decided. */
  policy?: string
  /** Set when fallback ran: every target tried, in order, with its outcome. */
  tried?: TriedTarget[]
}

/**
 * Every error body the gateway sends: the fields flat, as Cerebras sends
 * them (its SDK reads the top-level `message`), and the same fields nested
 * under `error`, as OpenAI sends them (the openai SDK reads `error.message`).
 */
export type GatewayErrorBody = GatewayErrorFields & { error: GatewayErrorFields }

export interface GatewayErrorExtra {
  policy?: string
  param?: string | null
  tried?: TriedTarget[]
  /** Headers the error answer carries (the upstream's rate-limit figures and retry hints, the targets tried). */
  headers?: Record<string, string>
}

export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string | null,
    message: string,
    readonly code: string | null = null,
    readonly extra: GatewayErrorExtra = {},
  ) {
    super(message)
    this.name = 'GatewayHttpError'
  }

  /** The error's fields, once: the body and the stream's error event are both built from these. */
  fields(): GatewayErrorFields {
    return {
      message: this.message,
      type: this.type,
      param: this.extra.param ?? null,
      code: this.code,
      ...(this.extra.policy ? { policy: this.extra.policy } : {}),
      ...(this.extra.tried?.length ? { tried: this.extra.tried } : {}),
    }
  }

  body(): GatewayErrorBody {
    const fields = this.fields()
    return { ...fields, error: { ...fields } }
  }

  /** The SSE event that ends a stream already under way, in the shape Cerebras uses mid-stream: `{error, status_code}`. */
  streamEvent(): string {
    return `data: ${JSON.stringify({ error: this.fields(), status_code: this.status })}\n\n`
  }

  /** The same error with the targets fallback tried, in its body and in a header. */
  withTried(tried: readonly TriedTarget[], header: Record<string, string>): GatewayHttpError {
    return new GatewayHttpError(this.status, this.type, this.message, this.code, {
      ...this.extra,
      tried: [...tried],
      headers: { ...this.extra.headers, ...header },
    })
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function sendError(res: ServerResponse, err: GatewayHttpError, headers: Record<string, string> = {}): void {
  sendJson(res, err.status, err.body(), { ...(err.extra.headers ?? {}), ...headers })
}
