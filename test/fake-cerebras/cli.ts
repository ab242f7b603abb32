// npm run fake-cerebras -- [--port 8787] [--tps 3000] [--ttft-ms 120] [--tokens 120] [--keys k1,k2] [--done] [--firehose] [--reject-encoded 415]
// Runs the fake Cerebras server in the foreground so the app can be tried end to end without a real key.
import { FAKE_FAST_MODEL, FAKE_SLOW_MODEL, RETIRED_MODEL } from '../../electron/main/services/demo/fake-cerebras/fake-models'
import { FAULT_KINDS } from '../../electron/main/services/demo/fake-cerebras/faults'
import { FakeCerebras, type FakeCerebrasOptions } from '../../electron/main/services/demo/fake-cerebras/server'

function parseArgs(argv: string[]): FakeCerebrasOptions & { help?: boolean } {
  const opts: FakeCerebrasOptions & { help?: boolean } = {}
  const value = (i: number, flag: string) => {
    const v = argv[i + 1]
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`)
    return v
  }
  const num = (i: number, flag: string) => {
    const n = Number(value(i, flag))
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    switch (a) {
      case '--port':
        opts.port = num(i++, a)
        break
      case '--host':
        opts.host = value(i++, a)
        break
      case '--tps':
        opts.tokensPerSecond = num(i++, a)
        break
      case '--ttft-ms':
        opts.ttftMs = num(i++, a)
        break
      case '--tokens':
        opts.replyTokens = num(i++, a)
        break
      case '--keys':
        opts.apiKeys = value(i++, a).split(',').filter(Boolean)
        break
      case '--done':
        opts.sendDoneMarker = true
        break
      case '--no-split':
        opts.splitEvents = false
        break
      case '--firehose':
        opts.firehose = true
        break
      case '--reject-encoded': {
        const s = num(i++, a)
        if (s !== 400 && s !== 415) throw new Error('--reject-encoded must be 400 or 415')
        opts.rejectEncoded = s
        break
      }
      case '--help':
      case '-h':
        opts.help = true
        break
      default:
        throw new Error(`Unknown option ${a} (try --help)`)
    }
  }
  if (opts.tokensPerSecond === 0) throw new Error('--tps must be above 0')
  return opts
}

const usage = `fake-cerebras: a local Cerebras Inference API for trying Wafer Console without a key.

  --port N            port (default 8787; 0 picks one)
  --tps N             tokens/s for catalog models (default: each model's published speed)
  --ttft-ms N         time to first token (default 120)
  --tokens N          answer length when max_completion_tokens does not cut it (default 120)
  --keys a,b          accept only these API keys (default: any key)
  --done              end streams with data: [DONE] (real streams do not)
  --no-split          never split an event across writes
  --firehose          stream as fast as possible (benchmarks)
  --reject-encoded S  answer S (400|415) to msgpack/gzip bodies

Models: the live catalog, ${FAKE_FAST_MODEL} and ${FAKE_SLOW_MODEL} (fixed speeds), ${RETIRED_MODEL} answers 404.
Faults: header x-fake-fault: <kind>[?k=v] or model "fault/<kind>[?k=v]"; kinds: ${FAULT_KINDS.join(', ')}.`

let opts: ReturnType<typeof parseArgs>
try {
  opts = parseArgs(process.argv.slice(2))
} catch (err) {
  console.error(`fake-cerebras: ${(err as Error).message}`)
  process.exit(2)
}
if (opts.help) {
  console.log(usage)
  process.exit(0)
}

const server = new FakeCerebras({ port: 8787, ...opts, log: (l) => console.error(l) })
try {
  const baseUrl = await server.start()
  // The first stdout line is the base URL, so scripts (and the bench) can read it.
  console.log(baseUrl)
  console.error(`fake-cerebras listening: set the base URL (Settings, or CEREBRAS_BASE_URL) to ${baseUrl} and use any API key.`)
} catch (err) {
  console.error(`fake-cerebras: could not listen: ${(err as Error).message}`)
  process.exit(1)
}

const shutdown = () => {
  void server.stop().finally(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
