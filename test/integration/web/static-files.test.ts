import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { createStaticFiles, type StaticFilesOptions } from '@web/static-files'
import { afterEach, describe, expect, it } from 'vitest'

// The web host's files: the hashed assets from memory once read (the disk is not asked again), index.html checked
// against the disk on every request, large files streamed, and nothing outside the renderer's folder.

const servers: http.Server[] = []
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function serve(opts?: StaticFilesOptions) {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'wafer-static-'))
  dirs.push(parent)
  const root = path.join(parent, 'renderer')
  mkdirSync(path.join(root, 'assets'), { recursive: true })
  writeFileSync(path.join(parent, 'secret.txt'), 'outside the renderer')
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>one</title>')
  const files = createStaticFiles(root, opts)
  const server = http.createServer((req, res) => void files(req.url ?? '/', res, { 'x-frame-options': 'DENY' }))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const get = (p: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: p }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        })
        .on('error', reject)
    })
  return { root, get, write: (rel: string, data: string | Buffer) => writeFileSync(path.join(root, rel), data) }
}

describe('createStaticFiles', () => {
  it('sends HTML through htmlBody on every request, as it is then, and every other file untouched', async () => {
    let theme = 'light'
    const { get, write } = await serve({ htmlBody: (html) => Buffer.from(html.toString('utf8').replace('<title>', `<title data-t="${theme}">`)) })
    write('assets/app-1.js', '<title>not html</title>')
    const first = await get('/')
    expect(first.body.toString()).toBe('<!doctype html><title data-t="light">one</title>')
    expect(first.headers['content-length']).toBe(String(first.body.length))
    theme = 'dark'
    expect((await get('/index.html')).body.toString()).toBe('<!doctype html><title data-t="dark">one</title>')
    expect((await get('/assets/app-1.js')).body.toString()).toBe('<title>not html</title>')
  })

  it('serves an asset with its type and immutable caching, then from memory: gone from the disk, it is still served whole', async () => {
    const { root, get, write } = await serve()
    const script = Buffer.from('export const answer = 42\n'.repeat(5000))
    write('assets/app-abc123.js', script)
    const first = await get('/assets/app-abc123.js')
    expect(first.status).toBe(200)
    expect(first.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'content-length': String(script.length),
      'x-frame-options': 'DENY',
    })
    expect(first.body.equals(script)).toBe(true)

    unlinkSync(path.join(root, 'assets/app-abc123.js'))
    const again = await get('/assets/app-abc123.js')
    expect(again.status).toBe(200)
    expect(again.body.equals(script)).toBe(true)
  })

  it('serves a rewritten index.html as soon as it is written, never cached by the browser', async () => {
    const { root, get, write } = await serve()
    const first = await get('/')
    expect(first.body.toString()).toBe('<!doctype html><title>one</title>')
    expect(first.headers['cache-control']).toBe('no-store')
    // A rebuild in the same second, the same length: the modification time still tells it apart.
    write('index.html', '<!doctype html><title>two</title>')
    const later = new Date(Date.now() + 5_000)
    utimesSync(path.join(root, 'index.html'), later, later)
    expect((await get('/')).body.toString()).toBe('<!doctype html><title>two</title>')
    // Unknown paths are the one-page app's: index.html, as it is now.
    expect((await get('/some/screen')).body.toString()).toBe('<!doctype html><title>two</title>')
  })

  it('streams files over the size limit from the disk every time, and keeps the memory it holds bounded', async () => {
    const { root, get, write } = await serve({ maxCachedFileBytes: 1024, maxCacheBytes: 3000 })
    const big = Buffer.alloc(64 * 1024, 7)
    write('assets/vocab-1.js', big)
    expect((await get('/assets/vocab-1.js')).body.equals(big)).toBe(true)
    unlinkSync(path.join(root, 'assets/vocab-1.js'))
    // Not kept: gone from the disk, it is gone (the one-page app's index.html instead).
    expect((await get('/assets/vocab-1.js')).body.toString()).toContain('<title>one</title>')

    // Three files of 1,000 bytes against a budget of 3,000 with index.html already in: the third is not kept.
    for (const n of [1, 2, 3]) write(`assets/part-${n}.js`, Buffer.alloc(1000, n))
    for (const n of [1, 2, 3]) expect((await get(`/assets/part-${n}.js`)).body.equals(Buffer.alloc(1000, n))).toBe(true)
    for (const n of [1, 2, 3]) unlinkSync(path.join(root, `assets/part-${n}.js`))
    const kept = await Promise.all([1, 2, 3].map(async (n) => (await get(`/assets/part-${n}.js`)).body.equals(Buffer.alloc(1000, n))))
    expect(kept).toEqual([true, true, false])
  })

  it('never serves a file outside the renderer folder, and answers a malformed path with 400', async () => {
    const { get } = await serve()
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt']) {
      const r = await get(p)
      expect(r.body.toString(), p).not.toContain('outside the renderer')
    }
    expect((await get('/%E0%A4%A')).status).toBe(400)
  })
})
