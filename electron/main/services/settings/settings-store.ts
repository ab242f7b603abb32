import { promises as fsp } from 'node:fs'
import path from 'node:path'

import { Settings, SettingsPatch, type SettingsView } from '@shared/ipc/domains/settings'
import { formatZodError } from '@shared/ipc/errors'

import { ensurePrivateDir, makePrivate, writePrivateFileAtomic } from '../../storage/private-files'

export interface SettingsStoreDeps {
  /** Directory that holds settings.json (the user-data directory). */
  dir: string
  env: NodeJS.ProcessEnv
  now?: () => Date
}

/**
 * Settings saved as JSON in the user-data directory. A file that cannot be
 * read is never silently replaced: it is copied aside and the error is
 * reported with the backup's path, so the user can recover what they had.
 */
export class SettingsStore {
  private settings: Settings = Settings.parse({})
  private loadError: SettingsView['loadError']
  private readonly file: string

  constructor(private readonly deps: SettingsStoreDeps) {
    this.file = path.join(deps.dir, 'settings.json')
  }

  async load(): Promise<SettingsView> {
    let raw: string
    try {
      raw = await fsp.readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.view()
      this.loadError = { message: `Could not read settings: ${(err as Error).message}` }
      return this.view()
    }
    let reason: string | undefined
    try {
      const parsed = Settings.safeParse(JSON.parse(raw))
      if (parsed.success) this.settings = parsed.data
      else reason = formatZodError(parsed.error)
    } catch (err) {
      reason = `not valid JSON (${(err as Error).message})`
    }
    if (reason) {
      const stamp = (this.deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')
      const backupPath = `${this.file}.corrupt-${stamp}`
      await fsp.copyFile(this.file, backupPath)
      await makePrivate(backupPath)
      this.loadError = {
        message: `settings.json was unreadable (${reason}). Defaults are in use; your file was kept as ${path.basename(backupPath)}.`,
        backupPath,
      }
    }
    return this.view()
  }

  get current(): Settings {
    return this.settings
  }

  view(): SettingsView {
    const envUrl = this.deps.env.CEREBRAS_BASE_URL?.trim()
    return {
      settings: this.settings,
      effectiveBaseUrl: envUrl || this.settings.baseUrl,
      baseUrlSource: envUrl ? 'env' : 'settings',
      ...(this.loadError ? { loadError: this.loadError } : {}),
    }
  }

  async update(patch: SettingsPatch): Promise<SettingsView> {
    const p = SettingsPatch.parse(patch)
    const next = Settings.parse({
      ...this.settings,
      ...p,
      compression: { ...this.settings.compression, ...p.compression },
    })
    await this.write(next)
    this.settings = next
    // A successful save replaces the unreadable file; the backup stays on disk.
    this.loadError = undefined
    return this.view()
  }

  /** Write atomically so a crash mid-write never leaves half a file. */
  private async write(s: Settings): Promise<void> {
    await ensurePrivateDir(this.deps.dir)
    await writePrivateFileAtomic(this.file, JSON.stringify(s, null, 2) + '\n', `${this.file}.${process.pid}.tmp`)
  }
}
