import { GatewayConfigError } from '../../main/services/gateway/config'
import { startGateway } from '../../main/services/gateway/start'
import { defaultAuditDbPath } from '../../main/paths'
import type { Command } from '../command'

const USAGE = `wafer gateway run --policy-config F [--policy-config G …] [options]

  --listen HOST:PORT        where to listen (default 127.0.0.1:41002)
  --policy-config F         a policy-config.yaml; repeat to layer files (later ones override)
  --fail-mode block|allow   when a policy itself fails: refuse the request (default) or let it through
  --max-concurrency N       requests handled at once; more get 429 (default 16)
  --auth-token T            require Authorization: Bearer T (required for non-loopback --listen)
  --insecure-no-auth        allow a non-loopback --listen without a token (not recommended)
  --audit-db FILE           the audit log (default: $WAFER_AUDIT_DB, else <user data>/audit/audit.db)
  --max-body-bytes N        largest request body (default 4 MiB)
  --upstream-timeout-ms N   time to the upstream's response headers before falling back (default 30000)
  --shutdown-deadline-ms N  on SIGINT/SIGTERM, how long running streams may finish (default 10000)
  --injection-llm-model M   also ask model M (e.g. a fast Cerebras model) for a strict JSON injection verdict (off by default)`

interface Args {
  listen: string
  policyConfigs: string[]
  failMode: 'block' | 'allow'
  maxConcurrency: number
  authToken?: string
  insecureNoAuth: boolean
  auditDb?: string
  maxBodyBytes?: number
  upstreamTimeoutMs?: number
  shutdownDeadlineMs: number
  injectionLlmModel?: string
}

function parse(argv: string[]): Args | string {
  const a: Args = { listen: '127.0.0.1:41002', policyConfigs: [], failMode: 'block', maxConcurrency: 16, insecureNoAuth: false, shutdownDeadlineMs: 10_000 }
  const num = (flag: string, v: string | undefined, min: number): number | string => {
    const n = Number(v)
    return v !== undefined && Number.isInteger(n) && n >= min ? n : `${flag} needs a whole number ≥ ${min}`
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const v = argv[i + 1]
    const take = () => {
      i++
      return v
    }
    switch (flag) {
      case '--listen':
        if (!v) return '--listen needs HOST:PORT'
        a.listen = take()!
        break
      case '--policy-config':
        if (!v) return '--policy-config needs a file'
        a.policyConfigs.push(take()!)
        break
      case '--fail-mode':
        if (v !== 'block' && v !== 'allow') return '--fail-mode is block or allow'
        a.failMode = take() as 'block' | 'allow'
        break
      case '--max-concurrency': {
        const n = num(flag, take(), 1)
        if (typeof n === 'string') return n
        a.maxConcurrency = n
        break
      }
      case '--auth-token':
        if (!v) return '--auth-token needs a value'
        a.authToken = take()
        break
      case '--injection-llm-model':
        if (!v) return '--injection-llm-model needs a model id'
        a.injectionLlmModel = take()
        break
      case '--insecure-no-auth':
        a.insecureNoAuth = true
        break
      case '--audit-db':
        if (!v) return '--audit-db needs a file'
        a.auditDb = take()
        break
      case '--max-body-bytes': {
        const n = num(flag, take(), 1024)
        if (typeof n === 'string') return n
        a.maxBodyBytes = n
        break
      }
      case '--upstream-timeout-ms': {
        const n = num(flag, take(), 1)
        if (typeof n === 'string') return n
        a.upstreamTimeoutMs = n
        break
      }
      case '--shutdown-deadline-ms': {
        const n = num(flag, take(), 0)
        if (typeof n === 'string') return n
        a.shutdownDeadlineMs = n
        break
      }
      default:
        return `unknown argument '${flag}'`
    }
  }
  if (!a.policyConfigs.length) return 'give at least one --policy-config FILE'
  return a
}

export const command: Command = {
  name: 'gateway run',
  summary: 'Run a local OpenAI-compatible gateway that enforces a policy-config.yaml',
  usage: USAGE,
  async run(argv, io) {
    const args = parse(argv)
    if (typeof args === 'string') {
      io.stderr(`wafer gateway run: ${args}\n\nUsage: ${USAGE}\n`)
      return 2
    }
    let started
    try {
      started = await startGateway({
        ...args,
        auditDb: args.auditDb ?? defaultAuditDbPath(io.env),
        secrets: { env: io.env },
        warn: (l) => io.stderr(l + '\n'),
      })
    } catch (err) {
      io.stderr(`wafer gateway run: ${err instanceof Error ? err.message : String(err)}\n`)
      return err instanceof GatewayConfigError ? 2 : 1
    }
    io.stdout(`Wafer gateway listening on ${started.url}\n`)
    for (const line of started.summary) io.stdout(`  ${line}\n`)
    return new Promise<number>((resolve) => {
      let stopping = false
      const stop = (signal: string) => {
        if (stopping) return
        stopping = true
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
