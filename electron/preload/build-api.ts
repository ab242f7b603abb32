import { type BridgeApi, channelNames, eventNames, methodName } from '../../shared/ipc/contract'

type Listener = (event: unknown, payload: unknown) => void

/**
 * Build `window.wafer` from the contract: one method per channel, each
 * invoking only its own channel and answering main's envelope as it came
 * (typed errors are plain objects, which cross the contextBridge intact), and
 * a subscription limited to known events.
 * Kept free of the electron import so tests can build it under Node.
 */
export function buildPreloadApi(
  invoke: (channel: string, args: unknown) => Promise<unknown>,
  ipc: { on(channel: string, l: Listener): unknown; removeListener(channel: string, l: Listener): unknown },
): BridgeApi {
  const api: Record<string, unknown> = {}
  for (const name of channelNames) {
    api[methodName(name)] = (args: unknown) => invoke(name, args ?? {})
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
  return api as BridgeApi
}
