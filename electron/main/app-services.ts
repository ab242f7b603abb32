import path from 'node:path'

import type { EventName, PayloadOf } from '../../shared/ipc/contract'
import type { RunInput } from '../../shared/ipc/domains/history'
import { WaferError } from '../../shared/ipc/errors'
import { createAuditHandlers } from './handlers/audit'
import { createChatHandlers } from './handlers/chat'
import { createCompareHandlers } from './handlers/compare'
import { createDemoHandlers } from './handlers/demo'
import { createGatewayHandlers } from './handlers/gateway'
import { createHistoryHandlers } from './handlers/history'
import { createPolicyHandlers, type PickFile } from './handlers/policies'
import type { Handlers } from './ipc/dispatcher'
import { homeDirOf } from './paths'
import { parseExternalUrl } from './security/external-links'
import { AppAuditLog } from './services/audit/app-audit-log'
import { AppAuditReader } from './services/audit/app-audit-reader'
import type { BatchChat } from './services/batch/batch-runner'
import { type CerebrasServices, createCerebrasServices } from './services/cerebras/cerebras-services'
import { createNodeHttpFetch } from './services/cerebras/node-http-fetch'
import { createCompareServices } from './services/compare'
import { DemoEndpoint, type DemoServer } from './services/demo/demo-endpoint'
import { guardDemoFetch } from './services/demo/guard-fetch'
import { AppGateway } from './services/gateway/app-gateway'
import { createHistoryServices } from './services/history'
import { RunEndpoints } from './services/history/run-endpoints'
import { PlaygroundDraftStore } from './services/playground-draft'
import { createPolicyServices } from './services/policies'
import { guardKeyFetch, KeyHosts, originOf, plainHttpRefusal } from './services/settings/key-hosts'
import { testKey } from './services/settings/key-tester'
import { KeyVault, type SecretBackend } from './services/settings/key-vault'
import { SettingsStore } from './services/settings/settings-store'
import { UiStateStore } from './services/ui-state'
import { openDatabase, type OpenedDatabase } from './storage/database'
import { migrations } from './storage/migrations'
import { ensurePrivateDir } from './storage/private-files'

export interface AppServiceDeps {
  /** The user-data directory: settings, the encrypted key and the database live here. */
  userDataDir: string
  env: NodeJS.ProcessEnv
  secretBackend: SecretBackend
  host: 'electron' | 'web'
  version: string
  platform: string
  /** Hand a parsed https URL to the OS. */
  openExternal: (url: string) => Promise<void>
  /** The network; tests and the web host may pass their own. */
  fetch?: typeof fetch
  /** Push an event to every window or connected browser. */
  broadcast: <E extends EventName>(event: E, payload: PayloadOf<E>) => void
  /** A native file dialog for policy files (Electron); without it the user types a path. */
  pickFile?: PickFile
  /** Asks the user, outside the renderer, before the key may go to a new host (a native dialog in Electron). */
  confirmKeyHost?: (origin: string) => Promise<boolean>
  /** Hosts allowed for the key from the command line (the web host's --allow-host). */
  allowHosts?: readonly string[]
  /** The demo endpoint's server (default: the fake Cerebras server on a random loopback port). */
  createDemoServer?: (apiKey: string) => DemoServer
}

export interface AppServices {
  handlers: Handlers
  settings: SettingsStore
  vault: KeyVault
  database: OpenedDatabase
  cerebras: CerebrasServices
  /** The built-in demo endpoint (`npm run web -- --demo` switches it on at start). */
  demo: DemoEndpoint
  dispose(): Promise<void>
}

/**
 * Build every main-process service and the handler for every channel. Both
 * hosts (Electron and `npm run web`) call this, so they serve the same code.
 */
export async function createAppServices(deps: AppServiceDeps): Promise<AppServices> {
  await ensurePrivateDir(deps.userDataDir)
  const settings = new SettingsStore({ dir: deps.userDataDir, env: deps.env })
  const initial = await settings.load()
  if (initial.loadError) deps.broadcast('app:notice', { level: 'error', message: initial.loadError.message })
  const vault = new KeyVault({ dir: deps.userDataDir, env: deps.env, backend: deps.secretBackend })
  // Where the key may go: one check (key-hosts.ts) in front of every request main makes with it.
  const keyHosts = new KeyHosts({ dir: deps.userDataDir, env: deps.env, flags: deps.allowHosts, confirm: deps.confirmKeyHost })
  await keyHosts.load()
  const keyGuard = (inner: typeof fetch) => guardKeyFetch(inner, keyHosts, async () => [await vault.getKey(), deps.env.CEREBRAS_API_KEY])
  const database = openDatabase(path.join(deps.userDataDir, 'wafer.db'), migrations)
  const uiState = new UiStateStore(database.db)
  const playgroundDraft = new PlaygroundDraftStore(uiState)
  const history = createHistoryServices(database.db)
  // One audit log for the app: the in-app gateway writes it, and so do chat
  // requests under a policy with audit-logger in its chain.
  const auditDb = path.join(deps.userDataDir, 'audit', 'audit.db')
  const appAudit = new AppAuditLog(auditDb, (message) => deps.broadcast('app:notice', { level: 'warning', message }))
  // The policy chosen in the status bar runs over every chat request in main.
  const policies = createPolicyServices({
    audit: (policy) => appAudit.sink(policy.config),
    homeDir: homeDirOf(deps.env, deps.platform as NodeJS.Platform),
    readState: (key) => uiState.get(key).value,
    writeState: (key, value) => void uiState.set(key, value),
    onActiveChanged: (status) => deps.broadcast('policies:active-changed', status),
  })
  const network = keyGuard(deps.fetch ?? globalThis.fetch)
  // While the demo endpoint is on, chat and model calls go to it with its own key;
  // the saved settings are never touched, so switching it off restores them as they were.
  let cerebras: CerebrasServices | undefined
  // Where each request went, so its run is saved with the endpoint that answered it.
  const endpoints = new RunEndpoints()
  const demo = new DemoEndpoint({
    createServer: deps.createDemoServer,
    onChange: (status) => {
      // Rate-limit figures from one endpoint say nothing about the other.
      cerebras?.rateLimits.clear()
      deps.broadcast('demo:changed', status)
    },
  })
  const cerebrasDeps = {
    getApiKey: async () => {
      const key = demo.connection() ? undefined : await vault.getKey()
      // Asked again after the await: the demo may have been switched on meanwhile.
      const demoKey = demo.connection()?.apiKey
      if (demoKey) return demoKey
      // Said before anything is sent (the guarded fetch stops it anyway).
      if (key) keyHosts.assertAllowed(settings.view().effectiveBaseUrl)
      return key
    },
    // CEREBRAS_BASE_URL overrides the saved base URL (SettingsView.effectiveBaseUrl).
    getSettings: () => ({ baseUrl: demo.connection()?.baseUrl ?? settings.view().effectiveBaseUrl, compression: settings.current.compression }),
    // Responses say whether a server is a fake or a replay (RunEndpoints).
    fetch: endpoints.observe(guardDemoFetch(network, demo)),
    policy: policies.gate,
  }
  cerebras = createCerebrasServices(cerebrasDeps)
  // The semantic injection check (llm_check) calls Cerebras from main with the app's key and endpoint.
  policies.connectJudge(cerebras)
  cerebras.rateLimits.subscribe((state) => deps.broadcast('ratelimit:changed', state))
  /** Runs made on the demo endpoint are saved as such, whoever asks to save them. */
  const markDemo = <R extends { id: string; demo?: true }>(run: R): R => (run.demo || demo.wasDemoRequest(run.id) ? { ...run, demo: true } : run)
  /** ...and every run with the endpoint its request went to. */
  const markEndpoint = <R extends RunInput>(run: R): R => endpoints.apply(markDemo(run))
  const noteEndpoint = (requestId: string) => endpoints.noteRequest(requestId, cerebrasDeps.getSettings().baseUrl)
  // Batch requests start in main: note the ones that go to the demo endpoint.
  const chat = cerebras.chat
  const batchChat: BatchChat = {
    start: (args, sink) => {
      const onDemo = demo.active
      if (onDemo && args.requestId) demo.noteRequest(args.requestId)
      if (args.requestId) noteEndpoint(args.requestId)
      const started = chat.start(args, sink)
      void started.then(
        (s) => {
          if (onDemo) demo.noteRequest(s.requestId)
          if (!args.requestId) noteEndpoint(s.requestId)
        },
        () => undefined,
      )
      return started
    },
    abort: (requestId) => chat.abort(requestId),
  }
  const compare = createCompareServices({
    db: database.db,
    chat: batchChat,
    clock: cerebras.clock,
    saveRun: (run) => {
      const saved = history.runs.saveRun(markEndpoint(policies.ledger.apply(run)))
      deps.broadcast('history:changed', { reason: 'saved', ids: [saved.id] })
    },
    readState: (key) => uiState.get(key).value,
    onError: (message) => deps.broadcast('app:notice', { level: 'warning', message }),
  })

  // In the desktop app this is the file `wafer gateway run` and `wafer audit verify` use by default
  // (both compute Electron's user-data folder, paths.ts); the web host keeps its own under its data folder.
  const gateway = new AppGateway({
    auditDb,
    env: deps.env,
    storedKey: () => vault.getKey(),
    // The endpoint the app's own requests go to (the demo's while it is on), with the app's key.
    appEndpoint: async () => {
      // The gateway's targets take msgpack and gzip together or neither: both when the app sends both.
      const compression = settings.current.compression.msgpack && settings.current.compression.gzip
      const onDemo = demo.connection()
      if (onDemo) return { baseUrl: onDemo.baseUrl, apiKey: onDemo.apiKey, endpoint: 'demo', key: 'demo', compression }
      const view = settings.view()
      return { baseUrl: view.effectiveBaseUrl, apiKey: await vault.getKey(), endpoint: view.baseUrlSource, key: (await vault.status()).source, compression }
    },
    appliedPolicy: () => policies.active.snapshot().path,
    // A policy target with the stored key and a base_url of its own is held to the same hosts; the demo's key goes only to the demo.
    fetch: guardDemoFetch(keyGuard(deps.fetch ?? createNodeHttpFetch()), demo),
    onRequest: (e) => deps.broadcast('gateway:request', e),
    onStatus: (st) => deps.broadcast('gateway:status', st),
  })

  // The Audit tab reads the app's own log, or a team's PostgreSQL log chosen in Settings.
  const auditReader = new AppAuditReader({ localFile: auditDb, dir: deps.userDataDir, backend: deps.secretBackend })

  // Three handlers are wrapped below; taking them out by name keeps any other override from passing silently.
  // A search for personal data the active policy redacts before storing runs says so (the same detector).
  const { 'history:save': saveRun, ...historyHandlers } = createHistoryHandlers({ history, broadcast: deps.broadcast, redactedSearch: policies.redactedSearch })
  // Rate-limit figures go to every window (the status bar gauges), not only the caller's.
  const {
    'chat:start': startChat,
    'chat:complete': completeChat,
    ...chatHandlers
  } = createChatHandlers({ ...cerebrasDeps, emitRateLimitsToCaller: false }, cerebras)
  const handlers: Handlers = {
    'app:info': () => ({ name: 'Wafer Console', version: deps.version, host: deps.host, platform: deps.platform }),
    'app:openExternal': async ({ url }) => {
      const parsed = parseExternalUrl(url)
      if (!parsed) throw new WaferError('bad_request', 'Only https links can be opened in the browser.')
      await deps.openExternal(parsed.toString())
      return { opened: true }
    },
    'settings:get': () => settings.view(),
    'settings:update': async (patch) => {
      const refusal = patch.baseUrl === undefined ? undefined : plainHttpRefusal(originOf(patch.baseUrl))
      if (refusal) throw new WaferError('forbidden', refusal, { reason: 'plain_http' })
      const view = await settings.update(patch)
      deps.broadcast('settings:changed', view)
      return view
    },
    'key:status': () => vault.status(),
    'key:set': async ({ key }) => {
      const status = await vault.set(key)
      deps.broadcast('key:changed', status)
      return status
    },
    'key:clear': async () => {
      const status = await vault.clear()
      deps.broadcast('key:changed', status)
      return status
    },
    // Always against the configured endpoint, never the demo: the point is to know the real key works.
    'key:test': async ({ key }) => {
      keyHosts.assertAllowed(settings.view().effectiveBaseUrl)
      return testKey({ fetch: network }, { baseUrl: settings.view().effectiveBaseUrl, apiKey: key ?? (await vault.getKey()) })
    },
    'key:hosts': () => keyHosts.view(settings.view().effectiveBaseUrl),
    'key:allow-host': async ({ host }) => {
      await keyHosts.allow(host)
      const view = keyHosts.view(settings.view().effectiveBaseUrl)
      deps.broadcast('key:hosts-changed', view)
      return view
    },
    'key:remove-host': async ({ host }) => {
      await keyHosts.remove(host)
      const view = keyHosts.view(settings.view().effectiveBaseUrl)
      deps.broadcast('key:hosts-changed', view)
      return view
    },
    'state:get': ({ key }) => uiState.get(key),
    'state:set': ({ key, value }) => uiState.set(key, value),
    'playground:draft-get': () => playgroundDraft.get(),
    'playground:draft-set': ({ draft }) => playgroundDraft.set(draft),
    ...chatHandlers,
    // Requests sent while the demo is on are remembered, so their runs are saved as demo runs.
    'chat:start': async (args, ctx) => {
      const onDemo = demo.active
      if (onDemo && args.requestId) demo.noteRequest(args.requestId)
      if (args.requestId) noteEndpoint(args.requestId)
      const started = await startChat(args, ctx)
      if (onDemo) demo.noteRequest(started.requestId)
      if (!args.requestId) noteEndpoint(started.requestId)
      return started
    },
    'chat:complete': (args, ctx) => {
      if (demo.active && args.requestId) demo.noteRequest(args.requestId)
      if (args.requestId) noteEndpoint(args.requestId)
      return completeChat(args, ctx)
    },
    ...historyHandlers,
    // Runs are saved with the policy's verdicts, the request as it was sent, whether the demo made them and the endpoint that answered.
    'history:save': (args, ctx) => saveRun({ run: markEndpoint(policies.ledger.apply(args.run)) }, ctx),
    ...createCompareHandlers({ services: compare, broadcast: deps.broadcast }),
    ...createGatewayHandlers(gateway),
    ...createAuditHandlers(auditReader),
    ...createPolicyHandlers({ services: policies, pickFile: deps.pickFile }),
    ...createDemoHandlers(demo),
  }

  return {
    handlers,
    settings,
    vault,
    database,
    cerebras,
    demo,
    async dispose() {
      await demo.stop().catch(() => undefined)
      await gateway.dispose()
      await auditReader.dispose()
      appAudit.close()
      compare.dispose()
      cerebras.chat.abortAll()
      // The daily retention would otherwise fire into the closed database.
      history.stopRetention()
      database.close()
    },
  }
}
