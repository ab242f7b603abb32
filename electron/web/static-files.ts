import { createReadStream, promises as fsp } from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

/**
 * Serve a file from the built renderer. Paths are resolved and must stay
 * inside the root; anything not found falls back to index.html (one-page app).
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  let rel: string
  try {
    rel = decodeURIComponent(urlPath.split('?')[0])
  } catch {
    res.writeHead(400).end('Bad path')
    return
  }
  const full = path.resolve(root, '.' + path.posix.normalize('/' + rel))
  const inside = full === root || full.startsWith(root + path.sep)
  let file = inside ? full : path.join(root, 'index.html')
  let stat = await fsp.stat(file).catch(() => undefined)
  if (!stat || stat.isDirectory()) {
    file = path.join(root, 'index.html')
    stat = await fsp.stat(file).catch(() => undefined)
  }
  if (!stat) {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build:renderer`.')
    return
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream'
  const cache = file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-store'
  res.writeHead(200, { ...headers, 'content-type': type, 'content-length': stat.size, 'cache-control': cache })
  createReadStream(file).pipe(res)
}
