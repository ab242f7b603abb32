import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { ENDPOINT_HEADER } from '@shared/endpoint'

import { fromLoopbackClient, readBody } from './admission'
import { type ChatRouteDeps, serveChat } from './chat-route'
import { chooseFault, FAULT_HEADER, FaultCounter } from './faults'
import { accessibleModels, publicModel, publicModels } from './models-routes'
import { type FakeCerebrasOptions, type ResolvedOptions, resolveOptions } from './options'
import { FakePromptCache } from './prompt-cache'
import { FakeRateLimits } from './rate-limit-headers'
import { newRecord, type ReceivedRequest, watchResponse } from './recording'
import { sendJson } from './responses'

export type { FakeCerebrasOptions } from './options'
export type { ReceivedRequest, SentText } from './recording'

/**
 * A local stand-in for the Cerebras Inference API, faithful to what
 * docs/cerebras-api.md describes: JSON/msgpack/gzip bodies, unknown fields
 * rejected, SSE at a set speed with Cerebras's chunk shapes (usage and
 * time_info in the final chunk, no [DONE]), rate-limit headers on every
 * response, the two model lists, and scripted faults per request.
 * It records every request it received, for tests to inspect.
 *
 * This file is the server's lifecycle and routing; each route and concern
 * lives beside it (admission, chat-route, models-routes, recording…).
 */
export class FakeCerebras {
  readonly received: ReceivedRequest[] = []
  /** Faults applied to the next requests, in order, before header or model faults. */
  readonly queuedFaults: string[] = []
  private server: Server | null = null
  private readonly counter = new FaultCounter()
  private readonly limits = new FakeRateLimits()
  private readonly promptCache = new FakePromptCache()
  private readonly opts: ResolvedOptions
  private readonly chat: ChatRouteDeps
  private idCounter = 0
  private readonly openResponses = new Set<ServerResponse>()

  constructor(options: FakeCerebrasOptions = {}) {
    this.opts = resolveOptions(options)
    this.chat = {
      opts: this.opts,
      limits: this.limits,
      pickFault: (req, body) => chooseFault(this.queuedFaults, req.headers[FAULT_HEADER], body, this.counter),
      nextId: () => `chatcmpl-${(++this.idCounter).toString(36)}${Date.now().toString(36)}`,
      promptCache: this.promptCache,
    }
  }

  /** Start listening; resolves with the base URL to give a client (`http://127.0.0.1:PORT/v1`). */
  async start(): Promise<string> {
    if (this.server) return this.baseUrl
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        this.opts.log?.(`fake-cerebras: handler failed: ${err instanceof Error ? err.stack : String(err)}`)
        if (!res.headersSent) sendJson(res, 500, { message: 'fake server error', type: 'server_error' })
        else res.destroy()
      })
    })
    server.keepAliveTimeout = 5000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.opts.port, this.opts.host, () => resolve())
    })
    this.server = server
    return this.baseUrl
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0
  }

  get origin(): string {
    return `http://${this.opts.host}:${this.port}`
  }

  get baseUrl(): string {
    return `${this.origin}/v1`
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    for (const res of this.openResponses) res.destroy()
    server.closeAllConnections?.()
    await new Promise<void>((r) => server.close(() => r()))
  }

  /** Forget recorded requests, fault counters, rate-limit usage and cached prompts. */
  reset(): void {
    this.received.length = 0
    this.queuedFaults.length = 0
    this.counter.reset()
    this.limits.reset()
    this.promptCache.clear()
  }

  /** Requests to /v1/chat/completions only. */
  get chatRequests(): ReceivedRequest[] {
    return this.received.filter((r) => r.path === '/v1/chat/completions')
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.opts.loopbackOnly && !fromLoopbackClient(req, this.port)) {
      return sendJson(res, 403, { message: 'This local demo server only answers the app itself.', type: 'forbidden' })
    }
    // Says it is not Cerebras, so runs it answers are never taken for measurements of Cerebras.
    if (this.opts.announceAs) res.setHeader(ENDPOINT_HEADER, this.opts.announceAs)
    const url = new URL(req.url ?? '/', this.origin)
    const raw = await readBody(req)
    const record = newRecord(req, url, raw)
    if (this.opts.recordRequests) this.received.push(record)
    // Open responses are cut when the server stops (streams, stalls).
    this.openResponses.add(res)
    res.on('close', () => this.openResponses.delete(res))
    watchResponse(res, record)

    const path = url.pathname.replace(/\/+$/, '')
    if (path === '/v1/chat/completions' && req.method === 'POST') return serveChat(this.chat, req, res, raw, record)
    if (path === '/v1/models' && req.method === 'GET') return accessibleModels(req, res, this.opts.apiKeys)
    if (path === '/public/v1/models' && req.method === 'GET') return publicModels(res)
    if (path.startsWith('/public/v1/models/') && req.method === 'GET') {
      return publicModel(res, decodeURIComponent(path.slice('/public/v1/models/'.length)))
    }
    if (path === '/v1/tcp_warming') return sendJson(res, 200, {})
    return sendJson(res, 404, { detail: 'Not Found' })
  }
}
