import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

import { type WebSocket, WebSocketServer } from 'ws'
import type { z } from 'zod'

import { ClientMessage, type ServerMessage } from '../../shared/ipc/bridge-protocol'
import type { EventName, PayloadOf } from '../../shared/ipc/contract'
import type { Theme } from '../../shared/ipc/domains/settings'
import { START_READS_PATH } from '../../shared/ipc/start-reads'
import type { Dispatch } from '../main/ipc/dispatcher'
import { htmlWithTheme } from '../main/page-theme'
import { CSP } from '../main/security/csp'
import { hasValidToken, isLoopbackHost, isOwnOrigin, newToken, tokenCookieHeaders, tokenSource } from './auth'
import { answerStartReads, isOwnPageFetch, START_READS_LINK } from './start-reads'
import { StateEvents } from './state-events'
import { createStaticFiles } from './static-files'

export interface WebHostOptions {
  /** The built renderer (out/renderer). */
  staticDir: string
  dispatch: Dispatch
  /** 0 picks a free port. */
  port?: number
  token?: string
  /** Largest WebSocket message accepted from the browser. */
  maxMessageBytes?: number
  /** How long a request may take to send its headers (default 10 s); a slower one gets 408 and is closed. */
  headersTimeoutMs?: number
  /** The theme the user chose, put into index.html as it is served (electron/main/page-theme.ts). */
  pageTheme?: () => z.infer<typeof Theme>
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
  // The page's HTML names the start-up reads for the browser to fetch ahead (start-reads.ts).
  const pageTheme = opts.pageTheme
  const serveStatic = createStaticFiles(root, {
    htmlHeaders: { link: START_READS_LINK },
    htmlBody: pageTheme && ((html) => Buffer.from(htmlWithTheme(html.toString('utf8'), pageTheme()))),
  })
  const sockets = new Set<WebSocket>()
  // Broadcasts numbered, so that a page's socket gets what it missed since its start-up reads (state-events.ts).
  const stateEvents = new StateEvents()
  let port = 0

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end(message + '\n')
  }

  /** The request's path, or undefined when its target is not a URL at all. */
  const pathnameOf = (req: http.IncomingMessage): string | undefined => {
    try {
      return new URL(req.url ?? '/', 'http://x').pathname
    } catch {
      return undefined
    }
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!isLoopbackHost(req.headers.host, port)) return refuse(res, 403, 'Forbidden host.')
    const source = tokenSource(req, token, port)
    if (!source) return refuse(res, 401, 'Unauthorized: open the URL printed by `npm run web`.')
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.')
    // Nothing here reads a request body: one that comes with one is not ours (and is not read).
    if (hasBody(req)) return refuse(res, 415, 'This host takes no request bodies.')
    if (source === 'query') {
      // Trade the token in the URL for this port's same-site cookie (replacing
      // any stale one), and drop it from the address bar.
      res.writeHead(302, { ...SECURITY_HEADERS, 'set-cookie': tokenCookieHeaders(port, token), location: '/' })
      res.end()
      return
    }
    const pathname = pathnameOf(req)
    if (pathname === undefined) return refuse(res, 400, 'Bad request target.')
    if (pathname === START_READS_PATH) return startReads(req, res)
    void serveStatic(pathname, res, SECURITY_HEADERS).catch((err: unknown) => {
      if (!res.headersSent) refuse(res, 500, `Could not serve the file: ${(err as Error).message}`)
      else res.destroy()
    })
  }

  const startReads = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'GET') return refuse(res, 405, 'Method not allowed.')
    if (!isOwnPageFetch(req.headers, (origin) => isOwnOrigin(origin, port))) return refuse(res, 403, 'Forbidden: not this page.')
    void answerStartReads(opts.dispatch, stateEvents.current).then(
      (body) => {
        if (res.destroyed) return
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        res.end(JSON.stringify(body))
      },
      (err: unknown) => {
        if (!res.headersSent) refuse(res, 500, `Could not read: ${(err as Error).message}`)
      },
    )
  }

  const headersTimeout = opts.headersTimeoutMs ?? 10_000
  const server = http.createServer(
    // A request that never finishes its headers (or, carrying a body, its body) is answered 408 and closed, checked
    // often enough to hold to the bound; Node's defaults (60 s, checked every 30 s) let one sit for a minute and more.
    { headersTimeout, requestTimeout: headersTimeout, connectionsCheckingInterval: Math.max(10, Math.min(1000, headersTimeout / 4)) },
    (req, res) => {
      // Whatever a request carries, it gets an answer; the host never goes down with it.
      try {
        handle(req, res)
      } catch (err) {
        if (!res.headersSent) refuse(res, 400, `Bad request: ${(err as Error).message}`)
        else res.destroy()
      }
    },
  )

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? 8 * 1024 * 1024 })

  server.on('upgrade', (req, socket, head) => {
    const deny = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    // Node drops its own error listener from upgraded sockets: a reset must not take the host down.
    socket.on('error', () => socket.destroy())
    try {
      if (pathnameOf(req) !== '/bridge') return deny(404, 'Not Found')
      if (!isLoopbackHost(req.headers.host, port) || !isOwnOrigin(req.headers.origin, port)) return deny(403, 'Forbidden')
      if (!hasValidToken(req, token, port)) return deny(401, 'Unauthorized')
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    } catch {
      deny(400, 'Bad Request')
    }
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
        return send({ t: 'protocol-error', message: 'Malformed bridge message: expected {t:"call", id, channel, args} or {t:"since", seq}.' })
      }
      // What the page missed since its start-up reads (or, reconnecting, since the last event it saw).
      if (msg.t === 'since') {
        for (const message of stateEvents.missedSince(msg.seq)) if (ws.readyState === ws.OPEN) ws.send(message)
        return
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
      const text = stateEvents.record(event, (seq) => JSON.stringify({ t: 'event', event, payload, seq } satisfies ServerMessage))
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

/** Whether a request says it carries a body (a length over zero, or a chunked one). */
function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}
