import { promises as fsp } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'

import { buildInjectionCheckRequest, parseInjectionVerdict } from '@shared/policy'

import type { AuditSink } from '../audit'
import { auditDisplay, type AuditLocation, auditLocation, isPostgresUrl } from '../audit/postgres/url'
import { CerebrasClient } from '../cerebras/cerebras-client'
import { createNodeHttpFetch } from '../cerebras/node-http-fetch'
import { normalizeOrigin } from './browser-guard'
import type { ResolvedTarget } from './config'
import { GatewayConfigError, loadGatewayConfig, resolveTargets, type SecretLookup } from './config'
import { Gateway } from './gateway'
import { createGatewayPolicy, type LlmCheckCaller } from './policy-adapter'
import { readPolicyFile } from './policy-file-read'
import { PolicyPool } from './policy-pool'
import type { RequestLog } from './request-log'

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
  llmCheck?: LlmCheckCaller
  /** Turn on prompt-injection's LLM check through this (fast) model on the first Cerebras target. */
  injectionLlmModel?: string
  warn?: (line: string) => void
}

export interface StartedGateway {
  gateway: Gateway
  url: string
  /** The audit log's writer (read the file with openAuditLog). */
  audit: AuditSink | undefined
  /** Lines worth printing at start-up (targets, chain, warnings). */
  summary: string[]
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
 * and listen — refusing a non-loopback address without a token.
 */
export async function startGateway(opts: GatewayStartOptions): Promise<StartedGateway> {
  const { host, port } = parseListen(opts.listen)
  const auditDb = auditDbFile(opts.auditDb)
  const summary: string[] = []
  const allowOrigins = (opts.allowOrigins ?? []).map((o) => {
    try {
      return normalizeOrigin(o)
    } catch (err) {
      throw new GatewayConfigError(`--allow-origin: ${(err as Error).message}`)
    }
  })
  if (allowOrigins.length) summary.push(`web origins allowed: ${allowOrigins.join(', ')}`)
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
  const loaded = await loadGatewayConfig(
    opts.policyConfigs.map((f) => path.resolve(f)),
    (f) => readPolicyFile(f),
  )
  const targets = resolveTargets(loaded.config, opts.secrets)
  const chain = loaded.config.policies.chain ?? []
  // node:http rather than Node's fetch for upstream calls: ~0.35 ms less per request (see node-http-fetch.ts).
  const client = new CerebrasClient({ fetch: opts.fetch ?? createNodeHttpFetch() })
  const llmCheck = opts.llmCheck ?? (opts.injectionLlmModel ? llmCheckVia(client, targets, opts.injectionLlmModel) : undefined)
  if (opts.injectionLlmModel) summary.push(`prompt-injection LLM check: ${opts.injectionLlmModel}`)
  // Large requests are scanned on worker threads, so the server keeps answering (policy-pool.ts).
  const pool = new PolicyPool(loaded.config)
  const policy = createGatewayPolicy(loaded.config, { llmCheck, pool })

  let audit: AuditSink | undefined
  if (chain.includes('audit-logger')) {
    const cfg = (loaded.config.policy?.['audit-logger'] ?? {}) as { retention_days?: number; log_all_access?: boolean; hipaa_audit_controls?: boolean }
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
    audit = await openAuditWriter({ ...logOptions, warn: opts.warn, onError: (m) => opts.warn?.(`audit log: ${m}`) }, inThread)
    audit.prune()
    summary.push(`audit log: ${auditDisplay(auditDb)}${opts.auditWitness ? ` (checkpoint heads witnessed in ${path.resolve(opts.auditWitness)})` : ''}`)
  }
  const pruneTimer = audit ? setInterval(() => audit!.prune(), 6 * 60 * 60 * 1000) : undefined
  pruneTimer?.unref()

  const gateway = new Gateway({
    config: loaded,
    targets,
    policy,
    client,
    audit,
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
    await audit?.close()
    await pool.close()
    throw err
  }
  summary.unshift(
    `policy chain: ${chain.join(' → ') || '(none)'}`,
    ...targets.map(
      (t, i) => `${i === 0 ? 'primary ' : 'fallback'} ${t.id}: ${t.provider}${t.model ? ` (${t.model})` : ''} → ${t.baseUrl} [key ${t.keySource}]`,
    ),
    `fallback: ${gateway.router.strategy}, max_retries ${gateway.router.maxRetries}, retry_on ${[...gateway.router.retryOn].join(', ')}`,
    ...loaded.warnings.map((w) => `warning: ${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`),
  )
  return {
    gateway,
    url: running.url,
    audit,
    summary,
    async stop(deadlineMs = 10_000) {
      if (pruneTimer) clearInterval(pruneTimer)
      await gateway.stop(deadlineMs)
      await pool.close()
      await audit?.close()
    },
  }
}

/**
 * The optional LLM injection check: a strict-JSON verdict from a fast model,
 * called through the first Cerebras target's endpoint and key.
 */
function llmCheckVia(client: CerebrasClient, targets: ResolvedTarget[], model: string): LlmCheckCaller {
  const t = targets.find((x) => x.compression) ?? targets[0]
  const conn = { baseUrl: t.baseUrl, apiKey: t.apiKey, compression: { msgpack: t.compression, gzip: t.compression } }
  let n = 0
  return async (input) => {
    const body = buildInjectionCheckRequest(input, model)
    const r = await client.complete(conn, body as unknown as Record<string, unknown>, {
      requestId: `gw-llm-check-${++n}`,
      signal: input.signal ?? new AbortController().signal,
    })
    const content = (r.data as { choices?: Array<{ message?: { content?: string } }> }).choices?.[0]?.message?.content ?? ''
    return parseInjectionVerdict(content)
  }
}
