import { describe, expect } from 'vitest'

import { axeViolations } from '../support/axe'
import { pageWithErrors, screenshot } from '../support/browser'
import { e2eTest } from './stack'

/*
 * The test bench's attack suite through `npm run web`: the Cerebras gateway
 * template run over the generated library in a worker, the chart and tables
 * by family, the misses list filtered by keyboard, and axe on all of it.
 */

const POLL = { timeout: 60_000 }

const it = e2eTest('policies-attack', { ttftMs: 20, replyTokens: 20, tokensPerSecond: 2000 }).extend('page', { scope: 'file' }, async ({ browser, host }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, colorScheme: 'dark' })
  const page = await pageWithErrors(context)
  await page.goto(host.url)
  await page.getByTestId('nav-policies').click()
  await page.getByTestId('yaml-editor').locator('.cm-content').waitFor()
  return page
})

it.afterEach(async ({ page, task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `policies-attack-FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
})

describe('the attack suite in the test bench', () => {
  it('runs the template over the suite and shows caught, missed and wrongly flagged per family', async ({ page }) => {
    await page.getByTestId('templates').click()
    await page.getByTestId('template-cerebras-gateway').click()
    const confirm = page.getByTestId('confirm-dialog')
    if (await confirm.isVisible().catch(() => false)) await page.getByTestId('confirm-ok').click()
    await expect.poll(() => page.getByTestId('chain-list').locator('> li').count(), { timeout: 15_000 }).toBe(3)

    const run = page.getByTestId('run-attack-suite')
    await run.focus()
    await page.keyboard.press('Enter')
    const status = page.getByTestId('attack-status')
    await expect.poll(() => status.textContent(), POLL).toMatch(/^[\d,]+ of [\d,]+ attacks caught \(\d+\.\d+%\) · [\d,]+ of [\d,]+ benign prompts flagged/)
    const [caught, attacks] = (/^([\d,]+) of ([\d,]+)/.exec((await status.textContent()) ?? '') ?? []).slice(1).map((n) => Number(n.replace(/,/g, '')))
    expect(attacks).toBeGreaterThanOrEqual(2000)
    expect(caught).toBeGreaterThan(0)
    expect(caught).toBeLessThan(attacks)

    // The chart draws a bar per family and series; the table says the same in text.
    await expect.poll(() => page.getByTestId('attack-chart').locator('.recharts-bar-rectangle').count(), POLL).toBeGreaterThanOrEqual(12)
    const rows = page.getByTestId('attack-by-family').locator('tbody tr')
    expect(await rows.count()).toBe(6)
    expect(await page.getByTestId('attack-by-family').locator('tr[data-row="override"] td').first().textContent()).toMatch(/^\d+\/504$/)
    const sum = await rows.evaluateAll((trs) => trs.reduce((n, tr) => n + Number(tr.querySelector('td')!.textContent!.split('/')[0]), 0))
    expect(sum).toBe(caught)
    expect(await page.getByTestId('attack-by-language').locator('tbody tr').count()).toBe(7)

    // The misses, filtered to one family with the keyboard.
    const misses = page.getByTestId('attack-misses')
    expect(await misses.locator('li').count()).toBeGreaterThan(0)
    await page.locator('#attack-misses-family').focus()
    await page.locator('#attack-misses-family').selectOption('persona')
    await expect.poll(() => misses.locator('li').evaluateAll((lis) => [...new Set(lis.map((li) => li.getAttribute('data-family')))]), POLL).toEqual(['persona'])

    // An encoded miss shows what it decodes to, so the author sees what to write a pattern for.
    const encoded = misses.locator('li:not([data-encoding="plain"])').first()
    expect(await encoded.locator('.pol-attack-plain').textContent()).toMatch(/^Decoded: \S/)

    await page.getByTestId('attack-suite').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot(page, 'policies-attack-suite')
    await misses.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot(page, 'policies-attack-misses')
    expect(await axeViolations(page, '[data-testid="attack-suite"]')).toEqual([])
    expect(page.errors).toEqual([])
  }, 180_000)
})
