import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { htmlWithTheme } from '@main/page-theme'
import { isAppOrigin, mimeTypeOf, serveAppFile } from '@main/security/app-protocol'
import { CSP } from '@main/security/csp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The app:// handler's file serving, under Node: only files under the
// renderer folder, each with its MIME type, and 404 for everything else.

let base: string
let root: string
beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'wafer-app-protocol-'))
  root = path.join(base, 'renderer')
  mkdirSync(path.join(root, 'assets'), { recursive: true })
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Wafer</title><script type="module" src="./assets/index.js"></script>')
  writeFileSync(path.join(root, 'assets', 'index.js'), 'console.log(1)')
  writeFileSync(path.join(root, 'assets', 'index.css'), 'body{}')
  writeFileSync(path.join(root, 'assets', 'font.woff2'), 'w')
  writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg/>')
  writeFileSync(path.join(root, 'assets', 'blob.xyz'), 'x')
  writeFileSync(path.join(base, 'secret.txt'), 'outside the renderer')
  mkdirSync(path.join(base, 'renderer-evil'))
  writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'evil')
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'))
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

const get = (url: string, method = 'GET') => serveAppFile(root, url, method)

describe('serveAppFile', () => {
  it('serves index.html (also for /) with the CSP and nosniff', async () => {
    for (const url of ['app://wafer/index.html', 'app://wafer/', 'app://wafer']) {
      const res = await get(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-security-policy')).toBe(CSP)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(await res.text()).toContain('<title>Wafer</title>')
    }
  })

  it('sends HTML through the page’s transform (the chosen theme) and every other file as it is on disk', async () => {
    const theme = (html: string) => htmlWithTheme(html, 'dark')
    const page = await serveAppFile(root, 'app://wafer/', 'GET', theme)
    expect(await page.text()).toBe('<!doctype html><title>Wafer</title><script type="module" src="./assets/index.js"></script>')
    writeFileSync(path.join(root, 'themed.html'), '<!doctype html><html lang="en"><body></body></html>')
    expect(await (await serveAppFile(root, 'app://wafer/themed.html', 'GET', theme)).text()).toBe(
      '<!doctype html><html data-theme="dark" lang="en"><body></body></html>',
    )
    expect(await (await serveAppFile(root, 'app://wafer/assets/index.js', 'GET', theme)).text()).toBe('console.log(1)')
  })

  it('gives each file its MIME type', async () => {
    const types = {
      'assets/index.js': 'text/javascript; charset=utf-8',
      'assets/index.css': 'text/css; charset=utf-8',
      'assets/font.woff2': 'font/woff2',
      'assets/logo.svg': 'image/svg+xml',
      'assets/blob.xyz': 'application/octet-stream',
    }
    for (const [file, type] of Object.entries(types)) {
      const res = await get(`app://wafer/${file}`)
      expect({ file, status: res.status, type: res.headers.get('content-type') }).toEqual({ file, status: 200, type })
    }
    expect(mimeTypeOf('X.JS')).toBe('text/javascript; charset=utf-8')
  })

  it('answers 404 to traversal, encoded traversal, sibling folders and symlinks out of the root', async () => {
    const urls = [
      'app://wafer/../secret.txt',
      'app://wafer/assets/../../secret.txt',
      'app://wafer/%2e%2e/secret.txt',
      'app://wafer/%2E%2E%2Fsecret.txt',
      'app://wafer/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://wafer/..%5csecret.txt',
      'app://wafer/%252e%252e/secret.txt',
      'app://wafer/../renderer-evil/x.js',
      'app://wafer/%2e%2e/renderer-evil/x.js',
      'app://wafer/assets/link.txt',
      'app://wafer/index.html%00.js',
      'app://wafer/%E0%A4%A',
      'app://wafer//etc/passwd',
      `app://wafer/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
    ]
    for (const url of urls) {
      const res = await get(url)
      expect({ url, status: res.status }).toEqual({ url, status: 404 })
      expect(await res.text()).not.toContain('outside the renderer')
    }
  })

  it('answers 404 to missing files, folders, other hosts and schemes; 405 to writes', async () => {
    expect((await get('app://wafer/missing.js')).status).toBe(404)
    expect((await get('app://wafer/assets')).status).toBe(404)
    expect((await get('app://wafer/assets/')).status).toBe(404)
    expect((await get('app://other/index.html')).status).toBe(404)
    expect((await get('file:///etc/passwd')).status).toBe(404)
    expect((await get('app://wafer/index.html', 'POST')).status).toBe(405)
    expect((await serveAppFile(path.join(base, 'not-built'), 'app://wafer/index.html')).status).toBe(404)
    const head = await get('app://wafer/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})

describe('htmlWithTheme', () => {
  it('puts a chosen theme on the root element and leaves "system" to the stylesheet', () => {
    const html = '<!doctype html>\n<html lang="en">\n<head><title>x</title></head></html>'
    expect(htmlWithTheme(html, 'light')).toBe('<!doctype html>\n<html data-theme="light" lang="en">\n<head><title>x</title></head></html>')
    expect(htmlWithTheme(html, 'dark')).toContain('<html data-theme="dark" lang="en">')
    expect(htmlWithTheme(html, 'system')).toBe(html)
    // Only the root element: not <htmlish> nor text.
    expect(htmlWithTheme('<htmlish><html>', 'dark')).toBe('<htmlish><html data-theme="dark">')
  })
})

describe('isAppOrigin', () => {
  it('accepts app://wafer and nothing else', () => {
    expect(isAppOrigin('app://wafer/index.html')).toBe(true)
    expect(isAppOrigin('app://wafer/assets/x.js?v=1#h')).toBe(true)
    for (const u of [
      'app://wafer.evil/index.html',
      'app://other/',
      'app://user@wafer/',
      'file:///index.html',
      'https://wafer/',
      'wafer',
      'http://localhost:5173/',
    ]) {
      expect({ u, ok: isAppOrigin(u) }).toEqual({ u, ok: false })
    }
  })
})
