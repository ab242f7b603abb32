import type { GatewayDefaults, GatewayLogEntry, GatewayStartArgs, GatewayStatus } from '@shared/ipc/domains/gateway'
import { WaferError } from '@shared/ipc/errors'

import { type AppUpstream, GatewayConfigError } from './config'
import { RequestLog } from './request-log'
import { type PolicyReload, type StartedGateway, startGateway } from './start'

/** The endpoint and key the app itself uses, as main knows them (the key never leaves main). */
export interface AppEndpoint {
  baseUrl: string
  apiKey: string | undefined
  endpoint: GatewayDefaults['upstream']['endpoint']
  key: GatewayDefaults['upstream']['key']
  compression: boolean
}

export interface AppGatewayDeps {
  auditDb: string
  env: NodeJS.ProcessEnv
  /** The app's stored key, for `secret_key_ref: {store: cerebras}`. */
  storedKey: () => Promise<string | undefined>
  /** The app's own endpoint and key: where a policy without provider targets sends requests. */
  appEndpoint: () => Promise<AppEndpoint>
  /** The policy file applied to the app's own requests, if any. */
  appliedPolicy: () => string | null
  fetch?: typeof fetch
  onRequest: (e: GatewayLogEntry) => void
  onStatus: (s: GatewayStatus) => void
}

/** Names under which a policy file may refer to the key stored in Settings. */
const STORE_NAMES = new Set(['cerebras', 'default', 'CEREBRAS_API_KEY'])

/**
 * The gateway inside the app: the same code as `wafer gateway run`, started
 * and stopped from the Gateway screen, with its request log pushed to the
 * renderer (the Audit tab reads its audit log through AppAuditReader).
 */
export class AppGateway {
  private running: (StartedGateway & { args: GatewayStartArgs; startedAt: number }) | undefined
  private lastError: string | null = null
  private lastReload: PolicyReload | null = null
  private readonly log = new RequestLog(500)

  constructor(private readonly deps: AppGatewayDeps) {
    this.log.subscribe((e) => deps.onRequest(e))
  }

  status(): GatewayStatus {
    const r = this.running
    return {
      running: Boolean(r),
      url: r ? `${r.url}/v1` : null,
      listen: r?.args.listen ?? null,
      policyConfigs: r?.args.policyConfigs ?? [],
      startedAt: r?.startedAt ?? null,
      summary: r?.summary ?? [],
      inFlight: r?.gateway.inFlight ?? 0,
      auditDb: this.deps.auditDb,
      lastError: this.lastError,
      reload: r && this.lastReload ? { at: this.lastReload.at, ok: this.lastReload.ok, error: this.lastReload.ok ? null : this.lastReload.error } : null,
    }
  }

  /** What the Gateway screen starts from: the app's endpoint and key (never the key itself), and its applied policy. */
  async defaults(): Promise<GatewayDefaults> {
    const app = await this.deps.appEndpoint()
    return {
      upstream: { baseUrl: app.baseUrl, endpoint: app.endpoint, key: app.key, keyHint: app.apiKey ? app.apiKey.slice(-4) : null },
      appliedPolicy: this.deps.appliedPolicy(),
    }
  }

  async start(args: Required<Pick<GatewayStartArgs, 'listen' | 'policyConfigs' | 'failMode' | 'maxConcurrency'>> & GatewayStartArgs): Promise<GatewayStatus> {
    if (this.running) throw new WaferError('conflict', `The gateway is already running at ${this.running.url}. Stop it first.`)
    const key = await this.deps.storedKey()
    const app = await this.deps.appEndpoint()
    // A policy without provider targets goes where the app's own requests go, with the app's key.
    const upstream: AppUpstream = { baseUrl: app.baseUrl, apiKey: app.apiKey, keySource: `app:${app.key}`, compression: app.compression }
    this.lastError = null
    this.lastReload = null
    try {
      const started = await startGateway({
        listen: args.listen,
        policyConfigs: args.policyConfigs,
        failMode: args.failMode,
        maxConcurrency: args.maxConcurrency,
        authToken: args.authToken,
        allowOrigins: args.allowOrigins,
        auditDb: this.deps.auditDb,
        secrets: { env: this.deps.env, store: (name) => (STORE_NAMES.has(name) ? key : undefined), app: upstream },
        fetch: this.deps.fetch,
        log: this.log,
        // Start-up warnings and audit writer failures show on the Gateway screen.
        warn: (line) => {
          this.lastError = line
          this.deps.onStatus(this.status())
        },
        // A saved policy file reloads the running gateway; the screen shows how that went.
        onReload: (reload) => {
          this.lastReload = reload
          this.deps.onStatus(this.status())
        },
      })
      this.running = Object.assign(started, { args, startedAt: Date.now() })
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err)
      this.deps.onStatus(this.status())
      const e = err as NodeJS.ErrnoException
      if (e.code === 'EADDRINUSE') throw new WaferError('conflict', `${args.listen} is already in use by another program. Choose another port.`)
      throw new WaferError(err instanceof GatewayConfigError ? 'bad_request' : 'internal', this.lastError)
    }
    const s = this.status()
    this.deps.onStatus(s)
    return s
  }

  async stop(deadlineMs = 5_000): Promise<GatewayStatus> {
    const r = this.running
    this.running = undefined
    if (r) await r.stop(deadlineMs)
    const s = this.status()
    this.deps.onStatus(s)
    return s
  }

  recent(limit?: number): GatewayLogEntry[] {
    return this.log.recent(limit)
  }

  async dispose(): Promise<void> {
    await this.stop(2_000)
  }
}
