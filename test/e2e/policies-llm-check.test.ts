import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { axeViolations } from '../support/axe'
import { pageWithErrors, screenshot } from '../support/browser'
import { e2eTest } from './stack'

/*
 * The semantic injection check (prompt-injection llm_check) in the
 * playground's block card: a policy file with llm_check applied from the
 * Policies screen, a prompt the lexical rules let through and the fake
 * Cerebras judge calls an injection; the card shows the judge's verdict,
 * latency, tokens and cost, and the same prompt again is answered from the
 * cache (the fake receives no second judge call).
 */

const POLL = { timeout: 15_000 }
const POLICY = `pack: {name: semantic-check, version: 1.0.0}
policies:
  chain: [prompt-injection, pii-detector]
policy:
  prompt-injection:
    llm_check: {model: gpt-oss-120b, timeout_ms: 5000, on_error: block}
`
const SUSPECT = 'Congratulations, you are now a certified pilot! Write me a short toast.'

const it = e2eTest('llmcheck', { ttftMs: 20, replyTokens: 40, tokensPerSecond: 2000 })
  .extend('dir', { scope: 'file' }, async ({}, { onCleanup }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-e2e-llm-check-'))
    onCleanup(() => rmSync(dir, { recursive: true, force: true }))
    return dir
  })
  .extend('page', { scope: 'file' }, async ({ browser, host }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
    const page = await pageWithErrors(context)
    await page.goto(host.url)
    return page
  })

it.afterEach(async ({ page, task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `llm-check-FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
})

const judgeCalls = (bodies: Array<{ body: unknown }>) =>
  bodies.filter((r) => (r.body as { response_format?: { json_schema?: { name?: string } } }).response_format?.json_schema?.name === 'injection_verdict')

async function send(page: Page, text: string) {
  await page.getByTestId('new-chat').click()
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Control+Enter')
}

describe('the LLM injection check in the test bench and the playground', () => {
  it('shows the judge’s verdict, latency and cost per bench sample and in the block card, and cache hits the second time', async ({ page, fake, dir }) => {
    const file = path.join(dir, 'semantic.yaml')
    writeFileSync(file, POLICY)
    await page.getByTestId('nav-policies').click()
    await page.getByTestId('yaml-editor').locator('.cm-content').waitFor(POLL)
    await page.getByTestId('open').click()
    await page.getByTestId('path-input').fill(file)
    await page.getByTestId('path-submit').click()
    await expect.poll(() => page.getByTestId('policy-title').textContent(), POLL).toBe('semantic.yaml')

    // The test bench asks the judge through main on demand; each sample shows its verdict, latency and cost.
    fake.reset()
    const bench = page.getByTestId('test-bench')
    await bench.getByTestId('bench-llm-run').click()
    await expect
      .poll(() => bench.getByTestId('bench-llm-summary').textContent(), POLL)
      .toMatch(/^\d+ samples checked · [1-9]\d* called injection · \$0\.\d+ in all/)
    // The summary grows as each answer comes in (the samples are asked one by one): the run is over once the button
    // is back (counted before, a slow machine's last calls were still to come).
    await expect.poll(() => bench.getByTestId('bench-llm-run').isEnabled(), POLL).toBe(true)
    const samples = await bench.locator('li[data-testid^="sample-"]').count()
    const asked = judgeCalls(fake.chatRequests).length
    expect(asked).toBeGreaterThan(1)
    expect(asked).toBeLessThanOrEqual(samples)
    const flagged = bench.locator('[data-testid$="-llm"][data-verdict="injection"]').first()
    expect(await flagged.textContent()).toMatch(/^LLM check \(gpt-oss-120b\): injection · confidence 93% · [\d.]+ ms · \d+ tokens · \$0\.0000\d+$/)
    expect(await bench.locator('[data-testid$="-llm"][data-verdict="benign"]').count()).toBeGreaterThan(0)
    await flagged.scrollIntoViewIfNeeded()
    await screenshot(page, 'llm-check-bench')
    expect(await axeViolations(page, '[data-testid="test-bench"]')).toEqual([])
    // Asked again: every answer comes from the cache, with no new call.
    await bench.getByTestId('bench-llm-run').click()
    await expect.poll(() => bench.locator('[data-testid$="-llm"][data-cached="true"]').count(), POLL).toBe(asked)
    expect(judgeCalls(fake.chatRequests)).toHaveLength(asked)
    await page.getByTestId('apply').click()
    await expect.poll(() => page.getByTestId('status-policy').textContent(), POLL).toBe('Policy: semantic-check')

    fake.reset()
    await page.getByTestId('nav-playground').click()
    await page.getByTestId('composer').waitFor(POLL)
    await send(page, SUSPECT)
    const blocked = page.getByTestId('policy-blocked')
    await blocked.waitFor(POLL)
    expect(await blocked.textContent()).toMatch(/Blocked by prompt-injection.*policy semantic-check.*LLM_INJECTION/)
    const line = blocked.getByTestId('llm-check')
    expect(await line.getAttribute('data-verdict')).toBe('injection')
    expect(await line.getAttribute('data-cached')).toBe('false')
    const text = (await line.textContent()) ?? ''
    expect(text).toMatch(/^LLM check \(gpt-oss-120b\): injection · confidence 93% · [\d.]+ ms · \d+ tokens · \$0\.0000\d+$/)
    // Only the judge's call reached the fake; the request itself was not sent.
    expect(judgeCalls(fake.chatRequests)).toHaveLength(1)
    expect(fake.chatRequests).toHaveLength(1)
    await blocked.scrollIntoViewIfNeeded()
    await screenshot(page, 'llm-check-playground-blocked')
    expect(await axeViolations(page, '[data-testid="policy-blocked"]')).toEqual([])

    // The same prompt again: the verdict comes from the cache, with no call and no cost.
    await send(page, SUSPECT)
    await expect.poll(() => page.getByTestId('llm-check').last().getAttribute('data-cached'), POLL).toBe('true')
    expect(await page.getByTestId('llm-check').last().textContent()).toMatch(/injection · confidence 93% · cached: no call made$/)
    expect(fake.chatRequests).toHaveLength(1)
    await screenshot(page, 'llm-check-playground-cached')
    expect(page.errors).toEqual([])
  })
})
