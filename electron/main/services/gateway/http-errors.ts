import type { ServerResponse } from 'node:http'

/** The OpenAI-style error body every gateway failure answers with. */
export interface GatewayErrorBody {
  error: {
    message: string
    type: string
    code: string | null
    param?: string | null
    /** Set on policy_violation: the policy that decided. */
    policy?: string
  }
}

export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code: string | null = null,
    readonly extra: { policy?: string; param?: string | null; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.name = 'GatewayHttpError'
  }

  body(): GatewayErrorBody {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        ...(this.extra.param !== undefined ? { param: this.extra.param } : {}),
        ...(this.extra.policy ? { policy: this.extra.policy } : {}),
      },
    }
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
  sendJson(res, err.status, err.body(), { ...headers, ...(err.extra.headers ?? {}) })
}
