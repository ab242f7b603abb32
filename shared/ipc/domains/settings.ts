import { z } from 'zod'

import { channel, event } from '../define'
import { demoChannels, demoEvents } from './demo'

export const DEFAULT_BASE_URL = 'https://api.cerebras.ai/v1'

export const Theme = z.enum(['system', 'light', 'dark'])

/** What is saved in settings.json. Keys never live here (see key-vault). */
export const Settings = z.object({
  baseUrl: z.string().url().default(DEFAULT_BASE_URL),
  compression: z.object({ msgpack: z.boolean().default(true), gzip: z.boolean().default(true) }).default({ msgpack: true, gzip: true }),
  theme: Theme.default('system'),
})
export type Settings = z.infer<typeof Settings>

export const SettingsPatch = z
  .object({
    baseUrl: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
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

/** A key as typed: trimmed, and long enough to be one. */
const KeyText = z.string().trim().min(8, 'that is too short to be an API key').max(512)

/** Why a key test failed, so the UI can say what to do next. */
export const KeyTestFailure = z.enum([
  /** No key was typed and none is stored or set in the environment. */
  'no_key',
  /** 401 or 403: the API refused this key. */
  'wrong_key',
  /** The host could not be reached (DNS, refused, timed out, TLS). */
  'network',
  /** Something answered, but not as the Cerebras API would (404, a redirect, a page that is not a model list). */
  'base_url',
  /** 429: the key was recognised but is rate limited right now. */
  'rate_limited',
  /** 5xx or another unexpected answer. */
  'server',
])
export type KeyTestFailure = z.infer<typeof KeyTestFailure>

/** What testing a key found; never the key itself (only its last four characters). */
export const KeyTestResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** The endpoint asked (the saved or CEREBRAS_BASE_URL base URL; never the demo). */
    baseUrl: z.string(),
    hint: z.string().max(4),
    /** The model ids this key can call, from GET /models. */
    models: z.array(z.string()),
    ms: z.number(),
  }),
  z.object({
    ok: z.literal(false),
    baseUrl: z.string(),
    hint: z.string().max(4).nullable(),
    reason: KeyTestFailure,
    /** HTTP status, when the endpoint answered. */
    status: z.number().nullable(),
    message: z.string(),
  }),
])
export type KeyTestResult = z.infer<typeof KeyTestResult>

/** Where permission to send the key to a host came from. */
export const KeyHostSource = z.enum(['built-in', 'env', 'flag', 'settings'])
export type KeyHostSource = z.infer<typeof KeyHostSource>

/** The hosts the API key may be sent to (main decides; the renderer only shows them). */
export const KeyHostsView = z.object({
  hosts: z.array(z.object({ origin: z.string(), source: KeyHostSource, removable: z.boolean() })),
  /** True when main can ask the user itself (a native dialog in the desktop app). */
  canConfirm: z.boolean(),
  /** How to allow a host where main cannot ask (the web host: a flag or a variable). */
  howToAllow: z.string(),
  /** The base URL in force, and whether the key may go there. */
  current: z.object({ origin: z.string(), allowed: z.boolean(), refusal: z.string().optional() }).nullable(),
})
export type KeyHostsView = z.infer<typeof KeyHostsView>

const HostEntry = z.string().trim().min(1).max(2048)

export const settingsChannels = {
  'settings:get': channel(z.object({}).strict(), SettingsView, 'Read the settings'),
  'settings:update': channel(SettingsPatch, SettingsView, 'Change some settings and save them'),
  'key:status': channel(z.object({}).strict(), KeyStatus, 'Whether an API key is configured (never the key)'),
  'key:set': channel(z.object({ key: KeyText }).strict(), KeyStatus, 'Store the API key, encrypted in main'),
  'key:clear': channel(z.object({}).strict(), KeyStatus, 'Forget the stored API key'),
  'key:test': channel(
    z.object({ key: KeyText.optional() }).strict(),
    KeyTestResult,
    'Ask the models list with a typed key (or the configured one) and say what it can call; the test runs in main and the key never comes back',
  ),
  'key:hosts': channel(z.object({}).strict(), KeyHostsView, 'The hosts the API key may be sent to'),
  'key:allow-host': channel(
    z.object({ host: HostEntry }).strict(),
    KeyHostsView,
    'Ask main to allow a host for the key; main confirms with the user outside the renderer (or explains how, in the web host)',
  ),
  'key:remove-host': channel(z.object({ host: HostEntry }).strict(), KeyHostsView, 'Take back a host allowed earlier'),
  // The demo endpoint decides where requests go, like the base URL, so it travels with the settings.
  ...demoChannels,
}

export const settingsEvents = {
  'settings:changed': event(SettingsView, 'Settings were saved'),
  'key:changed': event(KeyStatus, 'The API key status changed'),
  'key:hosts-changed': event(KeyHostsView, 'The hosts the API key may be sent to changed'),
  ...demoEvents,
}
