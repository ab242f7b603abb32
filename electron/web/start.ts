import path from 'node:path'
import { fileURLToPath } from 'node:url'

// Only the version: the build inlines this one string, not package.json.
import { version } from '../../package.json'
import type { EventName, PayloadOf } from '../../shared/ipc/contract'
import { type AppServices, createAppServices } from '../main/app-services'
import { createDispatcher } from '../main/ipc/dispatcher'
import { defaultWebUserDataDir } from '../main/paths'
import { MemoryBackend } from '../main/services/settings/key-vault'
import { startWebHost, type WebHost } from './server'

// Two levels up from this file both as source (electron/web/start.ts) and
// built into the web host's entry (out/main/web-host.js).
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface WebAppOptions {
  port?: number
  userDataDir?: string
  staticDir?: string
  env?: NodeJS.ProcessEnv
  /** Hosts the key may go to besides api.cerebras.ai (--allow-host): the browser tab cannot allow them. */
  allowHosts?: readonly string[]
}

/** The same services as the Electron app, served over the web bridge. */
export async function startWebApp(opts: WebAppOptions = {}): Promise<{ host: WebHost; services: AppServices; close(): Promise<void> }> {
  const env = opts.env ?? process.env
  let host: WebHost | undefined
  const broadcast = <E extends EventName>(event: E, payload: PayloadOf<E>) => host?.broadcast(event, payload)
  const services = await createAppServices({
    userDataDir: opts.userDataDir ?? defaultWebUserDataDir(env),
    env,
    secretBackend: new MemoryBackend(),
    host: 'web',
    allowHosts: opts.allowHosts,
    version,
    platform: process.platform,
    // The web host has no window of its own: the browser opens links itself.
    openExternal: async () => {},
    broadcast,
  })
  const dispatch = createDispatcher(services.handlers, { validateResults: true })
  host = await startWebHost({
    staticDir: opts.staticDir ?? path.join(repoRoot, 'out', 'renderer'),
    dispatch,
    port: opts.port,
    pageTheme: () => services.settings.current.theme,
  })
  const h = host
  return {
    host: h,
    services,
    async close() {
      await h.close()
      await services.dispose()
    },
  }
}
