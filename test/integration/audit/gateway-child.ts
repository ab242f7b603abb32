// A gateway with audit-logger in its chain, run as its own process for the
// write-ahead crash test: node --import tsx gateway-child.ts <dir>
// Starts a fake Cerebras upstream and the gateway (its audit log written by
// the writer thread, as `wafer gateway run` does), then prints `url <URL>`.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { startGateway } from '@main/services/gateway/start'

const dir = process.argv[2]
const upstream = new FakeCerebras({ ttftMs: 2, tokensPerSecond: 5000, replyTokens: 20 })
const base = await upstream.start()
const policy = join(dir, 'policy-config.yaml')
writeFileSync(
  policy,
  `pack: {name: crash, version: 0.1.0, enabled: true}
policies:
  chain: [prompt-injection, pii-detector, audit-logger]
policy:
  audit-logger: {immutable: true, retention_days: 365}
providers:
  targets:
    - id: fake
      provider: cerebras:chat:llama3.1-8b
      base_url: ${base}
      secret_key_ref: {env: CRASH_KEY}
`,
)
const gw = await startGateway({
  listen: '127.0.0.1:0',
  policyConfigs: [policy],
  failMode: 'block',
  maxConcurrency: 64,
  auditDb: join(dir, 'audit.db'),
  auditWitness: join(dir, 'witness.jsonl'),
  secrets: { env: { CRASH_KEY: 'csk-crash-test' } },
  warn: (l) => process.stderr.write(l + '\n'),
})
process.stdout.write(`url ${gw.url}\n`)
process.once('SIGTERM', () => {
  void gw.stop(2000).then(async () => {
    await upstream.stop()
    process.exit(0)
  })
})
