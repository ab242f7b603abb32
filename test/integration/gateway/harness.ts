import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { FakeCerebras, type FakeCerebrasOptions } from '@main/services/demo/fake-cerebras/server'
import { type GatewayStartOptions, type StartedGateway, startGateway } from '@main/services/gateway/start'
import { test } from 'vitest'

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

export type TestGateway = Awaited<ReturnType<typeof gatewayWith>>

/**
 * `it` for gateway tests whose fake upstream answers with `fakeOptions`:
 * `fake` is one upstream shared by the file, `upstream` its base URL;
 * `startGateway(yaml, opts, stopMs)` starts a gateway of the test's own, stopped
 * (with `stopMs` for running streams to finish) when the test ends, passed or failed.
 * A file that shares one gateway adds it with `sharedGateway`.
 */
export function gatewayTest(fakeOptions: FakeCerebrasOptions) {
  return test
    .extend('fake', { scope: 'file' }, async ({}, { onCleanup }) => {
      const fake = new FakeCerebras(fakeOptions)
      await fake.start()
      onCleanup(() => fake.stop())
      return fake
    })
    .extend('upstream', { scope: 'file' }, async ({ fake }) => fake.baseUrl)
    .extend('startGateway', async ({}, { onCleanup }) => {
      const started: { gw: TestGateway; stopMs: number }[] = []
      onCleanup(async () => {
        for (const { gw, stopMs } of started) await gw.stop(stopMs)
      })
      return async (yaml: string, opts: Partial<GatewayStartOptions> = {}, stopMs = 500): Promise<TestGateway> => {
        const gw = await gatewayWith(yaml, opts)
        started.push({ gw, stopMs })
        return gw
      }
    })
}

/**
 * A `gw` fixture for `gatewayTest(...).extend('gw', { scope: 'file' }, sharedGateway(...))`:
 * one gateway for the whole file, started from the policy `yaml(upstream)` gives
 * and stopped (with `stopMs` for running streams) when the file ends.
 */
export function sharedGateway(yaml: (upstream: string) => string, opts: Partial<GatewayStartOptions> = {}, stopMs = 500) {
  return async ({ upstream }: { upstream: string }, { onCleanup }: { onCleanup: (fn: () => Promise<void> | void) => void }): Promise<TestGateway> => {
    const gw = await gatewayWith(yaml(upstream), opts)
    onCleanup(() => gw.stop(stopMs))
    return gw
  }
}

/** Resolves once `check` holds, polling every 20 ms; throws after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
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
