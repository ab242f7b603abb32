import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import zlib from 'node:zlib'

/**
 * A `fetch` for API calls made over node:http with keep-alive agents.
 *
 * Why: Node's built-in fetch (undici's fetch layer: Request objects, the
 * fetch controller, signal following) costs about 0.35 ms per call more
 * than node:http on this machine (measured through a minimal proxy:
 * 0.53 ms added vs 0.85–0.93 ms). That is most of what the local gateway
 * adds per request, so its upstream calls use this. The result is a real
 * `Response`, so everything above (the encoding fetch, the SDK, readSse)
 * is unchanged.
 *
 * What it does not do, on purpose:
 * - follow redirects: an API POST has no business being redirected, and
 *   following one would resend the API key to wherever it points. A 3xx
 *   comes back as it is, and callers treat it as a failed call;
 * - ask for compressed answers: streams must not wait for a compressor.
 *   An answer that arrives compressed anyway is decompressed.
 * Inputs it does not handle (a Request object, a streamed request body)
 * go to `fallback`, Node's own fetch.
 */

export interface NodeHttpFetchOptions {
  /** Used for the inputs this fetch does not handle. */
  fallback?: typeof fetch
  /**
   * Idle keep-alive sockets are closed after this long: shorter than common
   * server keep-alive timeouts (5 s for Node servers), so we rarely send on
   * a socket the server is closing.
   */
  idleSocketMs?: number
}

export function createNodeHttpFetch(opts: NodeHttpFetchOptions = {}): typeof fetch {
  const fallback = opts.fallback ?? globalThis.fetch
  const agentOptions = { keepAlive: true, timeout: opts.idleSocketMs ?? 4_000, scheduling: 'lifo' as const }
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) }

  const nodeFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = init?.body
    if (input instanceof Request || !(body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array)) {
      return fallback(input, init)
    }
    const url = input instanceof URL ? input : parsedUrl(input)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fallback(input, init)
    const signal = init?.signal ?? undefined
    if (signal?.aborted) return Promise.reject(abortError(signal))

    const method = (init?.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = {}
    // A Headers (what the encoding fetch passes on) is read as it is, not copied into another first.
    const given = init?.headers
    ;(given instanceof Headers ? given : new Headers(given)).forEach((v, k) => (headers[k] = v))
    if (body !== undefined && body !== null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength)

    const send = (retried: boolean) =>
      new Promise<Response>((resolve, reject) => {
        const lib = url.protocol === 'https:' ? https : http
        const req = lib.request(url, { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] })
        let settled = false
        const onAbort = () => {
          const err = abortError(signal!)
          req.destroy(err instanceof Error ? err : new Error(String(err)))
          if (!settled) {
            settled = true
            reject(err)
          }
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        req.on('error', (err: NodeJS.ErrnoException) => {
          signal?.removeEventListener('abort', onAbort)
          if (settled) return
          settled = true
          // A kept-alive socket the server closed just as we reused it: the
          // request never reached it, so one retry on a fresh socket is safe.
          if (req.reusedSocket && !retried && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) return resolve(send(true))
          reject(new TypeError('fetch failed', { cause: err }))
        })
        req.on('response', (res) => {
          settled = true
          const status = res.statusCode ?? 0
          const out = new Headers()
          for (let i = 0; i < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i], res.rawHeaders[i + 1])
          const noBody = method === 'HEAD' || status === 204 || status === 304
          if (noBody) {
            res.resume()
            signal?.removeEventListener('abort', onAbort)
            return resolve(new Response(null, { status, statusText: res.statusMessage, headers: out }))
          }
          const decoded = decompress(res, res.headers['content-encoding'])
          if (decoded !== res) {
            // The body is no longer what content-encoding/length describe.
            out.delete('content-encoding')
            out.delete('content-length')
          }
          // An abort after the headers ends the body with the abort's reason.
          res.once('close', () => signal?.removeEventListener('abort', onAbort))
          try {
            const web = Readable.toWeb(decoded) as ReadableStream<Uint8Array>
            resolve(new Response(web, { status, statusText: res.statusMessage, headers: out }))
          } catch (err) {
            // e.g. a status outside 200–599, which a Response cannot carry
            res.destroy()
            reject(new TypeError('fetch failed', { cause: err }))
          }
        })
        req.end(body ?? undefined)
      })
    return send(false)
  }
  return nodeFetch as typeof fetch
}

/**
 * The parsed URL of an API address, reused: a gateway calls the same few
 * URLs again and again, and http.request only reads it. Bounded, so odd
 * addresses cannot grow it.
 */
const urls = new Map<string, URL>()
function parsedUrl(input: string): URL {
  let url = urls.get(input)
  if (!url) {
    url = new URL(input)
    if (urls.size >= 64) urls.clear()
    urls.set(input, url)
  }
  return url
}

function decompress(res: http.IncomingMessage, encoding: string | undefined): Readable {
  const e = encoding?.trim().toLowerCase()
  const stream =
    e === 'gzip' || e === 'x-gzip'
      ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : e === 'deflate'
        ? zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : e === 'br'
          ? zlib.createBrotliDecompress()
          : null
  if (!stream) return res
  res.on('error', (err) => stream.destroy(err))
  return res.pipe(stream)
}

/** Like fetch: the signal's reason when it has one, else an AbortError. */
function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}
