import { channelNames, eventNames, methodName, type Api } from '../../shared/ipc/contract'
import type { Envelope } from '../../shared/ipc/errors'
import { encodeWireError } from '../../shared/ipc/wire-error'

type Listener = (event: unknown, payload: unknown) => void

/**
 * Build `window.wafer` from the contract: one method per channel, each
 * invoking only its own channel, and a subscription limited to known events.
 * Kept free of the electron import so tests can build it under Node.
 */
export function buildPreloadApi(
  invoke: (channel: string, args: unknown) => Promise<unknown>,
  ipc: { on(channel: string, l: Listener): unknown; removeListener(channel: string, l: Listener): unknown },
): Api {
  const api: Record<string, unknown> = {}
  for (const name of channelNames) {
    api[methodName(name)] = async (args: unknown) => {
      const env = (await invoke(name, args ?? {})) as Envelope<unknown>
      if (env.ok) return env.value
      throw encodeWireError(env.error)
    }
  }
  const known = new Set<string>(eventNames)
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!known.has(event)) throw new Error(`Unknown event: ${event}`)
    const wrapped: Listener = (_e, payload) => listener(payload)
    ipc.on(`event:${event}`, wrapped)
    return () => {
      ipc.removeListener(`event:${event}`, wrapped)
    }
  }
  return api as Api
}
