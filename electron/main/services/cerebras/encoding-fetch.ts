import type { RequestBodyStats } from '@shared/ipc/domains/chat'

import { type CompressionSettings, encodeJsonBody, JSON_CONTENT_TYPE } from './body-encoding'

/**
 * The `fetch` the openai SDK is given. It re-encodes chat request bodies as
 * MessagePack/gzip, falls back to JSON once when a server refuses the
 * encoded body, and remembers that per base URL.
 */

/** The SDK forwards this header to our fetch; it ties a call to its request context and is not sent. */
export const REQUEST_ID_HEADER = 'x-wafer-request-id'

const ENCODABLE_PATHS = ['/chat/completions', '/completions']

/** What the fetch needs to know about one call, looked up by request id. */
export interface RequestContext {
  /** The request body as an object (what the SDK serialised), so msgpack needs no re-parse. */
  body?: unknown
  /** Overrides the fetch's default compression for this call. */
  compression?: CompressionSettings
  /** Receives the body statistics once the request has been sent. */
  onBodyStats?: (stats: RequestBodyStats) => void
}

/** Base URLs whose server refused encoded bodies; they get JSON from then on. */
export class JsonOnlyMemory {
  private readonly urls = new Map<string, { status: number; at: number }>()
  has(baseUrl: string): boolean {
    return this.urls.has(baseUrl)
  }
  remember(baseUrl: string, status: number, at = Date.now()): void {
    this.urls.set(baseUrl, { status, at })
  }
  forget(baseUrl: string): void {
    this.urls.delete(baseUrl)
  }
  entries(): { baseUrl: string; status: number; at: number }[] {
    return [...this.urls].map(([baseUrl, v]) => ({ baseUrl, ...v }))
  }
}

export interface EncodingFetchOptions {
  fetch: typeof fetch
  baseUrl: string
  getCompression: () => CompressionSettings
  thresholdBytes?: number
  memory: JsonOnlyMemory
  lookup: (requestId: string) => RequestContext | undefined
  now?: () => number
}

/**
 * 400s that are about what the request says, not how it was encoded: resending
 * those as JSON would only repeat the error.
 */
const SEMANTIC_400_CODES = new Set(['context_length_exceeded', 'model_not_found', 'wrong_api_key', 'invalid_api_key', 'unknown_field', 'invalid_value'])

function isEncodingRefusal(status: number, text: string): boolean {
  if (status === 415) return true
  if (status !== 400) return false
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    const err = (parsed.error && typeof parsed.error === 'object' ? parsed.error : parsed) as Record<string, unknown>
    if (typeof err.code === 'string' && SEMANTIC_400_CODES.has(err.code)) return false
    // An error that names a request field understood the body.
    if (typeof err.param === 'string' && err.param !== 'body' && err.param !== 'content-type') return false
  } catch {
    // Not JSON: likely a proxy or server that could not read the body at all.
  }
  return true
}

function isEncodable(url: string, init: RequestInit | undefined): boolean {
  if (!init || (init.method ?? 'GET').toUpperCase() !== 'POST' || typeof init.body !== 'string') return false
  return encodablePath(url)
}

/** Whether a URL's path is one whose body may be encoded; remembered per URL (a client calls the same few), bounded. */
const encodableUrls = new Map<string, boolean>()
function encodablePath(url: string): boolean {
  let yes = encodableUrls.get(url)
  if (yes === undefined) {
    const path = new URL(url).pathname
    yes = ENCODABLE_PATHS.some((p) => path.endsWith(p))
    if (encodableUrls.size >= 64) encodableUrls.clear()
    encodableUrls.set(url, yes)
  }
  return yes
}

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
}

export function createEncodingFetch(opts: EncodingFetchOptions): typeof fetch {
  const now = opts.now ?? (() => performance.now())
  const encodingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = urlOf(input)
    const headers = new Headers(init?.headers)
    const requestId = headers.get(REQUEST_ID_HEADER)
    headers.delete(REQUEST_ID_HEADER)
    const context = requestId ? opts.lookup(requestId) : undefined

    if (!isEncodable(url, init)) return opts.fetch(input, { ...init, headers })

    const json = init!.body as string
    const jsonOnly = opts.memory.has(opts.baseUrl)
    const compression = jsonOnly ? { msgpack: false, gzip: false } : (context?.compression ?? opts.getCompression())
    const encoded = await encodeJsonBody(json, { ...compression, thresholdBytes: opts.thresholdBytes, value: context?.body, now })
    for (const [k, v] of Object.entries(encoded.headers)) headers.set(k, v)
    if (!encoded.headers['content-encoding']) headers.delete('content-encoding')

    const report = (fellBackToJson: boolean, sent = encoded) =>
      context?.onBodyStats?.({
        encoding: sent.encoding,
        jsonBytes: sent.jsonBytes,
        wireBytes: sent.wireBytes,
        encodeMs: encoded.encodeMs,
        bytesSaved: sent.jsonBytes - sent.wireBytes,
        fellBackToJson,
      })

    const response = await opts.fetch(url, { ...init, headers, body: encoded.body as RequestInit['body'] })
    if (encoded.encoding === 'json' || (response.status !== 400 && response.status !== 415)) {
      report(false)
      return response
    }

    const text = await response.text()
    if (!isEncodingRefusal(response.status, text)) {
      report(false)
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers })
    }

    // Resend once as plain JSON; remember only if JSON is then accepted.
    headers.set('content-type', JSON_CONTENT_TYPE)
    headers.delete('content-encoding')
    const retry = await opts.fetch(url, { ...init, headers, body: json })
    if (retry.status !== 400 && retry.status !== 415) opts.memory.remember(opts.baseUrl, response.status)
    const jsonBytes = encoded.jsonBytes
    report(true, { ...encoded, encoding: 'json', wireBytes: jsonBytes })
    return retry
  }
  return encodingFetch as typeof fetch
}
