import type { BridgeApi } from '@shared/ipc/contract'
import type { Envelope, WireError } from '@shared/ipc/errors'

import { CHANNEL_METHODS, EVENT_NAMES } from './ipc-names'

type ServerMessage =
  { t: 'result'; id: number; envelope: Envelope<unknown> } | { t: 'event'; event: string; payload: unknown } | { t: 'protocol-error'; message: string }

/**
 * The web host's side of the contract: the same methods as the preload
 * bridge, carried over one WebSocket, each answering main's envelope (a lost
 * connection is a `network` envelope too). The session cookie set by the host
 * authenticates the socket; the key never travels back this way.
 */
export function createWebBridge(url = defaultBridgeUrl()): BridgeApi {
  let socket: WebSocket | undefined
  let opening: Promise<WebSocket> | undefined
  let nextId = 1
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
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
        reject(networkError('Cannot reach the Wafer web host. Is `npm run web` still running?'))
      }
      ws.onclose = () => {
        socket = undefined
        const closed = networkError('The connection to the Wafer web host closed.')
        for (const [, settle] of pending) settle({ ok: false, error: closed })
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
          const settle = pending.get(msg.id)
          if (!settle) return
          pending.delete(msg.id)
          settle(msg.envelope)
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
  for (const [name, method] of CHANNEL_METHODS) {
    api[method] = async (args: unknown): Promise<Envelope<unknown>> => {
      let ws: WebSocket
      try {
        ws = await connect()
      } catch (error) {
        return { ok: false, error: error as WireError }
      }
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(JSON.stringify({ t: 'call', id, channel: name, args: args ?? {} }))
      })
    }
  }
  const known = new Set<string>(EVENT_NAMES)
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
  return api as BridgeApi
}

function networkError(message: string): WireError {
  return { code: 'network', message }
}

function defaultBridgeUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/bridge`
}
