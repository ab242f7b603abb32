import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { EventName, PayloadOf } from '../../shared/ipc/contract'
import type { Dispatch } from '../main/ipc/dispatcher'
import { CSP } from '../main/security/csp'
import { TOKEN_COOKIE, hasValidToken, isLoopbackHost, isOwnOrigin, newToken, queryToken } from './auth'
import { ClientMessage, type ServerMessage } from './bridge-protocol'
import { serveStatic } from './static-files'

export interface WebHostOptions {
  /** The built renderer (out/renderer). */
  staticDir: string
  dispatch: Dispatch
  /** 0 picks a free port. */
  port?: number
  token?: string
  /** Largest WebSocket message accepted from the browser. */
  maxMessageBytes?: number
}

export interface WebHost {
  url: string
  port: number
  token: string
  broadcast<E extends EventName>(event: E, payload: PayloadOf<E>): void
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
}

/**
 * `npm run web`: the renderer served to a browser on loopback, talking to the
 * same main-process services over a WebSocket bridge that follows the IPC
 * contract exactly (same dispatcher, same validation). Every request and
 * socket must carry the run's random token; it binds to 127.0.0.1 only.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken()
  const root = path.resolve(opts.staticDir)
  const sockets = new Set<WebSocket>()
  let port = 0

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end(message + '\n')
  }

  const server = http.createServer((req, res) => {
    if (!isLoopbackHost(req.headers.host, port)) return refuse(res, 403, 'Forbidden host.')
    if (!hasValidToken(req, token)) return refuse(res, 401, 'Unauthorized: open the URL printed by `npm run web`.')
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.')
    if (queryToken(req) !== undefined) {
      // Trade the token in the URL for a same-site cookie, and drop it from the address bar.
      res.writeHead(302, {
        ...SECURITY_HEADERS,
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: '/',
      })
      res.end()
      return
    }
    void serveStatic(root, new URL(req.url ?? '/', 'http://x').pathname, res, SECURITY_HEADERS).catch((err: unknown) => {
      if (!res.headersSent) refuse(res, 500, `Could not serve the file: ${(err as Error).message}`)
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? 8 * 1024 * 1024 })

  server.on('upgrade', (req, socket, head) => {
    const deny = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    const pathname = new URL(req.url ?? '/', 'http://x').pathname
    if (pathname !== '/bridge') return deny(404, 'Not Found')
    if (!isLoopbackHost(req.headers.host, port) || !isOwnOrigin(req.headers.origin, port)) return deny(403, 'Forbidden')
    if (!hasValidToken(req, token)) return deny(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws)
    const send = (m: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
    }
    ws.on('close', () => sockets.delete(ws))
    ws.on('error', () => sockets.delete(ws))
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send({ t: 'protocol-error', message: 'Binary messages are not part of the bridge protocol.' })
      let msg: ClientMessage
      try {
        msg = ClientMessage.parse(JSON.parse(data.toString()))
      } catch {
        return send({ t: 'protocol-error', message: 'Malformed bridge message: expected {t:"call", id, channel, args}.' })
      }
      void opts
        .dispatch(msg.channel, msg.args, {
          via: 'web',
          emit: (event, payload) => send({ t: 'event', event, payload }),
        })
        .then((envelope) => send({ t: 'result', id: msg.id, envelope }))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    broadcast(event, payload) {
      const text = JSON.stringify({ t: 'event', event, payload } satisfies ServerMessage)
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text)
    },
    async close() {
      for (const ws of sockets) ws.terminate()
      wss.close()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}
