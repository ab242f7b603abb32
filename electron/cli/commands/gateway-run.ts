import { defaultAuditDbPath, defaultAuditKeyFile } from '../../main/paths'
import { memoryReducingGc, startIdleMemoryTrim } from '../../main/services/idle-memory-trim'
import type { Command } from '../command'
import { intFlag, parseFlags } from '../flags'

const USAGE = `wafer gateway run --policy-config F [--policy-config G …] [options]

  --listen HOST:PORT        where to listen (default 127.0.0.1:41002)
  --policy-config F         a policy-config.yaml; repeat to layer files (later ones override)
  --fail-mode block|allow   when a policy itself fails: refuse the request (default) or let it through
  --max-concurrency N       requests handled at once, counted once their body has arrived (default 16)
  --max-queue N             requests that may wait for a slot past that; more get 429 (default 4 × max-concurrency)
  --queue-timeout-ms N      how long a request may wait for a slot before it gets 429 (default 5000)
  --body-timeout-ms N       time a client has to send its body once its headers are in; 408 after (default 30000)
  --auth-token T            require Authorization: Bearer T (required for non-loopback --listen)
  --insecure-no-auth        allow a non-loopback --listen without a token (not recommended)
  --allow-origin ORIGIN     a web origin (e.g. http://localhost:5173) whose pages may call the gateway;
                            repeatable; requests from any other browser origin get 403 (default: none)
  --audit-db FILE|URL       the audit log: an SQLite file, or postgres://user:password@host:port/database
                            for one log shared by a fleet of gateways
                            (default: $WAFER_AUDIT_DB, else <user data>/audit/audit.db)
  --audit-key-file FILE     a PostgreSQL log's key file (MAC, signing and findings key); every replica
                            needs the same one (default: $WAFER_AUDIT_KEY_FILE, else
                            <user data>/audit/postgres-<host>-<port>-<database>.key); made when the
                            first writer creates the log and it is missing
  --witness FILE            also append each signed audit checkpoint's head to FILE; keep it (or a copy)
                            where the log's holder cannot rewrite it, and check with
                            \`wafer audit verify --witness FILE\`
  --max-body-bytes N        largest request body (default 4 MiB)
  --upstream-timeout-ms N   time to the upstream's response headers before falling back (default 30000)
  --shutdown-deadline-ms N  on SIGINT/SIGTERM, how long running streams may finish (default 10000)
  --injection-llm-model M   also ask model M (e.g. a fast Cerebras model) for a strict JSON injection verdict; overrides the
                            model of the policy's prompt-injection llm_check, which otherwise turns the check on (off by default)
  --otlp-endpoint URL       send a trace of each request (OpenTelemetry, OTLP/HTTP JSON) to this collector,
                            e.g. http://127.0.0.1:4318 (its /v1/traces); off by default

GET /metrics (Prometheus), /healthz (alive) and /readyz (can serve) answer on the same address,
behind the same checks as the API (Host, Origin, --auth-token); see docs/metrics.md.

Saving a policy file reloads it: new requests get the new policy, requests and streams
already running finish on the old one, and a file with errors leaves the old one running.`

interface Args {
  listen: string
  policyConfigs: string[]
  failMode: 'block' | 'allow'
  maxConcurrency: number
  authToken?: string
  insecureNoAuth: boolean
  allowOrigins: string[]
  auditDb?: string
  auditKeyFile?: string
  auditWitness?: string
  maxBodyBytes?: number
  maxQueue?: number
  queueTimeoutMs?: number
  bodyTimeoutMs?: number
  upstreamTimeoutMs?: number
  shutdownDeadlineMs: number
  injectionLlmModel?: string
  otlpEndpoint?: string
}

function parse(argv: string[]): Args | string {
  const flags = parseFlags(argv, {
    values: [
      'listen',
      'fail-mode',
      'max-concurrency',
      'auth-token',
      'injection-llm-model',
      'audit-db',
      'audit-key-file',
      'witness',
      'max-body-bytes',
      'max-queue',
      'queue-timeout-ms',
      'body-timeout-ms',
      'upstream-timeout-ms',
      'shutdown-deadline-ms',
      'otlp-endpoint',
    ],
    lists: ['policy-config', 'allow-origin'],
    booleans: ['insecure-no-auth'],
  })
  if (flags.error) return flags.error
  const v = flags.values
  const failMode = v['fail-mode'] ?? 'block'
  if (failMode !== 'block' && failMode !== 'allow') return '--fail-mode is block or allow'
  const ints: Record<string, number | undefined> = {}
  for (const [name, min] of [
    ['max-concurrency', 1],
    ['max-body-bytes', 1024],
    ['max-queue', 0],
    ['queue-timeout-ms', 1],
    ['body-timeout-ms', 100],
    ['upstream-timeout-ms', 1],
    ['shutdown-deadline-ms', 0],
  ] as const) {
    const n = intFlag(flags, name, min)
    if (typeof n === 'string') return n
    ints[name] = n
  }
  const policyConfigs = flags.lists['policy-config'] ?? []
  if (!policyConfigs.length) return 'give at least one --policy-config FILE'
  return {
    listen: v.listen ?? '127.0.0.1:41002',
    policyConfigs,
    failMode,
    maxConcurrency: ints['max-concurrency'] ?? 16,
    authToken: v['auth-token'],
    insecureNoAuth: flags.booleans.has('insecure-no-auth'),
    allowOrigins: flags.lists['allow-origin'] ?? [],
    auditDb: v['audit-db'],
    auditKeyFile: v['audit-key-file'],
    auditWitness: v.witness,
    maxBodyBytes: ints['max-body-bytes'],
    maxQueue: ints['max-queue'],
    queueTimeoutMs: ints['queue-timeout-ms'],
    bodyTimeoutMs: ints['body-timeout-ms'],
    upstreamTimeoutMs: ints['upstream-timeout-ms'],
    shutdownDeadlineMs: ints['shutdown-deadline-ms'] ?? 10_000,
    injectionLlmModel: v['injection-llm-model'],
    otlpEndpoint: v['otlp-endpoint'],
  }
}

const command: Command = {
  name: 'gateway run',
  usage: USAGE,
  async run(argv, io) {
    const args = parse(argv)
    if (typeof args === 'string') {
      io.stderr(`wafer gateway run: ${args}\n\nUsage: ${USAGE}\n`)
      return 2
    }
    // The gateway (zod, yaml, the policy engine…) loads only now, not for --help or a bad flag.
    const [{ startGateway }, { GatewayConfigError }, { auditLocation }] = await Promise.all([
      import('../../main/services/gateway/start'),
      import('../../main/services/gateway/config'),
      import('../../main/services/audit/postgres/url'),
    ])
    /** Whether the value is a well-formed PostgreSQL URL (a bad one is refused, saying why, when the gateway starts). */
    const namesPostgresLog = (value: string): boolean => {
      try {
        return auditLocation(value).kind === 'postgres'
      } catch {
        return false
      }
    }
    let started
    const auditDb = args.auditDb ?? defaultAuditDbPath(io.env)
    try {
      started = await startGateway({
        ...args,
        auditDb,
        auditKeyFile: args.auditKeyFile ?? (namesPostgresLog(auditDb) ? defaultAuditKeyFile(auditDb, io.env) : undefined),
        secrets: { env: io.env },
        warn: (l) => io.stderr(l + '\n'),
        onReload: (r) => {
          const at = new Date(r.at).toLocaleTimeString()
          if (r.ok) {
            io.stdout(`${at} policy reloaded from ${r.files.join(', ')}\n`)
            for (const line of r.summary) io.stdout(`  ${line}\n`)
          } else io.stderr(`${at} policy not reloaded; the previous policy keeps running: ${r.error}\n`)
        },
      })
    } catch (err) {
      io.stderr(`wafer gateway run: ${err instanceof Error ? err.message : String(err)}\n`)
      return err instanceof GatewayConfigError ? 2 : 1
    }
    io.stdout(`Wafer gateway listening on ${started.url}\n`)
    for (const line of started.summary) io.stdout(`  ${line}\n`)
    // A gateway idles most of its life: give back what start-up and each burst of requests grew.
    const gc = memoryReducingGc()
    const trim = gc && startIdleMemoryTrim({ gc, busy: () => started.gateway.inFlight > 0 })
    return new Promise<number>((resolve) => {
      let stopping = false
      const stop = (signal: string) => {
        if (stopping) return
        stopping = true
        trim?.stop()
        io.stdout(`${signal}: stopping (running streams may finish for ${args.shutdownDeadlineMs} ms)…\n`)
        void started.stop(args.shutdownDeadlineMs).then(
          () => {
            io.stdout('Gateway stopped; audit log flushed.\n')
            resolve(0)
          },
          (err: unknown) => {
            io.stderr(`wafer gateway run: shutdown failed: ${(err as Error).message}\n`)
            resolve(1)
          },
        )
      }
      process.once('SIGINT', () => stop('SIGINT'))
      process.once('SIGTERM', () => stop('SIGTERM'))
    })
  },
}

export default command
