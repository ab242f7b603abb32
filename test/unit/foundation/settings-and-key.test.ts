import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { KeyVault, MemoryBackend, type SecretBackend } from '@main/services/settings/key-vault'
import { SettingsStore } from '@main/services/settings/settings-store'
import { describe, expect, it } from 'vitest'

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'wafer-settings-'))

describe('SettingsStore', () => {
  it('starts from defaults, saves changes and reads them back after a restart', async () => {
    const dir = tmp()
    const a = new SettingsStore({ dir, env: {} })
    const first = await a.load()
    expect(first.settings).toEqual({ baseUrl: 'https://api.cerebras.ai/v1', compression: { msgpack: true, gzip: true }, theme: 'system' })
    await a.update({ baseUrl: 'http://127.0.0.1:8787/v1', compression: { gzip: false }, theme: 'dark' })
    const b = new SettingsStore({ dir, env: {} })
    const again = await b.load()
    expect(again.settings).toEqual({ baseUrl: 'http://127.0.0.1:8787/v1', compression: { msgpack: true, gzip: false }, theme: 'dark' })
    expect(again.loadError).toBeUndefined()
  })

  it('lets CEREBRAS_BASE_URL override the saved base URL and says so', async () => {
    const s = new SettingsStore({ dir: tmp(), env: { CEREBRAS_BASE_URL: 'http://127.0.0.1:9999/v1' } })
    const v = await s.load()
    expect(v.effectiveBaseUrl).toBe('http://127.0.0.1:9999/v1')
    expect(v.baseUrlSource).toBe('env')
    expect(v.settings.baseUrl).toBe('https://api.cerebras.ai/v1')
  })

  it('reports a corrupt file and keeps a backup instead of replacing it silently', async () => {
    const dir = tmp()
    writeFileSync(path.join(dir, 'settings.json'), '{"baseUrl": "http://x", oops')
    const s = new SettingsStore({ dir, env: {} })
    const v = await s.load()
    expect(v.loadError?.message).toMatch(/unreadable/)
    expect(v.loadError?.backupPath).toBeDefined()
    expect(readFileSync(v.loadError!.backupPath!, 'utf8')).toBe('{"baseUrl": "http://x", oops')
    // The original stays until the user saves new settings.
    expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe('{"baseUrl": "http://x", oops')
    expect(v.settings.baseUrl).toBe('https://api.cerebras.ai/v1')
  })

  it('treats a schema-invalid file as corrupt too', async () => {
    const dir = tmp()
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ baseUrl: 12, theme: 'neon' }))
    const v = await new SettingsStore({ dir, env: {} }).load()
    expect(v.loadError?.message).toMatch(/baseUrl|theme/)
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true)
  })

  it('refuses an invalid patch without changing what is saved', async () => {
    const dir = tmp()
    const s = new SettingsStore({ dir, env: {} })
    await s.load()
    await expect(s.update({ baseUrl: 'ftp://nope' } as never)).rejects.toThrow()
    expect(s.current.baseUrl).toBe('https://api.cerebras.ai/v1')
  })
})

/** A backend that "encrypts" reversibly and visibly, standing in for safeStorage. */
function fakeKeyring(name = 'gnome_libsecret'): SecretBackend {
  return {
    persistent: true,
    name: async () => name,
    isProtected: async () => name !== 'basic_text',
    encrypt: async (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
    decrypt: async (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
  }
}

describe('KeyVault', () => {
  const KEY = 'csk-test-1234567890abcdWXYZ'

  it('stores the key encrypted, reports only the last four characters, and reloads it', async () => {
    const dir = tmp()
    const v = new KeyVault({ dir, env: {}, backend: fakeKeyring() })
    const s = await v.set(KEY)
    expect(s).toEqual({ configured: true, hint: 'WXYZ', source: 'stored', backend: 'gnome_libsecret', protected: true })
    expect(JSON.stringify(s)).not.toContain(KEY.slice(0, 10))
    expect(readFileSync(path.join(dir, 'api-key.bin')).toString()).not.toContain(KEY)
    const reopened = new KeyVault({ dir, env: {}, backend: fakeKeyring() })
    await expect(reopened.getKey()).resolves.toBe(KEY)
  })

  it('falls back to CEREBRAS_API_KEY when nothing is stored, and says so', async () => {
    const v = new KeyVault({ dir: tmp(), env: { CEREBRAS_API_KEY: 'csk-from-env-9876' }, backend: fakeKeyring() })
    await expect(v.status()).resolves.toMatchObject({ configured: true, source: 'env', hint: '9876' })
    await expect(v.getKey()).resolves.toBe('csk-from-env-9876')
  })

  it('warns clearly on the basic_text backend', async () => {
    const v = new KeyVault({ dir: tmp(), env: {}, backend: fakeKeyring('basic_text') })
    const s = await v.set(KEY)
    expect(s.protected).toBe(false)
    expect(s.warning).toMatch(/basic_text.*not protected/)
  })

  it('keeps a web-host key in memory only and forgets it on clear', async () => {
    const dir = tmp()
    const v = new KeyVault({ dir, env: {}, backend: new MemoryBackend() })
    await expect(v.set(KEY)).resolves.toMatchObject({ source: 'session', backend: 'memory', protected: false })
    expect(readdirSync(dir)).toEqual([])
    await expect(v.clear()).resolves.toMatchObject({ configured: false, source: 'none' })
    await expect(v.getKey()).resolves.toBeUndefined()
  })
})
