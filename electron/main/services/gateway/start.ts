import { promises as fsp } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'

import type { AuditSink } from '../audit'
import { auditDisplay, type AuditLocation, auditLocation, isPostgresUrl } from '../audit/postgres/url'
import { CerebrasClient, type ConnectionConfig } from '../cerebras/cerebras-client'
import { createNodeHttpFetch } from '../cerebras/node-http-fetch'
import { createInjectionJudge, llmCheckSettings } from '../policies/llm-judge'
import { normalizeOrigin } from './browser-guard'
import type { LoadedConfig, ResolvedTarget } from './config'
import { GatewayConfigError, loadGatewayConfig, resolveTargets, type SecretLookup } from './config'
import { Gateway, type GatewayPolicySet } from './gateway'
import { createGatewayPolicy } from './policy-adapter'
import { readPolicyFile } from './policy-file-read'
import { PolicyPool } from './policy-pool'
import { watchPolicyFiles } from './policy-watch'
import type { RequestLog } from './request-log'
import { otlpTracesUrl } from './tracing'

export interface GatewayStartOptions {
  listen: string
  policyConfigs: string[]
  failMode: 'block' | 'allow'
  maxConcurrency: number
  authToken?: string
  insecureNoAuth?: boolean
  /** Web origins allowed to call the gateway from a browser (empty: none). */
  allowOrigins?: string[]
  /** The audit log: an SQLite file, or a postgres:// URL; used when the chain has audit-logger. */
  auditDb: string
  /** A PostgreSQL log's key file (`--audit-key-file`); every replica writing the log needs the same one. */
  auditKeyFile?: string
  /** A file each signed audit checkpoint's head is also appended to (`--witness`), kept where the log's holder cannot rewrite it. */
  auditWitness?: string
  secrets: SecretLookup
  fetch?: typeof fetch
  maxBodyBytes?: number
  /** Requests that may wait for a slot, and for how long (see Gateway). */
  maxQueue?: number
  queueTimeoutMs?: number
  /** Deadlines for a client's request headers and body (408). */
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  upstreamTimeoutMs?: number
  log?: RequestLog
  /**
   * Turn on prompt-injection's LLM check through this (fast) model on the first Cerebras target,
   * overriding the model of a policy file's llm_check (whose timeout_ms and on_error still apply).
   */
  injectionLlmModel?: string
  warn?: (line: string) => void
  /** Send a trace of each request to this OTLP/HTTP collector (`--otlp-endpoint`); the OpenTelemetry SDK loads only then. */
  otlpEndpoint?: string
  /**
   * Reload the policy when a policy file is saved (default true): new
   * requests get the new policy, running ones (streams too) finish on theirs,
   * and a file that does not load leaves the running policy in place.
   */
  watchPolicy?: boolean
  /** Quiet time after a save before the files are read (default 200 ms): an editor's several writes make one reload. */
  reloadDebounceMs?: number
  /** Told of each reload: the new summary, or why the files were refused. */
  onReload?: (reload: PolicyReload) => void
}

/** How a reload of the policy files went. */
export type PolicyReload =
  | { ok: true; at: number; files: string[]; summary: string[] }
  | { ok: false; at: number; files: string[]; error: string; findings: GatewayConfigError['findings'] }

export interface StartedGateway {
  gateway: Gateway
  url: string
  /** The audit log's writer (read the file with openAuditLog); opened by the first chain with audit-logger. */
  readonly audit: AuditSink | undefined
  /** Lines worth printing at start-up (targets, chain, warnings), kept current across reloads. */
  summary: string[]
  /** The last reload, if any. */
  readonly lastReload: PolicyReload | null
  /** Read the policy files again now, as a save does. */
  reload(): Promise<PolicyReload>
  stop(deadlineMs?: number): Promise<void>
}

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen.trim()) ?? /^()()(\d+)$/.exec(listen.trim())
  if (!m) throw new GatewayConfigError(`--listen must be HOST:PORT (e.g. 127.0.0.1:41002), got '${listen}'.`)
  const host = m[1] || m[2] || '127.0.0.1'
  const port = Number(m[3])
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GatewayConfigError(`--listen has an invalid port: ${m[3]}`)
  return { host, port }
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1'
  return false
}

/**
 * The audit log: a postgres:// (or postgresql://) URL, checked, or the
 * SQLite file's absolute path; or a start-up error saying why the value is
 * neither: another URL (without this, postgres://h/db once became a folder
 * named "postgres:" holding an SQLite file), nothing at all, or a NUL.
 * Whether its folder can be made is checked when the log opens.
 */
export function auditDbFile(value: string): string {
  const v = value.trim()
  if (!v) throw new GatewayConfigError('--audit-db is empty; give the path of the audit log file (an SQLite file), e.g. ./audit/audit.db.')
  let where: AuditLocation
  try {
    where = auditLocation(v)
  } catch (err) {
    throw new GatewayConfigError((err as Error).message)
  }
  if (where.kind === 'postgres') return where.url
  if (v.includes('\0')) throw new GatewayConfigError('--audit-db contains a NUL character.')
  if (v.endsWith('/') || v.endsWith(path.sep))
    throw new GatewayConfigError(`--audit-db ${v} names a folder; give the path of the audit log file in it, e.g. ${path.join(v, 'audit.db')}.`)
  return path.resolve(v)
}

/** Makes the audit log's folder (a PostgreSQL log has none); a start-up error naming it and why when it cannot be made. */
async function prepareAuditFolder(file: string): Promise<void> {
  if (isPostgresUrl(file)) return
  const dir = path.dirname(file)
  try {
    await fsp.mkdir(dir, { recursive: true })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why =
      e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file stands in its way' : e.message
    throw new GatewayConfigError(`Cannot create the audit log's folder ${dir}: ${why}.`)
  }
  const st = await fsp.stat(file).catch(() => undefined)
  if (st?.isDirectory())
    throw new GatewayConfigError(`--audit-db ${file} is a folder; give the path of the audit log file in it, e.g. ${path.join(file, 'audit.db')}.`)
}

/**
 * Everything `wafer gateway run` and the app's Gateway screen do to start a
 * gateway: load and layer the config, resolve keys (a missing variable is a
 * start-up error naming it), open the audit log when the chain asks for it,
 * and listen — refusing a non-loopback address without a token. Saving a
 * policy file reloads it (watchPolicy).
 */
export async function startGateway(opts: GatewayStartOptions): Promise<StartedGateway> {
  const { host, port } = parseListen(opts.listen)
  const auditDb = auditDbFile(opts.auditDb)
  const files = opts.policyConfigs.map((f) => path.resolve(f))
  const fixed: string[] = []
  const allowOrigins = (opts.allowOrigins ?? []).map((o) => {
    try {
      return normalizeOrigin(o)
    } catch (err) {
      throw new GatewayConfigError(`--allow-origin: ${(err as Error).message}`)
    }
  })
  if (allowOrigins.length) fixed.push(`web origins allowed: ${allowOrigins.join(', ')}`)
  if (!isLoopback(host)) {
    if (!opts.authToken && !opts.insecureNoAuth) {
      throw new GatewayConfigError(
        `Listening on ${host} exposes the gateway beyond this machine. Give --auth-token T (clients send Authorization: Bearer T), or --insecure-no-auth if you really mean it.`,
      )
    }
    opts.warn?.(
      opts.authToken
        ? `Warning: listening on non-loopback address ${host}; clients must send the auth token.`
        : `Warning: listening on non-loopback address ${host} WITHOUT authentication (--insecure-no-auth). Anyone who can reach it can use your API keys.`,
    )
  }
  let tracesUrl: string | undefined
  if (opts.otlpEndpoint) {
    try {
      tracesUrl = otlpTracesUrl(opts.otlpEndpoint)
    } catch (err) {
      throw new GatewayConfigError((err as Error).message)
    }
    const shown = new URL(tracesUrl)
    fixed.push(`traces: OTLP/HTTP (JSON) → ${shown.origin}${shown.pathname}`)
  }
  // node:http rather than Node's fetch for upstream calls: ~0.35 ms less per request (see node-http-fetch.ts).
  const upstreamFetch = opts.fetch ?? createNodeHttpFetch()
  const client = new CerebrasClient({ fetch: upstreamFetch })
  if (opts.injectionLlmModel) fixed.push(`prompt-injection LLM check: ${opts.injectionLlmModel}`)

  // The audit log opens with the first chain that has audit-logger (at start, or a reload), and stays open until stop.
  let audit: AuditSink | undefined
  let auditSettings = ''
  let pruneTimer: NodeJS.Timeout | undefined
  const auditFor = async (config: LoadedConfig['config']): Promise<{ sink: AuditSink | undefined; note?: string }> => {
    if (!(config.policies.chain ?? []).includes('audit-logger')) return { sink: undefined }
    const cfg = (config.policy?.['audit-logger'] ?? {}) as { retention_days?: number; log_all_access?: boolean; hipaa_audit_controls?: boolean }
    const settings = JSON.stringify([cfg.retention_days ?? 365, cfg.log_all_access ?? false, cfg.hipaa_audit_controls ?? false])
    if (audit) return { sink: audit, note: settings === auditSettings ? undefined : 'audit-logger settings take effect when the gateway restarts' }
    await prepareAuditFolder(auditDb)
    const logOptions = {
      file: auditDb,
      retentionDays: cfg.retention_days ?? 365,
      logAllAccess: cfg.log_all_access ?? false,
      // HIPAA audit controls: fsync every commit, at some cost in throughput.
      durability: cfg.hipaa_audit_controls ? ('full' as const) : ('normal' as const),
      actor: 'gateway',
      ...(opts.auditWitness ? { witnessFile: path.resolve(opts.auditWitness) } : {}),
      ...(opts.auditKeyFile ? { keyFile: path.resolve(opts.auditKeyFile) } : {}),
    }
    // Loaded only for a chain with audit-logger. The log itself (libsql) loads
    // in the writer thread, and in this one only when that thread cannot run.
    const { openAuditWriter } = await import('../audit/writer-thread')
    const inThread = async () => {
      const { inThreadSink, openAuditLog } = await import('../audit')
      return inThreadSink(openAuditLog(logOptions))
    }
    // Commits run on a writer thread, off the thread that serves requests.
    const sink = await openAuditWriter({ ...logOptions, warn: opts.warn, onError: (m) => opts.warn?.(`audit log: ${m}`) }, inThread)
    sink.prune()
    pruneTimer = setInterval(() => sink.prune(), 6 * 60 * 60 * 1000)
    pruneTimer.unref()
    audit = sink
    auditSettings = settings
    return { sink }
  }

  /** Reads, layers and compiles the policy files into a set the gateway can serve (its worker pool with it). */
  const load = async (): Promise<{ set: GatewayPolicySet; pool: PolicyPool; text: string; note?: string }> => {
    const texts: string[] = []
    const loaded = await loadGatewayConfig(files, async (f) => {
      const text = await readPolicyFile(f)
      texts.push(text)
      return text
    })
    const targets = resolveTargets(loaded.config, opts.secrets)
    // prompt-injection's llm_check (or --injection-llm-model): the app's judge (cache, timeout, on_error) on the first Cerebras target.
    const judge = llmCheckSettings(loaded.config, opts.injectionLlmModel) ? judgeVia(client, targets) : undefined
    // Large requests are scanned on worker threads, so the server keeps answering (policy-pool.ts).
    const pool = new PolicyPool(loaded.config)
    try {
      const policy = createGatewayPolicy(loaded.config, { judge, llmModel: opts.injectionLlmModel, pool })
      const { sink, note } = await auditFor(loaded.config)
      return { set: { config: loaded, targets, policy, audit: sink }, pool, text: texts.join('\0'), note }
    } catch (err) {
      await pool.close()
      throw err
    }
  }

  let current
  try {
    current = await load()
  } catch (err) {
    await audit?.close()
    if (pruneTimer) clearInterval(pruneTimer)
    throw err
  }
  let pool = current.pool
  let loadedText = current.text

  // The OpenTelemetry SDK loads only for --otlp-endpoint: without it, start-up time and memory stay as they were.
  const tracer = tracesUrl ? (await import('./otel-tracer')).createOtelTracer({ url: tracesUrl, warn: opts.warn }) : undefined
  const gateway = new Gateway({
    ...current.set,
    client,
    tracer,
    fetch: upstreamFetch,
    failMode: opts.failMode,
    maxConcurrency: opts.maxConcurrency,
    authToken: opts.authToken,
    allowOrigins,
    maxBodyBytes: opts.maxBodyBytes,
    maxQueue: opts.maxQueue,
    queueTimeoutMs: opts.queueTimeoutMs,
    headersTimeoutMs: opts.headersTimeoutMs,
    bodyTimeoutMs: opts.bodyTimeoutMs,
    upstreamTimeoutMs: opts.upstreamTimeoutMs,
    log: opts.log,
  })
  let running
  try {
    running = await gateway.start(host, port)
  } catch (err) {
    if (pruneTimer) clearInterval(pruneTimer)
    await audit?.close()
    await pool.close()
    await tracer?.shutdown()
    throw err
  }

  const summary: string[] = []
  const describe = (set: GatewayPolicySet, note?: string) => {
    const chain = set.config.config.policies.chain ?? []
    summary.splice(
      0,
      summary.length,
      `policy chain: ${chain.join(' → ') || '(none)'}`,
      ...set.targets.map(
        (t, i) => `${i === 0 ? 'primary ' : 'fallback'} ${t.id}: ${t.provider}${t.model ? ` (${t.model})` : ''} → ${t.baseUrl} [key ${t.keySource}]`,
      ),
      `fallback: ${gateway.router.strategy}, max_retries ${gateway.router.maxRetries}, retry_on ${[...gateway.router.retryOn].join(', ')}`,
      ...set.config.warnings.map((w) => `warning: ${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`),
      ...(note ? [`warning: ${note}`] : []),
      ...fixed,
      ...(audit
        ? [`audit log: ${auditDisplay(auditDb)}${opts.auditWitness ? ` (checkpoint heads witnessed in ${path.resolve(opts.auditWitness)})` : ''}`]
        : []),
    )
  }
  describe(current.set)

  // ---- hot reload: a saved policy file serves new requests; running ones finish on the policy they started with
  let stopped = false
  let lastReload: PolicyReload | null = null
  /** Pools of replaced policies, closed once their last request has ended (or at stop). */
  const retiring = new Set<PolicyPool>()
  const report = (r: PolicyReload): PolicyReload => {
    lastReload = r
    opts.onReload?.(r)
    return r
  }
  const reloadNow = async (): Promise<PolicyReload> => {
    const at = Date.now()
    let next
    try {
      next = await load()
    } catch (err) {
      return report({
        ok: false,
        at,
        files,
        error: err instanceof Error ? err.message : String(err),
        findings: err instanceof GatewayConfigError ? err.findings : [],
      })
    }
    if (stopped || next.text === loadedText) {
      await next.pool.close()
      // The same text again (a touch, or a broken save put back): nothing to swap; a refusal before it is over.
      return lastReload && !lastReload.ok && !stopped ? report({ ok: true, at, files, summary: [...summary] }) : { ok: true, at, files, summary: [...summary] }
    }
    const replaced = pool
    pool = next.pool
    loadedText = next.text
    retiring.add(replaced)
    void gateway
      .reload(next.set)
      .then(() => replaced.close())
      .finally(() => retiring.delete(replaced))
    describe(next.set, next.note)
    return report({ ok: true, at, files, summary: [...summary] })
  }
  // One reload at a time, in the order asked.
  let queue: Promise<unknown> = Promise.resolve()
  const reload = (): Promise<PolicyReload> => {
    const r = queue.then(reloadNow)
    queue = r.catch(() => undefined)
    return r
  }
  const watcher =
    opts.watchPolicy === false
      ? undefined
      : watchPolicyFiles(files, () => void reload(), {
          debounceMs: opts.reloadDebounceMs ?? 200,
          onError: (m) => opts.warn?.(m),
        })

  return {
    gateway,
    url: running.url,
    get audit() {
      return audit
    },
    summary,
    get lastReload() {
      return lastReload
    },
    reload,
    async stop(deadlineMs = 10_000) {
      stopped = true
      watcher?.close()
      if (pruneTimer) clearInterval(pruneTimer)
      await gateway.stop(deadlineMs)
      // The last requests' spans go out before the process may end.
      await tracer?.shutdown()
      await queue
      await Promise.all([pool.close(), ...[...retiring].map((p) => p.close())])
      await audit?.close()
    },
  }
}

/** The LLM injection check's judge, calling through the first Cerebras target's endpoint and key. */
function judgeVia(client: CerebrasClient, targets: ResolvedTarget[]) {
  const t = targets.find((x) => x.compression) ?? targets[0]
  const connection: ConnectionConfig = { baseUrl: t.baseUrl, apiKey: t.apiKey, compression: { msgpack: t.compression, gzip: t.compression } }
  return createInjectionJudge({ client, connection: async () => connection })
}
