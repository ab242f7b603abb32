import { channelNames, methodName, type Api } from '../../../shared/ipc/contract'
import { decodeWireError } from '../../../shared/ipc/wire-error'
import { createWebBridge } from './web-bridge'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser served by `npm run web`. */
    wafer?: Api
  }
}

/** Electron's preload encodes typed errors into messages; turn them back into WaferErrors. */
function withTypedErrors(raw: Api): Api {
  const api: Record<string, unknown> = { on: raw.on.bind(raw) }
  const rawMethods = raw as unknown as Record<string, (a: unknown) => Promise<unknown>>
  for (const name of channelNames) {
    const m = methodName(name)
    api[m] = (args: unknown) =>
      rawMethods[m](args).catch((err: unknown) => {
        throw decodeWireError(err)
      })
  }
  return api as Api
}

/** The one way the renderer talks to main: the Electron bridge or the web bridge. */
export const api: Api = window.wafer ? withTypedErrors(window.wafer) : createWebBridge()
export const host: 'electron' | 'web' = window.wafer ? 'electron' : 'web'
