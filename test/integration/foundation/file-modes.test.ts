import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createAppServices } from '@main/app-services'
import { openAuditLog } from '@main/services/audit/index'
import { KeyVault, type SecretBackend } from '@main/services/settings/key-vault'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'

// Files under the user-data folder are this user's only: the folder 0700,
// every database (with its WAL and SHM), key and temporary file 0600, even
// under a permissive umask and over files an older version left readable.

const temps: string[] = []
let umask: number
beforeEach(() => {
  umask = process.umask(0o022)
})
afterEach(() => {
  process.umask(umask)
})
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true })
})

const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'wafer-modes-'))
  temps.push(d)
  return d
}

/** A keychain that really persists (like safeStorage), so api-key.bin is written. */
const persistingBackend: SecretBackend = {
  persistent: true,
  name: async () => 'test-keychain',
  isProtected: async () => true,
  encrypt: async (plain) => Buffer.from(plain.split('').reverse().join(''), 'utf8'),
  decrypt: async (data) => data.toString('utf8').split('').reverse().join(''),
}

const mode = (p: string) => statSync(p).mode & 0o777

/** Every file and folder under `dir`, with its mode. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name)
      out[path.relative(dir, p)] = mode(p).toString(8)
      if (statSync(p).isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out
}

describe('file modes under the user-data folder', () => {
  it('creates the folder 0700 and every database, WAL/SHM, key and settings file 0600', async () => {
    const userDataDir = path.join(tmp(), 'Wafer Console')
    const services = await createAppServices({
      userDataDir,
      env: {},
      secretBackend: persistingBackend,
      host: 'electron',
      version: '0.0.0-test',
      platform: process.platform,
      openExternal: async () => {},
      broadcast: () => {},
    })
    try {
      await services.vault.set('csk-modes-0123456789')
      await services.settings.update({ theme: 'dark' })
      // The audit log the app keeps beside it (what the gateway and audit-logger open).
      const audit = openAuditLog({ dir: path.join(userDataDir, 'audit') })
      audit.append({ kind: 'request', requestId: 'r1', client: '127.0.0.1:1', target: 't', model: 'm', status: 200, verdicts: [], latencyMs: 1 })
      audit.flush()
      const all = modes(userDataDir)
      // While open, the WAL and SHM files exist: they must be private too.
      expect(Object.keys(all)).toEqual(
        expect.arrayContaining([
          'wafer.db',
          'wafer.db-wal',
          'wafer.db-shm',
          'api-key.bin',
          'settings.json',
          'audit',
          'audit/audit.db',
          'audit/audit.db.key',
          'audit/audit.db-wal',
        ]),
      )
      for (const [p, m] of Object.entries(all)) {
        const isDir = statSync(path.join(userDataDir, p)).isDirectory()
        expect({ p, m }).toEqual({ p, m: isDir ? '700' : '600' })
      }
      expect(mode(userDataDir).toString(8)).toBe('700')
      audit.close()
    } finally {
      await services.dispose()
    }
  })

  it('repairs files an older version left 0644 and never passes on a leftover temporary file’s mode', async () => {
    const userDataDir = tmp()
    chmodSync(userDataDir, 0o755)
    // A leftover from an interrupted save, readable by everyone.
    writeFileSync(path.join(userDataDir, 'api-key.bin.tmp'), 'half', { mode: 0o644 })
    chmodSync(path.join(userDataDir, 'api-key.bin.tmp'), 0o644)
    const first = await createAppServices({
      userDataDir,
      env: {},
      secretBackend: persistingBackend,
      host: 'electron',
      version: '0.0.0-test',
      platform: process.platform,
      openExternal: async () => {},
      broadcast: () => {},
    })
    await first.dispose()
    chmodSync(path.join(userDataDir, 'wafer.db'), 0o644)
    const again = await createAppServices({
      userDataDir,
      env: {},
      secretBackend: persistingBackend,
      host: 'electron',
      version: '0.0.0-test',
      platform: process.platform,
      openExternal: async () => {},
      broadcast: () => {},
    })
    try {
      expect(mode(userDataDir).toString(8)).toBe('700')
      expect(mode(path.join(userDataDir, 'wafer.db')).toString(8)).toBe('600')
      const vault = new KeyVault({ dir: userDataDir, env: {}, backend: persistingBackend })
      await vault.set('csk-leftover-0123456789')
      expect(mode(path.join(userDataDir, 'api-key.bin')).toString(8)).toBe('600')
    } finally {
      await again.dispose()
    }
  })
})
