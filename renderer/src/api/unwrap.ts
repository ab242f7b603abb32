import type { Api, BridgeApi } from '@shared/ipc/contract'
import { type Envelope, toWireError, WaferError } from '@shared/ipc/errors'

import { CHANNEL_METHODS } from './ipc-names'

/**
 * Both bridges answer main's envelopes; this is the one place they become
 * values or thrown WaferErrors. A bridge that rejects instead (Electron with
 * no handler for a channel) is an internal error, reported the same way.
 */
export function unwrapBridge(bridge: BridgeApi): Api {
  const api: Record<string, unknown> = { on: bridge.on.bind(bridge) }
  const methods = bridge as unknown as Record<string, (a: unknown) => Promise<Envelope<unknown>>>
  for (const [, m] of CHANNEL_METHODS) {
    api[m] = async (args: unknown) => {
      let envelope: Envelope<unknown>
      try {
        envelope = await methods[m](args)
      } catch (err) {
        throw WaferError.fromWire(toWireError(err))
      }
      return fromEnvelope(envelope)
    }
  }
  return api as Api
}

/** An envelope's value, or its error thrown as a WaferError. */
export function fromEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value
  throw WaferError.fromWire(envelope.error)
}
