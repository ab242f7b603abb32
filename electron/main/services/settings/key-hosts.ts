import { promises as fsp } from 'node:fs'
import path from 'node:path'

import type { KeyHostSource, KeyHostsView } from '@shared/ipc/domains/settings'
import { WaferError } from '@shared/ipc/errors'

import { writePrivateFileAtomic } from '../../storage/private-files'

/*
 * Where the API key may go. Main attaches the key to requests; a compromised
 * renderer can change the base URL or write a policy target, so the rule is
 * kept here, in front of every request that carries the key:
 *   - https://api.cerebras.ai, always;
 *   - hosts the user allowed outside the renderer: a native dialog shown by
 *     main (desktop app), CEREBRAS_BASE_URL, WAFER_ALLOWED_HOSTS or --allow-host;
 *   - plain http only to this machine (loopback), whoever allowed it.
 * Hosts are compared as origins (scheme, host and port).
 */

export const CEREBRAS_ORIGIN = 'https://api.cerebras.ai'
const SAVED_FILE = 'allowed-hosts.json'

export interface KeyHostsDeps {
  /** The user-data folder: hosts allowed through the dialog are kept in allowed-hosts.json. */
  dir: string
  env: NodeJS.ProcessEnv
  /** `--allow-host` values given to the web host. */
  flags?: readonly string[]
  /** Asks the user outside the renderer (a native dialog in Electron); absent in the web host. */
  confirm?: (origin: string) => Promise<boolean>
}

export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/**
 * The origin a host entry or URL names: "example.com", "example.com:8443",
 * "https://example.com/v1" or "http://127.0.0.1:8787". A bare host means https.
 * Throws a bad_request WaferError for anything else.
 */
export function originOf(entry: string): string {
  const text = entry.trim()
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`)
  } catch {
    throw new WaferError('bad_request', `'${text.slice(0, 200)}' is not a host or URL.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WaferError('bad_request', `'${text.slice(0, 200)}' is not an http(s) address.`)
  if (url.username || url.password) throw new WaferError('bad_request', 'A host to allow must not carry a user name or password.')
  if (!url.hostname) throw new WaferError('bad_request', `'${text.slice(0, 200)}' names no host.`)
  return url.origin
}

/** Plain http leaves the machine unencrypted: never for the key, except to loopback. */
export function plainHttpRefusal(origin: string): string | undefined {
  const u = new URL(origin)
  if (u.protocol === 'http:' && !isLoopbackHostname(u.hostname)) {
    return `${origin} is plain http to another machine: the API key is sent over http only to this machine (localhost, 127.0.0.1, ::1). Use https.`
  }
  return undefined
}

export class KeyHosts {
  private saved: string[] = []
  private loaded: Promise<void> | undefined
  private readonly file: string

  constructor(private readonly deps: KeyHostsDeps) {
    this.file = path.join(deps.dir, SAVED_FILE)
  }

  /** Read the hosts allowed in earlier runs (once). A bad file counts as none. */
  load(): Promise<void> {
    this.loaded ??= fsp
      .readFile(this.file, 'utf8')
      .then((text) => {
        const hosts = (JSON.parse(text) as { hosts?: unknown }).hosts
        if (!Array.isArray(hosts)) return
        for (const h of hosts) {
          try {
            if (typeof h === 'string' && !plainHttpRefusal(originOf(h))) this.saved.push(originOf(h))
          } catch {
            // an entry that is not a host is skipped
          }
        }
      })
      .catch(() => undefined)
    return this.loaded
  }

  /** Every allowed origin with where its permission came from (first source wins). */
  entries(): { origin: string; source: KeyHostSource }[] {
    const out = new Map<string, KeyHostSource>([[CEREBRAS_ORIGIN, 'built-in']])
    const add = (raw: string | undefined, source: KeyHostSource) => {
      if (!raw?.trim()) return
      try {
        const o = originOf(raw)
        if (!out.has(o)) out.set(o, source)
      } catch {
        // a malformed entry allows nothing
      }
    }
    add(this.deps.env.CEREBRAS_BASE_URL, 'env')
    for (const h of (this.deps.env.WAFER_ALLOWED_HOSTS ?? '').split(/[\s,]+/)) add(h, 'env')
    for (const h of this.deps.flags ?? []) add(h, 'flag')
    for (const h of this.saved) add(h, 'settings')
    return [...out].map(([origin, source]) => ({ origin, source }))
  }

  /** Whether the key may be sent to `url`. */
  isAllowed(url: string | URL): boolean {
    let origin: string
    try {
      origin = new URL(String(url)).origin
    } catch {
      return false
    }
    if (plainHttpRefusal(origin)) return false
    return this.entries().some((e) => e.origin === origin)
  }

  /** The one check in front of every request that carries the key. */
  assertAllowed(url: string | URL): void {
    if (this.isAllowed(url)) return
    let origin: string
    try {
      origin = new URL(String(url)).origin
    } catch {
      throw new WaferError('bad_request', `${String(url).slice(0, 200)} is not a URL; the API key was not sent.`)
    }
    const http = plainHttpRefusal(origin)
    throw new WaferError(
      'forbidden',
      http
        ? `The API key was not sent: ${http}`
        : `The API key was not sent to ${origin}: your key goes only to ${CEREBRAS_ORIGIN} and to hosts you allowed. ${this.howToAllow(origin)}`,
      { reason: 'key_host_not_allowed', host: origin },
    )
  }

  /** How to allow a host in this host of the app. */
  howToAllow(origin = 'https://your-host.example'): string {
    return this.deps.confirm
      ? `To allow ${origin}, choose Allow this host in Settings → Endpoint and confirm it in the dialog.`
      : `To allow ${origin}, start the web host with --allow-host ${origin} (or set WAFER_ALLOWED_HOSTS=${origin}); the browser tab cannot allow hosts itself.`
  }

  view(currentBaseUrl?: string): KeyHostsView {
    let current: KeyHostsView['current'] = null
    if (currentBaseUrl) {
      try {
        const origin = new URL(currentBaseUrl).origin
        current = { origin, allowed: this.isAllowed(currentBaseUrl), ...(plainHttpRefusal(origin) ? { refusal: plainHttpRefusal(origin) } : {}) }
      } catch {
        current = null
      }
    }
    return {
      hosts: this.entries().map((e) => ({ ...e, removable: e.source === 'settings' })),
      canConfirm: Boolean(this.deps.confirm),
      howToAllow: this.howToAllow(),
      current,
    }
  }

  /**
   * Allow a host after the user confirmed it outside the renderer. The
   * renderer can ask, never decide: without a confirm function (web host)
   * this explains the flag instead.
   */
  async allow(entry: string): Promise<void> {
    await this.load()
    const origin = originOf(entry)
    const http = plainHttpRefusal(origin)
    if (http) throw new WaferError('forbidden', http, { reason: 'plain_http', host: origin })
    if (this.isAllowed(origin)) return
    if (!this.deps.confirm) throw new WaferError('forbidden', this.howToAllow(origin), { reason: 'confirm_unavailable', host: origin })
    if (!(await this.deps.confirm(origin)))
      throw new WaferError('aborted', `${origin} was not allowed: you chose not to send your key there.`, { host: origin })
    this.saved.push(origin)
    await this.save()
  }

  /** Taking a permission back needs no confirmation. */
  async remove(entry: string): Promise<void> {
    await this.load()
    const origin = originOf(entry)
    this.saved = this.saved.filter((o) => o !== origin)
    await this.save()
  }

  private async save(): Promise<void> {
    await writePrivateFileAtomic(this.file, JSON.stringify({ hosts: this.saved }, null, 2) + '\n')
  }
}

/**
 * A fetch that refuses to send any of `secrets()` (the stored key, the
 * CEREBRAS_API_KEY) in a header to a host the key may not go to. Every
 * network path of main that can carry the key (chat, models, key test, the
 * in-app gateway's targets) goes through it.
 */
export function guardKeyFetch(
  inner: typeof fetch,
  hosts: Pick<KeyHosts, 'isAllowed' | 'assertAllowed'>,
  secrets: () => Promise<readonly (string | undefined)[]>,
): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input)
    if (!hosts.isAllowed(url)) {
      const values: string[] = []
      if (input instanceof Request) input.headers.forEach((v) => values.push(v))
      try {
        new Headers(init?.headers).forEach((v) => values.push(v))
      } catch {
        // headers fetch itself would refuse: look at them as they are
        values.push(JSON.stringify(init?.headers ?? null))
      }
      const keys = (await secrets()).filter((k): k is string => typeof k === 'string' && k.trim().length >= 8).map((k) => k.trim())
      if (keys.some((k) => values.some((v) => v.includes(k)) || url.includes(k))) hosts.assertAllowed(url)
    }
    return inner(input, init)
  }) as typeof fetch
}

/** The part of Electron's dialog module the confirmation needs (kept structural so tests need no Electron). */
export interface NativeMessageBox {
  showMessageBox(options: {
    type: 'warning'
    title: string
    message: string
    detail: string
    buttons: string[]
    defaultId: number
    cancelId: number
    noLink: boolean
  }): Promise<{ response: number }>
}

/**
 * The desktop app's confirmation: a native dialog drawn by main, which the
 * renderer can neither see nor click for the user. Cancel is the default.
 */
export function nativeConfirmKeyHost(dialog: NativeMessageBox): (origin: string) => Promise<boolean> {
  return async (origin) => {
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'Allow a host for your API key',
      message: `Send your Cerebras API key to ${origin}?`,
      detail: `Wafer Console sends your key only to ${CEREBRAS_ORIGIN} and hosts you allow. Allow ${origin} only if you run or trust that server: it will receive your key with every request.`,
      buttons: ['Cancel', `Allow ${origin}`],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    })
    return response === 1
  }
}
