import { readFileSync } from 'node:fs'

import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { FAKE_FAST_MODEL, FAKE_SLOW_MODEL, RETIRED_MODEL } from '../../electron/main/services/demo/fake-cerebras/fake-models'
import { storedState } from '../support/bridge'
import { type AppPage, openApp, screenshot } from '../support/browser'
import { e2eTest, type WebStack } from './stack'

/*
 * Compare against the fake Cerebras server: a race of a fast and a slow
 * model, a retired model's 404 in one lane while the others finish, a blind
 * vote, repeat runs, and a batch with assertions.
 */

const it = e2eTest('compare', { replyTokens: 360, ttftMs: 80 })
const POLL = { timeout: 15_000 }
/** Where main keeps the Compare setup (renderer/src/features/compare/lanes.ts SETUP_KEY). */
const SETUP = 'compare.setup'

type TestPage = AppPage

async function openCompare({ browser, host }: WebStack): Promise<TestPage> {
  const page = await openApp(browser, host.url, { acceptDownloads: true })
  await page.getByTestId('nav-compare').click()
  await page.getByTestId('lanes').waitFor()
  return page
}

const lanes = (page: Page) => page.getByTestId('lane')

async function setLaneModels(page: Page, models: string[]): Promise<void> {
  // Counted only once the lanes are there, and again after each click: a count taken too early adds a lane too many.
  await lanes(page).first().waitFor()
  for (let n = await lanes(page).count(); n !== models.length; n += n < models.length ? 1 : -1) {
    if (n < models.length) await page.getByTestId('add-lane').click()
    else await lanes(page).last().getByTitle('Remove this lane').click()
    await expect.poll(() => lanes(page).count(), { timeout: 15_000 }).toBe(n < models.length ? n + 1 : n - 1)
  }
  for (let i = 0; i < models.length; i++) await lanes(page).nth(i).getByTestId('lane-model').fill(models[i])
}

async function runAndWait(page: Page, input: string): Promise<void> {
  await page.getByTestId('compare-input').fill(input)
  await page.getByTestId('compare-run').click()
  await page.getByTestId('compare-stop').waitFor()
  await page.getByTestId('compare-run').waitFor({ timeout: 30_000 })
}

function laneFor(page: Page, model: string): Locator {
  return page.locator(`[data-testid="lane"][data-model="${model}"]`)
}

describe('Compare against the fake server', () => {
  it('races two models of different speeds: the faster is highlighted and the race chart shows both', async ({ stack, fake }) => {
    const page = await openCompare(stack)
    await setLaneModels(page, [FAKE_SLOW_MODEL, FAKE_FAST_MODEL])
    await runAndWait(page, 'Why does streaming speed matter for a console?')

    const fast = laneFor(page, FAKE_FAST_MODEL)
    const slow = laneFor(page, FAKE_SLOW_MODEL)
    await expect(fast.getByTestId('lane-output').textContent()).resolves.toMatch(/\w+/)
    await expect(slow.getByTestId('lane-output').textContent()).resolves.toMatch(/\w+/)
    // Each lane shows exactly what the server streamed to it (painted piece by piece as it arrived).
    const words = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim()
    for (const [model, lane] of [
      [FAKE_FAST_MODEL, fast],
      [FAKE_SLOW_MODEL, slow],
    ] as const) {
      const sent = fake.chatRequests.findLast((r) => r.body?.model === model)!.sent.content
      await expect.poll(async () => words(await lane.getByTestId('lane-output').textContent())).toBe(words(sent))
    }
    // Decode speed and total time: the fast model wins both, and only it is highlighted.
    await expect(fast.locator('[data-chip="decodeTokensPerSec"]').getAttribute('data-best')).resolves.toBe('true')
    await expect(slow.locator('[data-chip="decodeTokensPerSec"]').getAttribute('data-best')).resolves.toBe('false')
    await expect(fast.locator('[data-chip="totalMs"]').getAttribute('data-best')).resolves.toBe('true')
    const fastRate = Number((await fast.locator('[data-chip="decodeTokensPerSec"] .chip-value').textContent())!.replace(/\D/g, ''))
    const slowRate = Number((await slow.locator('[data-chip="decodeTokensPerSec"] .chip-value').textContent())!.replace(/\D/g, ''))
    expect(fastRate).toBeGreaterThan(slowRate * 2)
    // Server token counts replace the live estimate once done.
    await expect(fast.getByTestId('lane-tokens').textContent()).resolves.toBe('360 tokens')

    const chart = page.getByTestId('race-chart')
    await expect.poll(() => chart.getAttribute('data-lanes')).toBe('2')
    await expect.poll(() => chart.locator('path.recharts-curve.recharts-line-curve').count()).toBe(2)
    const legend = await chart.getByTestId('race-legend').textContent()
    expect(legend).toContain(FAKE_FAST_MODEL)
    expect(legend).toContain(FAKE_SLOW_MODEL)
    // The fake answers the same input with the same words whatever the model: nothing differs.
    await page.getByTestId('diff-open').click()
    await expect(page.getByTestId('diff-view').textContent()).resolves.toMatch(/−0 only in Lane \d · fake-(fast|slow) · \+0 only in/)
    await chart.scrollIntoViewIfNeeded()
    await screenshot(page, 'compare-race')

    // Each lane's run went to the fake server with its own model, together.
    const sent = fake.chatRequests.slice(-2).map((r) => r.body?.model)
    expect(sent.sort()).toEqual([FAKE_FAST_MODEL, FAKE_SLOW_MODEL].sort())
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('remembers the lanes and the layout, and continues the conversation in every lane', async ({ stack, fake, host }) => {
    const page = await openCompare(stack)
    await setLaneModels(page, [FAKE_FAST_MODEL, FAKE_SLOW_MODEL])
    await page.getByTestId('layout-rows').click()
    // The setup is saved shortly after a change: wait until main has it.
    await expect.poll(() => storedState(host, SETUP), POLL).toContain('"layout":"rows"')
    await page.reload()
    await page.getByTestId('nav-compare').click()
    await page.getByTestId('lanes').waitFor()
    await expect(lanes(page).nth(0).getByTestId('lane-model').inputValue()).resolves.toBe(FAKE_FAST_MODEL)
    await expect(lanes(page).nth(1).getByTestId('lane-model').inputValue()).resolves.toBe(FAKE_SLOW_MODEL)
    await expect(page.getByTestId('layout-rows').getAttribute('aria-pressed')).resolves.toBe('true')

    await runAndWait(page, 'First question')
    await runAndWait(page, 'Second question')
    const last = fake.chatRequests.slice(-2)
    for (const r of last) {
      const messages = (r.body?.messages ?? []) as Array<{ role: string; content: string }>
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
      expect(messages[0].content).toBe('First question')
      expect(messages[2].content).toBe('Second question')
    }
    await page.getByTestId('layout-columns').click()
    // Leaving the screen saves the setup at once.
    await page.getByTestId('nav-models').click()
    await expect.poll(() => storedState(host, SETUP), POLL).toContain('"layout":"columns"')
    await page.context().close()
  })

  it('shows the recovery hint in a retired model’s lane while the other lanes finish', async ({ stack }) => {
    const page = await openCompare(stack)
    await setLaneModels(page, [RETIRED_MODEL, FAKE_FAST_MODEL, FAKE_SLOW_MODEL])
    const retired = laneFor(page, RETIRED_MODEL)
    // The catalog knows it is retired before anything is sent.
    await expect(retired.getByTestId('deprecation-warning').textContent()).resolves.toContain('gpt-oss-120b')
    await runAndWait(page, 'Hello from three lanes')

    const error = retired.getByTestId('lane-error')
    await expect(error.getAttribute('data-code')).resolves.toBe('model_not_found')
    const text = (await error.textContent())!
    expect(text).toContain(`Model ${RETIRED_MODEL} does not exist`)
    expect(text).toContain('retired on 2026-05-27')
    expect(text).toContain('This key can call:')
    await expect(retired.getByTestId('use-suggestion').textContent()).resolves.toContain('gpt-oss-120b')
    for (const model of [FAKE_FAST_MODEL, FAKE_SLOW_MODEL]) {
      const lane = laneFor(page, model)
      await expect(lane.getByTestId('lane-error').count()).resolves.toBe(0)
      await expect(lane.locator('[data-chip="tokens"] .chip-value').textContent()).resolves.toBe('360')
    }
    await expect.poll(() => page.getByTestId('race-chart').getAttribute('data-lanes')).toBe('2')
    await screenshot(page, 'compare-retired-404')

    // The hint's button puts the replacement in the lane.
    await retired.getByTestId('use-suggestion').click()
    await expect(lanes(page).nth(0).getByTestId('lane-model').inputValue()).resolves.toBe('gpt-oss-120b')
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('runs blind: names and figures hidden, the vote reveals them and updates the pair summary', async ({ stack, host }) => {
    const page = await openCompare(stack)
    await setLaneModels(page, [FAKE_FAST_MODEL, FAKE_SLOW_MODEL])
    await page.getByTestId('blind-toggle').check()
    await runAndWait(page, 'Which answer is better?')

    const counts = {
      hidden: await page.getByTestId('hidden-model').count(),
      chips: await page.getByTestId('lane-chips').count(),
      chart: await page.getByTestId('race-chart').count(),
      name: await page.getByText(FAKE_FAST_MODEL, { exact: true }).count(),
      otherName: await page.getByText(FAKE_SLOW_MODEL, { exact: true }).count(),
    }
    expect(counts).toEqual({ hidden: 2, chips: 0, chart: 0, name: 0, otherName: 0 })
    // Not even the status bar's rate-limit gauges, which name the latest response's model.
    await expect(page.getByTestId('status-ratelimits').textContent()).resolves.toContain('Model hidden')
    await screenshot(page, 'compare-blind-hidden')

    await page.getByTestId('vote-a').click()
    const reveal = page.getByTestId('blind-reveal')
    await reveal.waitFor()
    const a = (await reveal.getByTestId('reveal-A').textContent())!
    const b = (await reveal.getByTestId('reveal-B').textContent())!
    expect([a, b].sort()).toEqual([FAKE_FAST_MODEL, FAKE_SLOW_MODEL].sort())
    const summary = (await reveal.getByTestId('pair-summary').textContent())!
    expect(summary).toContain(`${FAKE_FAST_MODEL} vs ${FAKE_SLOW_MODEL}`)
    expect(summary).toContain('(1 vote)')
    // A won: if A was fake-fast that is a win for it, else a loss.
    expect(summary).toContain(a === FAKE_FAST_MODEL ? '1 win, 0 ties, 0 losses' : '0 wins, 0 ties, 1 loss')
    await expect(page.getByTestId('lane-chips').count()).resolves.toBe(2)
    await screenshot(page, 'compare-blind-revealed')

    // A second blind round with a tie adds to the same pair.
    await runAndWait(page, 'And this one?')
    await page.getByTestId('vote-tie').click()
    await expect.poll(() => page.getByTestId('pair-summary').textContent()).toContain('(2 votes)')

    await page.getByTestId('compare-tab-votes').click()
    const row = page.locator(`[data-pair="${FAKE_FAST_MODEL}|${FAKE_SLOW_MODEL}"]`)
    await row.waitFor()
    const cells = await row.locator('td').allTextContents()
    expect(cells.slice(0, 7)).toEqual([FAKE_FAST_MODEL, FAKE_SLOW_MODEL, ...(a === FAKE_FAST_MODEL ? ['1', '1', '0'] : ['0', '1', '1']), '0', '2'])
    // The win rate is a figure to read, not only a bar (ties count half).
    expect(cells[7]).toBe(a === FAKE_FAST_MODEL ? '75.0%' : '25.0%')
    await screenshot(page, 'compare-votes')
    await page.getByTestId('compare-tab-race').click()
    await page.getByTestId('blind-toggle').uncheck()
    await page.getByTestId('nav-models').click()
    await expect.poll(() => storedState(host, SETUP), POLL).toContain('"blind":false')
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('repeats a run N times per lane and reports p50 / p95 and output variability', async ({ stack, host }) => {
    const page = await openCompare(stack)
    await setLaneModels(page, [FAKE_FAST_MODEL, FAKE_SLOW_MODEL])
    await page.getByTestId('repeat-input').fill('3')
    await runAndWait(page, 'Same question three times')
    const stats = page.getByTestId('repeat-stats')
    await stats.waitFor()
    const rows = stats.locator('tbody tr')
    await expect(rows.count()).resolves.toBe(2)
    await expect(rows.nth(0).locator('td').nth(1).textContent()).resolves.toBe('3')
    // The fake answers the same input with the same words: identical outputs.
    await expect(rows.nth(0).getByTestId('variability').textContent()).resolves.toContain('identical')
    await expect(laneFor(page, FAKE_FAST_MODEL).locator('[data-chip="ttftMs"] .chip-label').textContent()).resolves.toContain('p50')
    await stats.scrollIntoViewIfNeeded()
    await screenshot(page, 'compare-repeat')
    await page.getByTestId('repeat-input').fill('1')
    await page.getByTestId('nav-models').click()
    await expect.poll(() => storedState(host, SETUP), POLL).toContain('"repeat":1')
    await page.context().close()
  })

  it('runs a 5-row batch into a 5×2 matrix with assertion counts, and exports it', async ({ stack, fake, host }) => {
    const page = await openCompare(stack)
    await setLaneModels(page, [FAKE_FAST_MODEL, FAKE_SLOW_MODEL])
    // A small max_completion_tokens keeps the fake's token bucket from pausing the batch for a minute.
    for (let i = 0; i < 2; i++) {
      await lanes(page).nth(i).getByTitle('Parameters').click()
      await lanes(page).nth(i).getByTestId('lane-params').locator('input').nth(2).fill('200')
    }
    await expect.poll(async () => (await storedState(host, SETUP)).split('"maxCompletionTokens":200').length - 1, POLL).toBe(2)
    await page.getByTestId('compare-tab-batch').click()
    await page.getByTestId('batch-inputs').fill('city,country\nOslo,Norway\nLima,Peru\nKyoto,Japan\nAccra,Ghana\nQuito,Ecuador')
    await expect(page.getByTestId('batch-parsed').textContent()).resolves.toContain('5 rows')
    await page.getByTestId('batch-template').fill('Tell me about {{city}} in {{country}}.')
    // The fake's answers are made of words like "Cerebras" and "wafer"; "Paris" never appears.
    await page.getByTestId('add-assertion').click()
    await page.getByTestId('assertion-row').nth(0).getByTestId('assertion-value').fill('cerebras')
    await page.getByTestId('add-assertion').click()
    await page.getByTestId('assertion-row').nth(1).getByTestId('assertion-value').fill('Paris')
    await page.getByTestId('add-assertion').click()
    await page.getByTestId('assertion-row').nth(2).getByTestId('assertion-kind').selectOption('max_latency')
    await page.getByTestId('assertion-row').nth(2).getByTestId('assertion-value').fill('60000')

    // Earlier tests used up the fake's per-minute token budget; a fresh minute keeps this batch from waiting for it.
    fake.reset()
    const before = fake.chatRequests.length
    await page.getByTestId('batch-run').click()
    await expect.poll(() => page.getByTestId('batch-progress').getAttribute('data-status'), { timeout: 60_000 }).toBe('completed')
    const matrix = page.getByTestId('batch-matrix')
    await expect(matrix.getAttribute('data-rows')).resolves.toBe('5')
    await expect(matrix.getAttribute('data-columns')).resolves.toBe('2')
    await expect(matrix.getByTestId('matrix-row').count()).resolves.toBe(5)
    await expect(matrix.locator('[data-testid="matrix-cell"][data-status="done"]').count()).resolves.toBe(10)
    const counts = await matrix.getByTestId('pass-count').allTextContents()
    expect(counts).toHaveLength(6)
    expect(counts.filter((c) => c.startsWith('contains "cerebras"')).map((c) => c.slice(-3))).toEqual(['5/5', '5/5'])
    expect(counts.filter((c) => c.startsWith('contains "Paris"')).map((c) => c.slice(-3))).toEqual(['0/5', '0/5'])
    expect(counts.filter((c) => c.startsWith('latency')).map((c) => c.slice(-3))).toEqual(['5/5', '5/5'])
    // Ten requests, each with its row's values filled in.
    const sent = fake.chatRequests.slice(before)
    expect(sent).toHaveLength(10)
    const prompts = sent.map((r) => ((r.body?.messages ?? []) as Array<{ content: string }>).at(-1)!.content)
    expect(new Set(prompts)).toEqual(
      new Set(['Oslo', 'Lima', 'Kyoto', 'Accra', 'Quito'].map((c, i) => `Tell me about ${c} in ${['Norway', 'Peru', 'Japan', 'Ghana', 'Ecuador'][i]}.`)),
    )
    expect(sent.every((r) => r.body?.max_completion_tokens === 200)).toBe(true)
    await screenshot(page, 'compare-batch')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '')
    const lines = csv.trim().split('\r\n')
    expect(lines).toHaveLength(6)
    expect(lines[0]).toContain(`${FAKE_FAST_MODEL} output`)
    expect(lines[1]).toContain('Oslo')
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()])
    const json = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8'))
    expect(json.rows).toHaveLength(5)
    expect(json.status).toBe('completed')
    expect(page.errors).toEqual([])
    await page.context().close()
  })
})
