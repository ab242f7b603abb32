import type { RequestBodyStats } from '@shared/ipc/domains/chat'
import type OpenAI from 'openai'

import { type ApiErrorBody, parseErrorBody } from './api-errors'
import type { CompressionSettings } from './body-encoding'
import { createEncodingFetch, JsonOnlyMemory, REQUEST_ID_HEADER, type RequestContext } from './encoding-fetch'

/**
 * The openai SDK pointed at Cerebras, with our encoding fetch. It makes one
 * HTTP attempt per call (retries are ours, so the user can see them) and
 * hands back the raw streaming Response so the body is parsed exactly once.
 */

export interface ConnectionConfig {
  baseUrl: string
  apiKey: string
  compression: CompressionSettings
}

/** Why an attempt failed, in terms the retry logic and error messages need. */
export type TransportFailure =
  { kind: 'http'; status: number; body: ApiErrorBody | undefined; headers: Headers } | { kind: 'network'; cause: unknown } | { kind: 'aborted' }

export class TransportError extends Error {
  constructor(readonly failure: TransportFailure) {
    super(failure.kind === 'http' ? `HTTP ${failure.status}` : failure.kind)
    this.name = 'TransportError'
  }
}

export interface CallOptions {
  requestId: string
  signal: AbortSignal
  /** How the body went over the wire; called once it is sent, whether or not the call then fails. */
  onBodyStats?: (stats: RequestBodyStats) => void
}

export interface CompletionResult {
  data: Record<string, unknown>
  headers: Headers
}

export interface CerebrasClientOptions {
  fetch: typeof fetch
  /** Bodies below this many bytes go as JSON. */
  thresholdBytes?: number
  memory?: JsonOnlyMemory
  now?: () => number
}

/** Old clients are dropped beyond this many (base URL, key) pairs. */
const MAX_CLIENTS = 4

/**
 * The SDK is imported on first use: the gateway's path (rawChat) never
 * needs it, and `wafer gateway run` starts sooner and smaller without it.
 */
let sdkModule: typeof import('openai') | undefined
async function loadSdk(): Promise<typeof import('openai')> {
  return (sdkModule ??= await import('openai'))
}

export class CerebrasClient {
  readonly memory: JsonOnlyMemory
  private readonly contexts = new Map<string, RequestContext>()
  private readonly clients = new Map<string, OpenAI>()

  constructor(private readonly opts: CerebrasClientOptions) {
    this.memory = opts.memory ?? new JsonOnlyMemory()
  }

  private async sdk(config: ConnectionConfig): Promise<OpenAI> {
    const { default: OpenAI } = await loadSdk()
    const baseUrl = config.baseUrl.replace(/\/+$/, '')
    const key = `${baseUrl}\n${config.apiKey}`
    const existing = this.clients.get(key)
    if (existing) {
      // Refresh its place so the least recently used one is dropped first.
      this.clients.delete(key)
      this.clients.set(key, existing)
      return existing
    }
    const client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: baseUrl,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: 10 * 60 * 1000,
      // Never log requests (they carry the key), whatever OPENAI_LOG says.
      logLevel: 'off',
      // The same encoding fetch rawChat uses, so both share the JSON-only memory and contexts.
      fetch: this.encodingFetchFor(baseUrl),
    })
    this.clients.set(key, client)
    if (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!)
    return client
  }

  private contextFor(id: string): RequestContext | undefined {
    return this.contexts.get(id)
  }

  /** Start a streamed completion; resolves once the response headers are in. */
  async openStream(config: ConnectionConfig, params: Record<string, unknown>, call: CallOptions): Promise<Response> {
    const body = { ...params, stream: true, stream_options: { include_usage: true } }
    return this.withContext(config, call, body, (client) =>
      client.chat.completions
        .create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, {
          signal: call.signal,
          headers: { [REQUEST_ID_HEADER]: call.requestId },
        })
        .asResponse(),
    )
  }

  /** A non-streamed completion: the whole answer as the server sent it. */
  async complete(config: ConnectionConfig, params: Record<string, unknown>, call: CallOptions): Promise<CompletionResult> {
    const body = { ...params, stream: false }
    return this.withContext(config, call, body, async (client) => {
      const { data, response } = await client.chat.completions
        .create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, {
          signal: call.signal,
          headers: { [REQUEST_ID_HEADER]: call.requestId },
        })
        .withResponse()
      return { data: data as unknown as Record<string, unknown>, headers: response.headers }
    })
  }

  /**
   * The same chat call through the same encoding fetch (compression, JSON
   * fallback, body statistics), without the SDK's request machinery: the
   * local gateway uses this, where the SDK's per-request cost (~0.4 ms) would
   * be most of what the gateway adds. Resolves with the raw response once
   * its headers are in; non-2xx answers become TransportErrors as above.
   */
  async rawChat(config: ConnectionConfig, params: Record<string, unknown>, call: CallOptions & { stream: boolean }): Promise<Response> {
    const baseUrl = config.baseUrl.replace(/\/+$/, '')
    const body = call.stream ? { ...params, stream: true, stream_options: { include_usage: true } } : { ...params, stream: false }
    this.contexts.set(call.requestId, { body, onBodyStats: call.onBodyStats, compression: config.compression })
    try {
      const response = await this.encodingFetchFor(baseUrl)(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          'content-type': 'application/json',
          accept: call.stream ? 'text/event-stream' : 'application/json',
          [REQUEST_ID_HEADER]: call.requestId,
        },
        body: JSON.stringify(body),
        signal: call.signal,
      })
      if (!response.ok) {
        const text = await response.text().catch(() => '')
        throw new TransportError({ kind: 'http', status: response.status, body: parseErrorBody(text), headers: response.headers })
      }
      return response
    } catch (err) {
      if (err instanceof TransportError) throw err
      if (call.signal.aborted || (err instanceof Error && err.name === 'AbortError')) throw new TransportError({ kind: 'aborted' })
      throw new TransportError({ kind: 'network', cause: err })
    } finally {
      this.contexts.delete(call.requestId)
    }
  }

  private readonly encodingFetches = new Map<string, typeof fetch>()

  private encodingFetchFor(baseUrl: string): typeof fetch {
    let f = this.encodingFetches.get(baseUrl)
    if (!f) {
      f = createEncodingFetch({
        fetch: this.opts.fetch,
        baseUrl,
        getCompression: () => ({ msgpack: true, gzip: true }),
        thresholdBytes: this.opts.thresholdBytes,
        memory: this.memory,
        lookup: (id) => this.contextFor(id),
        now: this.opts.now,
      })
      this.encodingFetches.set(baseUrl, f)
    }
    return f
  }

  /** GET /v1/models: what this key can call. */
  async listModels(config: ConnectionConfig, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    try {
      const page = await (await this.sdk(config)).models.list({ signal })
      return page.data as unknown as Record<string, unknown>[]
    } catch (err) {
      throw toTransportError(err, signal)
    }
  }

  private async withContext<T>(config: ConnectionConfig, call: CallOptions, body: unknown, run: (client: OpenAI) => Promise<T>): Promise<T> {
    const client = await this.sdk(config)
    this.contexts.set(call.requestId, { body, onBodyStats: call.onBodyStats, compression: config.compression })
    try {
      return await run(client)
    } catch (err) {
      throw toTransportError(err, call.signal)
    } finally {
      this.contexts.delete(call.requestId)
    }
  }
}

function toTransportError(err: unknown, signal?: AbortSignal): TransportError {
  if (err instanceof TransportError) return err
  // Without the SDK loaded, no error can be one of its classes.
  const { APIConnectionError, APIError, APIUserAbortError } = sdkModule ?? {}
  if ((APIUserAbortError && err instanceof APIUserAbortError) || signal?.aborted || (err instanceof Error && err.name === 'AbortError')) {
    return new TransportError({ kind: 'aborted' })
  }
  if (APIConnectionError && err instanceof APIConnectionError) return new TransportError({ kind: 'network', cause: err.cause ?? err })
  if (APIError && err instanceof APIError && typeof err.status === 'number') {
    // The SDK nests flat bodies under `error`; a non-JSON body only survives in the message.
    const raw = err.error ?? err.message.replace(/^\d{3}\s*/, '')
    return new TransportError({ kind: 'http', status: err.status, body: parseErrorBody(raw), headers: err.headers ?? new Headers() })
  }
  return new TransportError({ kind: 'network', cause: err })
}
