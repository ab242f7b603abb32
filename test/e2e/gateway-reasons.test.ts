import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

import OpenAI from 'openai'
import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { callBridge } from '../support/bridge'
import { screenshot } from '../support/browser'
import { e2eTest } from './stack'

/** A loopback port nothing listens on: the upstream that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}
const deadPort = await closedPort()
const dead = `http://127.0.0.1:${deadPort}`

const it = e2eTest(
  'gateway-reasons',
  { ttftMs: 10, tokensPerSecond: 5000, replyTokens: 20 },
  // The app's key goes only to hosts the user allowed: both targets are.
  (upstream) => ({ CEREBRAS_API_KEY: 'csk-e2e-gateway-reasons-key', WAFER_ALLOWED_HOSTS: `${upstream} ${dead}` }),
)
  /** The in-app gateway, started over the bridge (the start form is another test's business): `fake-slow` goes to a dead target, `fake-fast` to the fake. */
  .extend('gatewayUrl', { scope: 'file' }, async ({ fake, host }, { onCleanup }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-e2e-gw-reasons-'))
    const policyFile = path.join(dir, 'policy-config.yaml')
    writeFileSync(
      policyFile,
      `pack: {name: e2e-gateway-reasons, version: 0.1.0, enabled: true}
policies:
  chain: [prompt-injection]
policy:
  prompt-injection:
    response: {action: block}
providers:
  targets:
    - id: fake-primary
      provider: cerebras:chat:fake-fast
      base_url: ${fake.baseUrl}
      secret_key_ref: {env: CEREBRAS_API_KEY}
    - id: gone
      provider: cerebras:chat:fake-slow
      base_url: ${dead}/v1
      secret_key_ref: {env: CEREBRAS_API_KEY}
  fallback: {max_retries: 0}
`,
    )
    const status = await callBridge(host, 'gateway:start', { listen: '127.0.0.1:0', policyConfigs: [policyFile] })
    onCleanup(async () => {
      await callBridge(host, 'gateway:stop', {})
    })
    return status.url!
  })
  .extend('page', { scope: 'file' }, async ({ browser, host }): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'dark' })).newPage()
    await page.goto(host.url)
    await page.getByTestId('nav-gateway').click()
    return page
  })

describe('the Gateway screen says why a request failed', () => {
  it('shows the reason on the row of every request that did not succeed', async ({ fake, gatewayUrl, page }) => {
    const client = new OpenAI({ baseURL: gatewayUrl, apiKey: 'unused', maxRetries: 0 })
    const ask = (model: string) =>
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello through the app gateway' }] }).then(
        () => 200,
        (e: InstanceType<typeof OpenAI.APIError>) => e.status,
      )
    expect(await ask('fake-fast')).toBe(200)
    fake.queuedFaults.push('model_not_found')
    expect(await ask('fake-fast')).toBe(404)
    expect(await ask('fake-slow')).toBe(502)

    const rows = page.getByTestId('gateway-log').locator('tbody tr')
    await expect.poll(() => rows.count()).toBe(3)
    // Newest first.
    const reasons = await page.getByTestId('gateway-log-reason').allTextContents()
    expect(reasons[0]).toBe(
      `upstream_unreachable: Could not reach upstream target gone (127.0.0.1:${deadPort}): connection refused (connect ECONNREFUSED 127.0.0.1:${deadPort}).`,
    )
    expect(reasons[1]).toBe('model_not_found: Model fake-fast does not exist or you do not have access to it.')
    expect(reasons[2]).toBe('—')
    expect(await rows.nth(0).locator('td.num.bad').textContent()).toBe('502')
    expect(await rows.nth(1).locator('td.num.bad').textContent()).toBe('404')
    await screenshot(page, 'gateway-request-reasons')
  })
})
