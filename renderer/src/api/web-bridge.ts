import type { ClientMessage, ServerMessage } from '@shared/ipc/bridge-protocol'
import type { BridgeApi } from '@shared/ipc/contract'
import type { Envelope, WireError } from '@shared/ipc/errors'

import { CHANNEL_METHODS, EVENT_NAMES } from './ipc-names'

export interface WebBridgeOptions {
  /** The bridge's WebSocket address; by default the page's own host, /bridge. */
  url?: string
  /**
   * How many events main had broadcast when the page's start-up reads were answered (the HTTP answer's `seq`,
   * start-answers.ts); undefined when they were not. Once it is known, the socket asks for the state events it missed
   * since (electron/web/state-events.ts).
   */
  startSeq?: Promise<number | undefined>
}

/**
 * The web host's side of the contract: the same methods as the preload
 * bridge, carried over one WebSocket, each answering main's envelope (a lost
 * connection is a `network` envelope too). The session cookie set by the host
 * authenticates the socket; the key never travels back this way.
 */
export function createWebBridge(opts: WebBridgeOptions = {}): BridgeApi {
  const url = opts.url ?? defaultBridgeUrl()
  let socket: WebSocket | undefined
  let opening: Promise<WebSocket> | undefined
  let nextId = 1
  /** The number of the last broadcast of each event seen: a repeat is skipped, and a reconnecting socket asks for what came after. */
  const lastSeqOf = new Map<string, number>()
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  /** Asks an open socket for the state events broadcast since what the page has seen: its start-up reads, or the last event. */
  const askWhatWasMissed = async (ws: WebSocket) => {
    const startSeq = await opts.startSeq?.catch(() => undefined)
    const since = Math.max(startSeq ?? -1, ...lastSeqOf.values())
    if (since >= 0 && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ t: 'since', seq: since } satisfies ClientMessage))
  }

  const connect = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket)
    if (opening) return opening
    opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        opening = undefined
        resolve(ws)
        void askWhatWasMissed(ws)
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
          if (typeof msg.seq === 'number') {
            // One the socket already had (sent again with what was missed): its state is the page's already.
            if (msg.seq <= (lastSeqOf.get(msg.event) ?? -1)) return
            lastSeqOf.set(msg.event, msg.seq)
          }
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
        ws.send(JSON.stringify({ t: 'call', id, channel: name, args: args ?? {} } satisfies ClientMessage))
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
