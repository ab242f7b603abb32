// The preload bridge: one method per contract channel and a typed event
// subscription, exposed as `window.wafer`. ipcRenderer itself never leaves
// this file. Bundled whole (sandboxed preloads cannot require modules).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { channelNames, eventNames, methodName, type Api } from '../../shared/ipc/contract'
import type { Envelope } from '../../shared/ipc/errors'
import { encodeWireError } from '../../shared/ipc/wire-error'

export function buildPreloadApi(invoke: (channel: string, args: unknown) => Promise<unknown>, ipc: Pick<typeof ipcRenderer, 'on' | 'removeListener'>): Api {
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
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload)
    ipc.on(`event:${event}`, wrapped)
    return () => {
      ipc.removeListener(`event:${event}`, wrapped)
    }
  }
  return api as Api
}

if (process.contextIsolated) {
  contextBridge.exposeInMainWorld('wafer', buildPreloadApi((c, a) => ipcRenderer.invoke(c, a), ipcRenderer))
}
