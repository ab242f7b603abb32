import type { ZodError } from 'zod'

/*
 * No zod here at run time: the renderer's entry imports this module (every bridge call unwraps through it), and
 * evaluating zod took tens of milliseconds of the app's start-up. The schema of the wire error, for the channels
 * whose payloads carry one, is in error-schema.ts.
 */

/**
 * Every failure that crosses the bridge has this shape, so the renderer can
 * show a precise message and act on the code (e.g. link to Settings on
 * `auth`). `details` carries structured extras such as a recovery hint.
 */
export const ERROR_CODES = [
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
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface WireError {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

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
  if (isZodError(err)) {
    return { code: 'bad_request', message: formatZodError(err) }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'internal', message }
}

/** A failed zod parse, recognised without loading zod (its errors are named ZodError and list their issues). */
function isZodError(err: unknown): err is ZodError {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as Partial<ZodError>).issues)
}

/** The first `max` issues of a failed parse, as `path: message` joined by '; '. */
export function formatZodError(err: ZodError, max = 5): string {
  return err.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ')
}

/** What every call returns over the wire: errors are values, never rejections. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError }
