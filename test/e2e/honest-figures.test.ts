import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { FAKE_FAST_MODEL, FAKE_SLOW_MODEL } from '../../electron/main/services/demo/fake-cerebras/fake-models'
import { CACHE_BLOCK_TOKENS } from '../../electron/main/services/demo/fake-cerebras/prompt-cache'
import { axeViolations } from '../support/axe'
import { type AppPage, openApp, screenshot } from '../support/browser'
import { e2eTest } from './stack'

/*
 * Honest figures, as a user sees them against the fake Cerebras server: a
 * 2-token answer's speeds are "—" with the reason (no "47,192 tok/s"), a
 * follow-up that repeats the prompt shows its cached prompt tokens, priced
 * at the input rate and saying so, and Compare's race chart tells the same
 * story as the lanes' chips.
 */

const POLL = { timeout: 15_000 }
const it = e2eTest('honest', { ttftMs: 60, replyTokens: 120, tokensPerSecond: 1500 }).extend('page', { scope: 'file' }, async ({ host, browser }) =>
  openApp(browser, host.url, { acceptDownloads: false }),
)

/** A system prompt of several 128-token cache blocks (~4 characters a token in the fake). */
const SYSTEM = Array.from({ length: 70 }, (_, i) => `Rule ${i + 1}: answer in plain words and name your source.`).join(' ')

const chip = (scope: Locator, id: string) => scope.locator(`[data-chip="${id}"]`)
const chipValue = (scope: Locator, id: string) => chip(scope, id).locator('.pg-chip-value').textContent()

async function send(page: Page, text: string): Promise<Locator> {
  const before = await page.getByTestId('assistant-message').count()
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Control+Enter')
  await expect.poll(() => page.getByTestId('assistant-message').count(), POLL).toBe(before + 1)
  await expect.poll(() => page.getByTestId('run-outcome').getAttribute('data-status'), POLL).toBe('done')
  // The pane's figures are the latest run's.
  const chips = page.getByTestId('run-outcome').getByTestId('metric-chips')
  await chips.waitFor(POLL)
  return chips
}

describe('honest figures', () => {
  it('shows "—" with the reason for the speeds of a 2-token answer, keyboard and screen reader included', async ({ page, fake }) => {
    await page.getByTestId('nav-playground').click()
    await page.getByTestId('composer').waitFor()
    // `echo:` makes the fake say the text back in 5-character tokens: "Hi th", "ere".
    const chips = await send(page, 'echo: Hi there')
    expect(fake.chatRequests.at(-1)!.sent.content).toBe('Hi there')
    await expect(chipValue(chips, 'out')).resolves.toMatch(/^2\b/)
    for (const id of ['decode', 'client']) {
      await expect(chipValue(chips, id)).resolves.toBe('—')
      await expect(chip(chips, id).getAttribute('data-withheld')).resolves.toBe('true')
      // The reason is in the tooltip, and in the chip's text for screen readers.
      await expect(chip(chips, id).getAttribute('title')).resolves.toContain('Not shown: only 2 tokens. A speed needs at least 16')
      await expect(chip(chips, id).getByTestId('why-withheld').textContent()).resolves.toContain('only 2 tokens')
    }
    // What could be measured honestly still shows.
    await expect(chipValue(chips, 'ttft')).resolves.not.toBe('—')
    expect(await chipValue(chips, 'in')).toMatch(/^\d+$/)
    expect(await chips.textContent()).not.toMatch(/\d{2},\d{3} tok\/s/)

    // The withheld chip takes keyboard focus and shows its reason.
    await chip(chips, 'decode').focus()
    await expect
      .poll(
        () =>
          chip(chips, 'decode')
            .getByTestId('why-withheld')
            .evaluate((e) => e.getBoundingClientRect().width),
        POLL,
      )
      .toBeGreaterThan(50)
    await screenshot(page, 'honest-two-token-answer')
    const violations = await axeViolations(page, '[data-testid="metric-chips"]')
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    await page.getByTestId('composer').focus()
  })

  it('shows cached prompt tokens on a follow-up that repeats the prompt, priced at the input rate and saying so', async ({ page, fake }) => {
    await page.getByTestId('new-chat').click()
    await page.getByTestId('system-toggle').click()
    await page.getByTestId('system-input').fill(SYSTEM)
    const first = await send(page, 'Which rule comes first?')
    await expect(chipValue(first, 'cached')).resolves.toBe('0')

    const chips = await send(page, 'And which comes last?')
    const sent = fake.chatRequests.at(-1)!
    expect((sent.body as { messages: unknown[] }).messages).toHaveLength(4)
    const cached = Number((await chipValue(chips, 'cached'))!.replace(/,/g, ''))
    const prompt = Number((await chipValue(chips, 'in'))!.replace(/,/g, ''))
    // The system prompt and the first turn were sent before: whole 128-token blocks of them are cached.
    expect(cached).toBeGreaterThanOrEqual(4 * CACHE_BLOCK_TOKENS)
    expect(cached % CACHE_BLOCK_TOKENS).toBe(0)
    expect(cached).toBeLessThan(prompt)
    await expect(chip(chips, 'cached').getAttribute('title')).resolves.toMatch(/priced at the input rate: Cerebras publishes no discount/)
    await expect(chip(chips, 'cost').getAttribute('title')).resolves.toMatch(/Cached prompt tokens are priced at the input rate/)
    await expect(chipValue(chips, 'cost')).resolves.toMatch(/^\$0\.0/)
    await chips.scrollIntoViewIfNeeded()
    await screenshot(page, 'honest-cached-tokens')
  })

  it('Compare: the race chart’s legend gives each lane the total time and tokens its chips show', async ({ host, browser }) => {
    const page: AppPage = await openApp(browser, host.url)
    await page.getByTestId('nav-compare').click()
    await page.getByTestId('lanes').waitFor()
    const lanes = page.getByTestId('lane')
    await lanes.nth(0).getByTestId('lane-model').fill(FAKE_FAST_MODEL)
    await lanes.nth(1).getByTestId('lane-model').fill(FAKE_SLOW_MODEL)
    await page.getByTestId('compare-input').fill('Race to the finish line')
    await page.getByTestId('compare-run').click()
    await page.getByTestId('compare-stop').waitFor()
    await page.getByTestId('compare-run').waitFor({ timeout: 30_000 })

    const legend = page.getByTestId('race-legend')
    await expect.poll(() => legend.locator('[data-final="true"]').count(), POLL).toBe(2)
    for (const model of [FAKE_FAST_MODEL, FAKE_SLOW_MODEL]) {
      const lane = page.locator(`[data-testid="lane"][data-model="${model}"]`)
      const laneId = await lane.getAttribute('data-lane')
      const total = await lane.locator('[data-chip="totalMs"] .chip-value').textContent()
      const tokens = await lane.locator('[data-chip="tokens"] .chip-value').textContent()
      const entry = (await legend.locator(`[data-lane="${laneId}"]`).textContent())!.replace(/\s+/g, ' ')
      expect(entry).toContain(`${tokens} tokens in ${total}`)
    }
    // The line ends where the legend says: its last point is at the lane's total time.
    await expect.poll(() => page.getByTestId('race-chart').locator('path.recharts-curve.recharts-line-curve').count(), POLL).toBe(2)
    const violations = await axeViolations(page, '[data-testid="lanes"]')
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    await page.getByTestId('race-chart').scrollIntoViewIfNeeded()
    await screenshot(page, 'honest-compare-race')
    await page.context().close()
  })
})
