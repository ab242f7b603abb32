import { promises as fsp } from 'node:fs'
import path from 'node:path'

import { CSP } from './csp'

/*
 * The app is served from its own privileged scheme, app://wafer/, instead of
 * file://: a page on file:// may read other local files, and with the
 * GrantFileProtocolExtraPrivileges fuse off it no longer can. This module is
 * the handler's whole logic, free of Electron so it runs under Node tests:
 * only files under the built renderer, with their MIME type, 404 otherwise.
 */

export const APP_SCHEME = 'app'
export const APP_HOST = 'wafer'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/** What protocol.registerSchemesAsPrivileged is given, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: a real origin (app://wafer) so 'self' in the CSP and relative URLs work; secure: treated like https.
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

export function mimeTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

const HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...HEADERS } })
}

/** Is `app://wafer/…` (and nothing else, not even app://other/). */
export function isAppOrigin(raw: string): boolean {
  try {
    const u = new URL(raw)
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password
  } catch {
    return false
  }
}

/**
 * Answer one app:// request from the files under `root` (out/renderer).
 * The path is percent-decoded once, must not hold NUL or backslashes, and
 * must resolve — symlinks followed — to a file inside root; `/` is index.html.
 */
export async function serveAppFile(
  root: string,
  requestUrl: string,
  method = 'GET',
  /** HTML files (index.html) as sent, from their text on disk (electron/main/page-theme.ts). */
  htmlBody?: (html: string) => string,
): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return new Response('Method not allowed', { status: 405, headers: HEADERS })
  if (!isAppOrigin(requestUrl)) return notFound()
  let rel: string
  try {
    rel = decodeURIComponent(new URL(requestUrl).pathname)
  } catch {
    return notFound()
  }
  if (rel.includes('\0') || rel.includes('\\')) return notFound()
  if (rel === '/' || rel === '') rel = '/index.html'
  const realRoot = await fsp.realpath(root).catch(() => undefined)
  if (!realRoot) return notFound()
  const candidate = path.resolve(realRoot, '.' + path.posix.normalize(rel))
  const inside = (p: string) => p.startsWith(realRoot + path.sep)
  if (!inside(candidate)) return notFound()
  let real: string
  try {
    real = await fsp.realpath(candidate)
    if (!inside(real) || !(await fsp.stat(real)).isFile()) return notFound()
  } catch {
    return notFound()
  }
  const type = mimeTypeOf(real)
  const bytes = method === 'HEAD' ? null : await fsp.readFile(real)
  const body = bytes && htmlBody && type.startsWith('text/html') ? htmlBody(bytes.toString('utf8')) : bytes
  return new Response(body, { status: 200, headers: { 'content-type': type, ...HEADERS } })
}
