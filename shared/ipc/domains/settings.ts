import { z } from 'zod'
import { channel, event } from '../define'

export const DEFAULT_BASE_URL = 'https://api.cerebras.ai/v1'

export const Theme = z.enum(['system', 'light', 'dark'])

/** What is saved in settings.json. Keys never live here (see key-vault). */
export const Settings = z.object({
  baseUrl: z.string().url().default(DEFAULT_BASE_URL),
  compression: z
    .object({ msgpack: z.boolean().default(true), gzip: z.boolean().default(true) })
    .default({ msgpack: true, gzip: true }),
  theme: Theme.default('system'),
})
export type Settings = z.infer<typeof Settings>

export const SettingsPatch = z
  .object({
    baseUrl: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
    compression: z.object({ msgpack: z.boolean(), gzip: z.boolean() }).partial().strict(),
    theme: Theme,
  })
  .partial()
  .strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const SettingsView = z.object({
  settings: Settings,
  /** The base URL in force: CEREBRAS_BASE_URL overrides the saved one. */
  effectiveBaseUrl: z.string(),
  baseUrlSource: z.enum(['settings', 'env']),
  /** Set when settings.json could not be read; the bad file was kept at backupPath. */
  loadError: z.object({ message: z.string(), backupPath: z.string().optional() }).optional(),
})
export type SettingsView = z.infer<typeof SettingsView>

export const KeySource = z.enum(['stored', 'env', 'session', 'none'])

export const KeyStatus = z.object({
  configured: z.boolean(),
  /** Last four characters only. */
  hint: z.string().max(4).optional(),
  source: KeySource,
  /** Where a typed key is kept: an OS keyring backend, `basic_text`, or this run's memory. */
  backend: z.string(),
  /** False when the key is readable by anyone with the file (Linux basic_text, memory). */
  protected: z.boolean(),
  warning: z.string().optional(),
})
export type KeyStatus = z.infer<typeof KeyStatus>

export const settingsChannels = {
  'settings:get': channel(z.object({}).strict(), SettingsView, 'Read the settings'),
  'settings:update': channel(SettingsPatch, SettingsView, 'Change some settings and save them'),
  'key:status': channel(z.object({}).strict(), KeyStatus, 'Whether an API key is configured (never the key)'),
  'key:set': channel(
    z.object({ key: z.string().trim().min(8, 'that is too short to be an API key').max(512) }).strict(),
    KeyStatus,
    'Store the API key, encrypted in main',
  ),
  'key:clear': channel(z.object({}).strict(), KeyStatus, 'Forget the stored API key'),
}

export const settingsEvents = {
  'settings:changed': event(SettingsView, 'Settings were saved'),
  'key:changed': event(KeyStatus, 'The API key status changed'),
}
