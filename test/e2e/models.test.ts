import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { FAKE_FAST_MODEL, FAKE_SLOW_MODEL } from '../../electron/main/services/demo/fake-cerebras/fake-models'
import { type AppPage, brokenAcrossLines, openApp, screenshot } from '../support/browser'
import { e2eTest, type WebStack } from './stack'

/*
 * The Models screen against the fake server: the merged, dated sources,
 * sort / filter / search, deprecations, the user's own prices, measured
 * speeds, tiers with the user's limits, the cost calculator, and the hand
 * off to Compare.
 */

const it = e2eTest('models', { replyTokens: 200, ttftMs: 60 })

type TestPage = AppPage

const openAppIn = ({ browser, host }: WebStack, colorScheme: 'dark' | 'light' = 'dark'): Promise<TestPage> => openApp(browser, host.url, { colorScheme })

async function openModels(page: Page): Promise<void> {
  await page.getByTestId('nav-models').click()
  await page.getByTestId('models-table').waitFor()
  // Both live lists have arrived.
  await expect.poll(() => page.getByTestId('source-public').textContent()).toContain('just now')
  await expect.poll(() => page.getByTestId('source-account').textContent()).toContain('callable')
}

const row = (page: Page, id: string) => page.locator(`tr.model-row[data-model="${id}"]`)
const modelIds = (page: Page) => page.locator('tr.model-row .model-id')
const ids = (page: Page) => page.locator('tr.model-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')))

describe('the Models screen against the fake server', () => {
  it('merges the dated sources into one table with search, filters, sort and deprecations', async ({ stack }) => {
    const page = await openAppIn(stack)
    // A race first, so the table has speeds "measured by you".
    await page.getByTestId('nav-compare').click()
    await page.getByTestId('lanes').waitFor()
    await page.getByTestId('lane').nth(0).getByTestId('lane-model').fill(FAKE_FAST_MODEL)
    await page.getByTestId('lane').nth(1).getByTestId('lane-model').fill(FAKE_SLOW_MODEL)
    await page.getByTestId('compare-input').fill('Measure me')
    await page.getByTestId('compare-run').click()
    await page.getByTestId('compare-stop').waitFor()
    await page.getByTestId('compare-run').waitFor({ timeout: 30_000 })

    await openModels(page)
    await expect(page.getByTestId('model-sources').textContent()).resolves.toMatch(/Bundled snapshot 2026-11-21/)
    // Models only the live lists know are in the table, marked as callable by this key.
    await expect(row(page, FAKE_FAST_MODEL).textContent()).resolves.toContain('your key')
    await expect(row(page, 'gpt-oss-120b').textContent()).resolves.toMatch(/3,000 tok\/s\s*published/)
    await expect
      .poll(() => row(page, FAKE_FAST_MODEL).getByTestId('measured-speed').textContent(), { timeout: 10_000 })
      // Measured on the endpoint in use, and named: this fake server, never pooled with other endpoints.
      .toMatch(/tok\/s measured by you on the fake server at 127\.0\.0\.1:\d+ · 1 run/)
    await expect(row(page, 'gpt-oss-120b').textContent()).resolves.toContain('$0.35')
    // Retired models stay listed, last, with their date.
    await expect(row(page, 'llama-3.3-70b').textContent()).resolves.toMatch(/retired\s*2026-02-16/)
    await screenshot(page, 'models-table')
    // Each model's id stays on one line, the longest too, in a wide window and a laptop's; the table scrolls sideways.
    expect(await brokenAcrossLines(modelIds(page))).toEqual([])
    await page.setViewportSize({ width: 1024, height: 768 })
    expect(await brokenAcrossLines(modelIds(page))).toEqual([])
    // There the table scrolls sideways, and the model's column stays in view as it does.
    const scroller = page.locator('.models-card .table-scroll')
    await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth))
    expect(await scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
    const [box, id] = await Promise.all([scroller.boundingBox(), row(page, FAKE_FAST_MODEL).locator('.model-id').boundingBox()])
    expect(id!.x).toBeGreaterThanOrEqual(box!.x)
    expect(id!.x + id!.width).toBeLessThanOrEqual(box!.x + box!.width)
    await screenshot(page, 'models-table-1024-scrolled')
    await scroller.evaluate((el) => (el.scrollLeft = 0))
    await page.setViewportSize({ width: 1440, height: 1000 })

    await page.getByTestId('models-search').fill('fake')
    await expect(ids(page)).resolves.toEqual([FAKE_FAST_MODEL, FAKE_SLOW_MODEL])
    await page.getByTestId('models-search').fill('')

    await page.getByTestId('filter-deprecated').click()
    const deprecated = await ids(page)
    expect(deprecated).toContain('llama3.1-8b')
    expect(deprecated).not.toContain('gpt-oss-120b')
    await page.getByTestId('filter-callable').click()
    const callable = await ids(page)
    expect(callable).toContain('gpt-oss-120b')
    expect(callable).toContain(FAKE_FAST_MODEL)
    expect(callable).not.toContain('llama3.1-8b')
    await page.getByTestId('filter-all').click()

    // Sorting by speed puts the fastest measured or published first; clicking again reverses.
    await page.getByTestId('sort-speed').click()
    const fastest = await ids(page)
    expect(fastest[0]).toBe('gpt-oss-120b')
    await page.getByTestId('sort-priceIn').click()
    const cheapest = await ids(page)
    expect(cheapest[0]).toBe(FAKE_FAST_MODEL) // $0.10 per 1M on the fake's public list
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('keeps the user’s own price for a model without a public one, marked as theirs', async ({ stack }) => {
    const page = await openAppIn(stack)
    await openModels(page)
    await expect(row(page, 'qwen-3.8-27b').locator('td').nth(5).textContent()).resolves.toBe('—')
    await row(page, 'qwen-3.8-27b').click()
    const details = page.getByTestId('model-details')
    await details.waitFor()
    await details.getByLabel('Your input price per 1M tokens').fill('0.5')
    await details.getByLabel('Your output price per 1M tokens').fill('1.5')
    await details.getByLabel('Note').fill('our contract')
    await details.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => row(page, 'qwen-3.8-27b').locator('td').nth(5).textContent()).toBe('$0.50yours')
    await expect(details.textContent()).resolves.toContain('yours (our contract)')
    await screenshot(page, 'models-override')

    await page.reload()
    await openModels(page)
    await expect(row(page, 'qwen-3.8-27b').locator('td').nth(6).textContent()).resolves.toBe('$1.50yours')
    await expect(page.getByTestId('model-sources').textContent()).resolves.toContain('Your prices')

    // The calculator uses it: 1M in + 1M out.
    await page.getByTestId('models-tab-cost').click()
    await page.getByTestId('calc-input-tokens').fill('1000000')
    await page.getByTestId('calc-output-tokens').fill('1000000')
    const calc = page.getByTestId('calc-table')
    await expect(calc.locator('tr[data-model="qwen-3.8-27b"]').getByTestId('cost-per-call').textContent()).resolves.toBe('$2.00')
    await expect(calc.locator('tr[data-model="gpt-oss-120b"]').getByTestId('cost-per-call').textContent()).resolves.toBe('$1.10')
    await expect(calc.locator('tr[data-model="gpt-oss-120b"] td').nth(3).textContent()).resolves.toBe('$1,100')
    // A pasted prompt is counted with each family's tokenizer.
    await page.getByTestId('calc-mode-prompt').click()
    await page.getByTestId('calc-prompt').fill('The quick brown fox jumps over the lazy dog. '.repeat(20))
    await expect.poll(() => calc.locator('tr[data-model="gpt-oss-120b"] td').nth(1).textContent(), { timeout: 15_000 }).toMatch(/^\d{3}o200k_harmony/)
    await screenshot(page, 'models-cost')

    // Removing it brings back "no price".
    await page.getByTestId('models-tab-models').click()
    await row(page, 'qwen-3.8-27b').click()
    await page.getByTestId('model-details').getByRole('button', { name: 'Remove' }).click()
    await expect.poll(() => row(page, 'qwen-3.8-27b').locator('td').nth(5).textContent()).toBe('—')
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('shows published tier limits next to the user’s own from the rate-limit headers', async ({ stack }) => {
    const page = await openAppIn(stack)
    await openModels(page)
    await page.getByTestId('models-tab-tiers').click()
    const panel = page.getByTestId('tiers-panel')
    await panel.getByLabel('Model for limits').selectOption(FAKE_FAST_MODEL)
    // The first test's race sent requests, so the headers are known.
    const text = await panel.textContent()
    expect(text).toContain('from headers')
    expect(text).toContain('matches yours')
    const perDay = panel.locator('tr', { hasText: 'Requests / day' })
    await expect(perDay.locator('td').nth(0).textContent()).resolves.toBe('14.4k')
    await expect(perDay.locator('td').nth(3).textContent()).resolves.toMatch(/^[\d,]+ of 14\.4k left/)
    await screenshot(page, 'models-tiers')
    await page.context().close()
  })

  it('adds a model to Compare from its row', async ({ stack }) => {
    const page = await openAppIn(stack, 'light')
    await openModels(page)
    await row(page, 'gpt-oss-120b').click()
    await screenshot(page, 'models-light')
    await page.getByTestId('compare-zai-glm-4.7').click()
    await page.getByTestId('lanes').waitFor()
    await expect.poll(() => page.getByTestId('lane-model').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toContain('zai-glm-4.7')
    await screenshot(page, 'compare-light')
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('opens a model in the playground from its row', async ({ stack }) => {
    const page = await openAppIn(stack, 'dark')
    await openModels(page)
    await page.getByTestId('playground-zai-glm-4.7').click()
    await page.getByTestId('model-input').first().waitFor()
    await expect.poll(() => page.getByTestId('model-input').first().inputValue()).toBe('zai-glm-4.7')
    expect(page.errors).toEqual([])
    await page.context().close()
  })
})
