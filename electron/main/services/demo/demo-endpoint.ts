import { randomBytes } from 'node:crypto'

import type { DemoStatus } from '@shared/ipc/domains/demo'
import { WaferError } from '@shared/ipc/errors'

import { FakeCerebras } from './fake-cerebras/server'

/**
 * The built-in demo endpoint: the fake Cerebras server, started in this
 * process on a random loopback port, so a newcomer can try the app without
 * a key. While it is on, chat and model calls go there with a key made for
 * this run only (the user's key is never sent to it); switching it off
 * stops the server. Nothing in the settings is changed, so the configured
 * endpoint is in force again the moment the demo stops.
 *
 * It also remembers which requests it served, so the runs they became can
 * be saved as demo runs and never pass for measurements of Cerebras.
 */

/** What the endpoint needs of a server (the fake Cerebras server; tests may pass another). */
export interface DemoServer {
  /** Resolves with the base URL (`http://127.0.0.1:PORT/v1`). */
  start(): Promise<string>
  stop(): Promise<void>
}

export interface DemoEndpointDeps {
  /** Make a server that accepts only `apiKey` (default: the fake Cerebras server on 127.0.0.1, port 0). */
  createServer?: (apiKey: string) => DemoServer
  onChange?: (status: DemoStatus) => void
  now?: () => number
}

/** Request ids remembered as demo requests, newest kept. */
const MAX_REMEMBERED = 10_000

export function createDemoServer(apiKey: string): DemoServer {
  return new FakeCerebras({
    host: '127.0.0.1',
    port: 0,
    apiKeys: [apiKey],
    // Catalog models at their published speeds, a quick first token.
    ttftMs: 150,
    replyTokens: 160,
    loopbackOnly: true,
    // A long demo session must not keep every request body in memory.
    recordRequests: false,
  })
}

export class DemoEndpoint {
  private server: DemoServer | null = null
  private baseUrl: string | null = null
  private apiKey: string | null = null
  private since: number | null = null
  /** Start and stop run one at a time, in the order asked. */
  private queue: Promise<unknown> = Promise.resolve()
  private readonly served = new Set<string>()
  /** Every key this endpoint has made, so none is ever sent elsewhere. */
  private readonly issued = new Set<string>()

  constructor(private readonly deps: DemoEndpointDeps = {}) {}

  get active(): boolean {
    return this.baseUrl !== null
  }

  status(): DemoStatus {
    return { active: this.active, baseUrl: this.baseUrl, since: this.since }
  }

  /** Where requests go while the demo is on, with the key made for it; null when it is off. */
  connection(): { baseUrl: string; apiKey: string } | null {
    return this.baseUrl && this.apiKey ? { baseUrl: this.baseUrl, apiKey: this.apiKey } : null
  }

  /** True for a request to the demo's own origin (any path). */
  isDemoUrl(url: string): boolean {
    if (!this.baseUrl) return false
    try {
      return new URL(url).origin === new URL(this.baseUrl).origin
    } catch {
      return false
    }
  }

  start(): Promise<DemoStatus> {
    return this.serially(async () => {
      if (this.server) return this.status()
      const apiKey = `demo-${randomBytes(24).toString('base64url')}`
      this.issued.add(apiKey)
      const server = (this.deps.createServer ?? createDemoServer)(apiKey)
      let baseUrl: string
      try {
        baseUrl = await server.start()
      } catch (err) {
        await server.stop().catch(() => undefined)
        throw new WaferError('internal', `The demo endpoint could not start: ${err instanceof Error ? err.message : String(err)}`)
      }
      this.server = server
      this.apiKey = apiKey
      this.baseUrl = baseUrl
      this.since = (this.deps.now ?? Date.now)()
      return this.changed()
    })
  }

  stop(): Promise<DemoStatus> {
    return this.serially(async () => {
      const server = this.server
      if (!server) return this.status()
      // Requests go back to the configured endpoint before the server closes.
      this.server = null
      this.apiKey = null
      this.baseUrl = null
      this.since = null
      try {
        await server.stop()
      } finally {
        this.changed()
      }
      return this.status()
    })
  }

  /** Whether `key` is one this endpoint made (current or past). */
  isDemoKey(key: string): boolean {
    return this.issued.has(key)
  }

  /** Remember that `requestId` went to the demo endpoint. */
  noteRequest(requestId: string): void {
    this.served.delete(requestId)
    this.served.add(requestId)
    if (this.served.size > MAX_REMEMBERED) this.served.delete(this.served.values().next().value!)
  }

  /** Whether `requestId` was sent while the demo was on. */
  wasDemoRequest(requestId: string): boolean {
    return this.served.has(requestId)
  }

  private changed(): DemoStatus {
    const status = this.status()
    try {
      this.deps.onChange?.(status)
    } catch {
      // A failing listener must not undo the switch.
    }
    return status
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }
}
