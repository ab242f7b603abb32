import { WaferError, type WireError } from './errors'

/**
 * Errors cross Electron's contextBridge as plain Error messages only, so the
 * preload encodes the typed wire error into the message and the renderer's
 * api module decodes it back into a WaferError.
 */
const PREFIX = 'wafer-error:'

export function encodeWireError(e: WireError): Error {
  return new Error(PREFIX + JSON.stringify(e))
}

export function decodeWireError(err: unknown): WaferError | unknown {
  const msg = err instanceof Error ? err.message : typeof err === 'string' ? err : ''
  const at = msg.indexOf(PREFIX)
  if (at < 0) return err
  try {
    return WaferError.fromWire(JSON.parse(msg.slice(at + PREFIX.length)) as WireError)
  } catch {
    return err
  }
}
