import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'wafer_token'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='))
  }
  return undefined
}

export function queryToken(req: IncomingMessage): string | undefined {
  return new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined
}

/** The token may come as the session cookie, or as ?token= (the printed URL, scripts). */
export function hasValidToken(req: IncomingMessage, token: string): boolean {
  const given = cookieToken(req) ?? queryToken(req)
  return given !== undefined && safeEqual(given, token)
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
