import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

import { sameSecret } from '../main/security/constant-time'

/** The cookie of an older build, named without the port: cleared when a new token is traded in. */
export const LEGACY_TOKEN_COOKIE = 'wafer_token'

/**
 * One cookie name per port. Cookies are shared by every port of a host, so two
 * web hosts on 127.0.0.1 (or one restarted on another port) would otherwise
 * overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `wafer_token_${port}`
}

/** The Set-Cookie headers that trade a URL token for this port's session cookie. */
export function tokenCookieHeaders(port: number, token: string): string[] {
  return [
    `${tokenCookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    `${LEGACY_TOKEN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
  ]
}

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** A cookie header longer than this is not ours to read (Node caps all headers at 16 KiB anyway). */
const MAX_COOKIE_HEADER = 16 * 1024
/** Values looked at per name: enough for the real cookie plus a few planted ones. */
const MAX_VALUES = 16

function decodeCookieValue(raw: string): string | undefined {
  let v = raw.trim()
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1)
  try {
    return decodeURIComponent(v)
  } catch {
    // Bad percent-encoding ("%", "%zz"): not a token, and never a crash.
    return undefined
  }
}

/**
 * Every value the Cookie header(s) give for `name`, in order. Any header shape
 * is accepted: several headers, duplicate names (another page on a loopback
 * port can plant cookies for this host), parts without "=", bad encoding.
 */
export function cookieValues(header: string | string[] | undefined, name: string): string[] {
  if (header === undefined) return []
  const text = Array.isArray(header) ? header.join('; ') : header
  if (typeof text !== 'string' || text.length > MAX_COOKIE_HEADER) return []
  const out: string[] = []
  for (const part of text.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() !== name) continue
    const value = decodeCookieValue(part.slice(eq + 1))
    if (value !== undefined) out.push(value)
    if (out.length >= MAX_VALUES) break
  }
  return out
}

export function queryToken(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined
  } catch {
    return undefined
  }
}

/**
 * How a request proved it holds the token: 'query' (the printed URL, scripts)
 * or 'cookie' (the session), or undefined when it did not. A valid URL token
 * wins over any cookie, so a stale cookie from an earlier run never locks the
 * user out of the URL the new run printed.
 */
export function tokenSource(req: IncomingMessage, token: string, port: number): 'query' | 'cookie' | undefined {
  const q = queryToken(req)
  if (q !== undefined && sameSecret(q, token)) return 'query'
  // Check every candidate (not only the first), so a planted duplicate cannot shadow the real cookie.
  let ok = false
  for (const v of cookieValues(req.headers.cookie, tokenCookieName(port))) ok = sameSecret(v, token) || ok
  return ok ? 'cookie' : undefined
}

export function hasValidToken(req: IncomingMessage, token: string, port: number): boolean {
  return tokenSource(req, token, port) !== undefined
}

/**
 * Guard against DNS rebinding: a page on another site that resolves its
 * name to 127.0.0.1 would send its own Host header.
 */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(hostHeader.toLowerCase())
}

/** Browsers send Origin on WebSocket upgrades; only our own page may connect. */
export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true // non-browser clients (tests, scripts) still need the token
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`].includes(origin.toLowerCase())
}
