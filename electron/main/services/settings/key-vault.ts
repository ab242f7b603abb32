import { promises as fsp } from 'node:fs'
import path from 'node:path'

import type { KeyStatus } from '@shared/ipc/domains/settings'

import { ensurePrivateDir, writePrivateFileAtomic } from '../../storage/private-files'

/**
 * Where a typed key is kept. The Electron adapter wraps safeStorage's async
 * API; the web host keeps the key in memory for this run only.
 */
export interface SecretBackend {
  /** `gnome_libsecret`, `kwallet6`, `keychain`, `dpapi`, `basic_text`, `memory`… */
  name(): Promise<string>
  /** False when the backend does not really protect the secret (Linux basic_text, memory). */
  isProtected(): Promise<boolean>
  /** Persisting backends return bytes to write to disk; the memory backend keeps them itself. */
  persistent: boolean
  encrypt(plain: string): Promise<Buffer>
  decrypt(data: Buffer): Promise<string>
}

export interface KeyVaultDeps {
  dir: string
  env: NodeJS.ProcessEnv
  backend: SecretBackend
}

const hintOf = (key: string) => key.slice(-4)

/**
 * Holds the Cerebras API key in main. The renderer only ever gets a
 * KeyStatus: configured, the last four characters, the source and backend.
 * A stored key wins over CEREBRAS_API_KEY from the environment.
 */
export class KeyVault {
  private readonly file: string
  private cached: string | undefined
  private loaded = false

  constructor(private readonly deps: KeyVaultDeps) {
    this.file = path.join(deps.dir, 'api-key.bin')
  }

  /** The key to call the API with, or undefined. Only main-process callers. */
  async getKey(): Promise<string | undefined> {
    await this.ensureLoaded()
    return this.cached ?? this.envKey()
  }

  async status(): Promise<KeyStatus> {
    await this.ensureLoaded()
    const backend = await this.deps.backend.name()
    const isProtected = await this.deps.backend.isProtected()
    const source: KeyStatus['source'] = this.cached ? (this.deps.backend.persistent ? 'stored' : 'session') : this.envKey() ? 'env' : 'none'
    const key = this.cached ?? this.envKey()
    let warning: string | undefined
    if (backend === 'basic_text') {
      warning =
        'No OS keyring is available (Linux basic_text backend): a stored key is only obfuscated, not protected. Install and unlock a keyring (GNOME Keyring or KWallet), or use CEREBRAS_API_KEY.'
    } else if (source === 'session') {
      warning = 'This key is kept in memory for this run only and is forgotten when the web host stops.'
    }
    return {
      configured: Boolean(key),
      ...(key ? { hint: hintOf(key) } : {}),
      source,
      backend,
      protected: isProtected,
      ...(warning ? { warning } : {}),
    }
  }

  async set(key: string): Promise<KeyStatus> {
    const trimmed = key.trim()
    if (this.deps.backend.persistent) {
      const data = await this.deps.backend.encrypt(trimmed)
      await ensurePrivateDir(this.deps.dir)
      await writePrivateFileAtomic(this.file, data)
    }
    this.cached = trimmed
    this.loaded = true
    return this.status()
  }

  async clear(): Promise<KeyStatus> {
    await fsp.rm(this.file, { force: true })
    this.cached = undefined
    this.loaded = true
    return this.status()
  }

  private envKey(): string | undefined {
    return this.deps.env.CEREBRAS_API_KEY?.trim() || undefined
  }

  private async ensureLoaded(): Promise<void> {
    if (this.loaded) return
    this.loaded = true
    if (!this.deps.backend.persistent) return
    try {
      const data = await fsp.readFile(this.file)
      this.cached = await this.deps.backend.decrypt(data)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        // An undecryptable key (new keyring, copied profile) is as good as none;
        // the user is asked to enter it again rather than the app failing.
        this.cached = undefined
      }
    }
  }
}

/** The web host's backend: the key lives in this process's memory only. */
export class MemoryBackend implements SecretBackend {
  readonly persistent = false
  async name() {
    return 'memory'
  }
  async isProtected() {
    return false
  }
  async encrypt(plain: string) {
    return Buffer.from(plain, 'utf8')
  }
  async decrypt(data: Buffer) {
    return data.toString('utf8')
  }
}
