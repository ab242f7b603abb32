import { z } from 'zod'

/**
 * Every failure that crosses the bridge has this shape, so the renderer can
 * show a precise message and act on the code (e.g. link to Settings on
 * `auth`). `details` carries structured extras such as a recovery hint.
 */
export const ErrorCode = z.enum([
  'bad_request', // the payload failed validation
  'forbidden', // the sender is not the app's own top frame
  'unknown_channel',
  'not_found',
  'conflict',
  'auth', // 401/403 from the API
  'model_not_found',
  'rate_limited',
  'context_length_exceeded',
  'upstream', // other API errors
  'network',
  'aborted',
  'storage',
  'policy_blocked',
  'internal',
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type WireError = z.infer<typeof WireError>

export class WaferError extends Error {
  readonly code: ErrorCode
  readonly details?: Record<string, unknown>
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'WaferError'
    this.code = code
    this.details = details
  }
  toWire(): WireError {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) }
  }
  static fromWire(w: WireError): WaferError {
    return new WaferError(w.code, w.message, w.details)
  }
}

/** Turn anything thrown into a wire error without leaking internals. */
export function toWireError(err: unknown): WireError {
  if (err instanceof WaferError) return err.toWire()
  if (err instanceof z.ZodError) {
    return { code: 'bad_request', message: formatZodError(err) }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'internal', message }
}

/** The first `max` issues of a failed parse, as `path: message` joined by '; '. */
export function formatZodError(err: z.ZodError, max = 5): string {
  return err.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ')
}

/** What every call returns over the wire: errors are values, never rejections. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError }
