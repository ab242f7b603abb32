import type { IncomingMessage, ServerResponse } from 'node:http'
import { isIP } from 'node:net'
import os from 'node:os'

import { GatewayHttpError } from './http-errors'

/**
 * What stops a web page the user visits from using the gateway (and the
 * keys behind it): the Host header must name the address the gateway
 * listens on (a page that rebinds its own name to 127.0.0.1 sends its own
 * name: 421), and a request carrying a browser Origin must come from an
 * origin the user allowed (403; CORS preflights answered to match).
 */
export class BrowserGuard {
  private readonly hosts: ReadonlySet<string>
  private readonly origins: ReadonlySet<string>

  /** `listenHost` as configured (e.g. 127.0.0.1, localhost, 0.0.0.0), `port` the one bound. */
  constructor(listenHost: string, port: number, allowOrigins: readonly string[] = []) {
    this.hosts = hostHeadersFor(listenHost, port)
    this.origins = new Set(allowOrigins.map(normalizeOrigin))
  }

  /**
   * Checks Host and Origin, and sets the CORS headers an allowed origin gets.
   * Returns true when the request was a preflight (OPTIONS), answered here.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    const host = (req.headers.host ?? '').trim().toLowerCase()
    if (!this.hosts.has(host)) {
      throw new GatewayHttpError(
        421,
        'invalid_request_error',
        `This gateway does not answer for Host '${host.slice(0, 200)}'; send requests to the address it listens on.`,
        'misdirected_request',
      )
    }
    const origin = req.headers.origin
    if (origin !== undefined) {
      if (!this.origins.has(origin.trim().toLowerCase())) {
        throw new GatewayHttpError(
          403,
          'permission_error',
          `Requests from web pages are refused unless their origin is allowed; ${origin.slice(0, 200)} is not (--allow-origin).`,
          'origin_not_allowed',
        )
      }
      res.setHeader('access-control-allow-origin', origin)
      res.setHeader('vary', 'Origin')
      res.setHeader('access-control-expose-headers', EXPOSED)
    }
    if (req.method !== 'OPTIONS') return false
    if (origin !== undefined && req.headers['access-control-request-method']) {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS')
      // The origin is trusted: whatever headers its client needs (OpenAI SDKs send x-stainless-*).
      const asked = req.headers['access-control-request-headers']
      res.setHeader('access-control-allow-headers', typeof asked === 'string' && asked.length <= 2000 ? asked : 'authorization, content-type, content-encoding')
      res.setHeader('access-control-max-age', '600')
    }
    res.writeHead(204, { allow: 'GET, POST, OPTIONS' })
    res.end()
    return true
  }
}

/** The upstream's rate-limit headers the gateway passes on (upstream-headers.ts), by name: CORS has no prefix match. */
const RATE_LIMIT_HEADERS = ['limit', 'remaining', 'reset'].flatMap((what) =>
  ['requests-day', 'requests-minute', 'tokens-minute', 'tokens-hour', 'tokens-day'].map((per) => `x-ratelimit-${what}-${per}`),
)
const EXPOSED = [
  'x-wafer-request-id',
  'x-wafer-target',
  'x-wafer-policy-verdict',
  'x-wafer-fallback-tried',
  'retry-after',
  'retry-after-ms',
  'inference-id',
  ...RATE_LIMIT_HEADERS,
].join(', ')

/** An allowed origin as browsers send it (scheme://host[:port]); anything else is refused at start. */
export function normalizeOrigin(value: string): string {
  const raw = value.trim()
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    // said below
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new OriginError(`'${raw}' is not an origin; give scheme://host[:port] with nothing after it, e.g. http://localhost:5173.`)
  }
  return url.origin.toLowerCase()
}

export class OriginError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OriginError'
  }
}

const WILDCARD = new Set(['0.0.0.0', '::', ''])

/**
 * The Host values that name the listening address: the loopback names with
 * the port, the configured host, and for a wildcard address the machine's
 * own addresses and name (a rebinding page sends a name of its own).
 */
function hostHeadersFor(listenHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '::1'])
  const configured = listenHost.toLowerCase()
  if (WILDCARD.has(configured)) {
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) names.add(a.address.toLowerCase().replace(/%.*$/, ''))
    names.add(os.hostname().toLowerCase())
  } else names.add(configured)
  const out = new Set<string>()
  for (const n of names) {
    const shown = isIP(n) === 6 ? `[${n}]` : n
    out.add(`${shown}:${port}`)
    if (port === 80) out.add(shown)
  }
  return out
}
