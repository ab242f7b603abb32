import type { SafeStorage } from 'electron'

import type { SecretBackend } from './services/settings/key-vault'

/**
 * The key vault's Electron backend: safeStorage's async API, which uses the
 * OS keychain (macOS Keychain, Windows DPAPI, libsecret/KWallet on Linux).
 */
export class SafeStorageBackend implements SecretBackend {
  readonly persistent = true
  constructor(
    private readonly safeStorage: SafeStorage,
    private readonly platform: NodeJS.Platform,
  ) {}

  async name(): Promise<string> {
    if (this.platform === 'darwin') return 'keychain'
    if (this.platform === 'win32') return 'dpapi'
    return this.safeStorage.getSelectedStorageBackend()
  }

  async isProtected(): Promise<boolean> {
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) return false
    return (await this.name()) !== 'basic_text'
  }

  async encrypt(plain: string): Promise<Buffer> {
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) {
      throw new Error('OS encryption is not available, so the key cannot be stored. Use CEREBRAS_API_KEY instead.')
    }
    return this.safeStorage.encryptStringAsync(plain)
  }

  async decrypt(data: Buffer): Promise<string> {
    const { result } = await this.safeStorage.decryptStringAsync(data)
    return result
  }
}
