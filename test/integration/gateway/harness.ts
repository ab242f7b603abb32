import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { type GatewayStartOptions, type StartedGateway, startGateway } from '@main/services/gateway/start'

export const TEST_KEY_ENV = 'WAFER_TEST_UPSTREAM_KEY'

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'wafer-gw-'))
}

/** Write a policy file into a fresh directory and start a gateway on a free loopback port. */
export async function gatewayWith(yaml: string, opts: Partial<GatewayStartOptions> = {}): Promise<StartedGateway & { dir: string; auditDb: string }> {
  const dir = tempDir()
  const file = path.join(dir, 'policy-config.yaml')
  writeFileSync(file, yaml)
  const auditDb = path.join(dir, 'audit', 'audit.db')
  const started = await startGateway({
    listen: '127.0.0.1:0',
    policyConfigs: [file],
    failMode: 'block',
    maxConcurrency: 16,
    auditDb,
    secrets: { env: { [TEST_KEY_ENV]: 'csk-upstream-test-key' } },
    ...opts,
  })
  return Object.assign(started, { dir, auditDb })
}

export function policyYaml(
  targets: string,
  chain = '[prompt-injection, pii-detector, audit-logger]',
  fallback = 'fallback: {strategy: ordered, max_retries: 1, retry_on: [5xx, timeout, rate_limit]}',
): string {
  return `pack: {name: test-gateway, version: 0.1.0, enabled: true}
policies:
  chain: ${chain}
policy:
  prompt-injection:
    response: {action: block}
  pii-detector:
    action: redact
  audit-logger: {immutable: true, retention_days: 365}
providers:
  targets:
${targets}
  ${fallback}
`
}

export function target(id: string, model: string, baseUrl: string): string {
  return `    - id: ${id}
      provider: cerebras:chat:${model}
      base_url: ${baseUrl}
      secret_key_ref: {env: ${TEST_KEY_ENV}}`
}

/** A server that accepts connections and never answers: an upstream that times out. */
export async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(() => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
