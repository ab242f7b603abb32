import { channelNames, eventNames, methodName, type Api } from '../../../shared/ipc/contract'
import { WaferError, type Envelope } from '../../../shared/ipc/errors'

type ServerMessage =
  | { t: 'result'; id: number; envelope: Envelope<unknown> }
  | { t: 'event'; event: string; payload: unknown }
  | { t: 'protocol-error'; message: string }

/**
 * The web host's side of the contract: the same methods as the preload
 * bridge, carried over one WebSocket. The session cookie set by the host
 * authenticates the socket; the key never travels back this way.
 */
export function createWebBridge(url = defaultBridgeUrl()): Api {
  let socket: WebSocket | undefined
  let opening: Promise<WebSocket> | undefined
  let nextId = 1
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  const connect = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket)
    if (opening) return opening
    opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        opening = undefined
        resolve(ws)
      }
      ws.onerror = () => {
        opening = undefined
        reject(new WaferError('network', 'Cannot reach the Wafer web host. Is `npm run web` still running?'))
      }
      ws.onclose = () => {
        socket = undefined
        for (const [, p] of pending) p.reject(new WaferError('network', 'The connection to the Wafer web host closed.'))
        pending.clear()
      }
      ws.onmessage = (ev) => {
        let msg: ServerMessage
        try {
          msg = JSON.parse(String(ev.data)) as ServerMessage
        } catch {
          return
        }
        if (msg.t === 'result') {
          const p = pending.get(msg.id)
          if (!p) return
          pending.delete(msg.id)
          if (msg.envelope.ok) p.resolve(msg.envelope.value)
          else p.reject(WaferError.fromWire(msg.envelope.error))
        } else if (msg.t === 'event') {
          listeners.get(msg.event)?.forEach((l) => l(msg.payload))
        } else {
          console.error('Bridge protocol error:', msg.message)
        }
      }
    })
    return opening
  }

  const api: Record<string, unknown> = {}
  for (const name of channelNames) {
    api[methodName(name)] = async (args: unknown) => {
      const ws = await connect()
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        ws.send(JSON.stringify({ t: 'call', id, channel: name, args: args ?? {} }))
      })
    }
  }
  const known = new Set<string>(eventNames)
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!known.has(event)) throw new Error(`Unknown event: ${event}`)
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener)
    void connect().catch(() => {})
    return () => {
      set.delete(listener)
    }
  }
  return api as Api
}

function defaultBridgeUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/bridge`
}
