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

export interface StaticFilesOptions {
  /** Files up to this size are kept in memory once read (default 2 MiB); larger ones stream from disk every time. */
  maxCachedFileBytes?: number
  /** All files kept in memory together, at most (default 64 MiB). */
  maxCacheBytes?: number
  /** Headers for HTML files only (index.html), on top of those each call passes. */
  htmlHeaders?: Record<string, string>
  /** HTML files (index.html) as sent, from their bytes on disk: asked on every request. */
  htmlBody?: (html: Buffer) => Buffer
}

interface CachedFile {
  body: Buffer
  mtimeMs: number
}

export type ServeStatic = (urlPath: string, res: ServerResponse, headers: Record<string, string>) => Promise<void>

/**
 * Serves the built renderer. Paths are resolved and must stay inside the
 * root; anything not found falls back to index.html (one-page app).
 *
 * Files are served from memory once read: a page load asks for a dozen
 * scripts and stylesheets at once, and reading each from disk (stat, open,
 * reads, close, each a trip through libuv's thread pool) delayed their first
 * bytes by tens of milliseconds, on the start-up path. The hashed assets
 * never change under their names (they are sent immutable), so they are not
 * even looked at again; anything else (index.html) is checked against the
 * disk on every request (size and modification time), so a rebuilt renderer
 * is served as soon as it is written. The tokenizers' multi-MB vocabularies,
 * loaded later by the token worker, are over the size limit and stream from
 * disk as before.
 */
export function createStaticFiles(root: string, opts: StaticFilesOptions = {}): ServeStatic {
  const maxFile = opts.maxCachedFileBytes ?? 2 * 1024 * 1024
  const maxTotal = opts.maxCacheBytes ?? 64 * 1024 * 1024
  const cache = new Map<string, CachedFile>()
  let cachedBytes = 0
  const assetsDir = path.join(root, 'assets') + path.sep

  const remember = (file: string, entry: CachedFile) => {
    const old = cache.get(file)
    if (old) cachedBytes -= old.body.length
    if (cachedBytes + entry.body.length > maxTotal) {
      cache.delete(file)
      return
    }
    cache.set(file, entry)
    cachedBytes += entry.body.length
  }

  /** Answers with `content`: the bytes, or the size of a file streamed from disk. */
  const send = (res: ServerResponse, file: string, headers: Record<string, string>, content: Buffer | { size: number }) => {
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream'
    if (type.startsWith('text/html') && opts.htmlBody && Buffer.isBuffer(content)) content = opts.htmlBody(content)
    const cacheControl = file.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-store'
    const length = Buffer.isBuffer(content) ? content.length : content.size
    const extra = type.startsWith('text/html') ? opts.htmlHeaders : undefined
    res.writeHead(200, { ...headers, ...extra, 'content-type': type, 'content-length': length, 'cache-control': cacheControl })
    if (Buffer.isBuffer(content)) res.end(content)
    else createReadStream(file).pipe(res)
  }

  return async (urlPath, res, headers) => {
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
    // An immutable asset already read: no need to ask the disk.
    const known = file.startsWith(assetsDir) ? cache.get(file) : undefined
    if (known) return send(res, file, headers, known.body)

    let stat = await fsp.stat(file).catch(() => undefined)
    if (!stat || stat.isDirectory()) {
      file = path.join(root, 'index.html')
      stat = await fsp.stat(file).catch(() => undefined)
    }
    if (!stat) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build:renderer`.')
      return
    }
    if (stat.size > maxFile) return send(res, file, headers, { size: stat.size })
    const entry = cache.get(file)
    if (entry && entry.body.length === stat.size && entry.mtimeMs === stat.mtimeMs) return send(res, file, headers, entry.body)
    const body = await fsp.readFile(file)
    remember(file, { body, mtimeMs: stat.mtimeMs })
    send(res, file, headers, body)
  }
}
