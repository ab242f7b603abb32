import { readFileSync } from 'node:fs'

import { HistoryStore } from '@main/services/history/history-store'
import { openDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { axeViolations } from '../support/axe'
import { APP_COMPOSER, screenshot } from '../support/browser'
import { chatRuns } from '../support/history-fill'
import { e2eTest } from './stack'

/*
 * History through `npm run web`: runs from the playground listed newest
 * first, filtered by model and errors, found by search, exported and
 * imported back, deleted; prompt versions saved, compared side by side and
 * restored; the Metrics view drawn from the saved runs.
 */

/** UI updates can take a few seconds on a busy 2-core machine (lazy chunks, tokenizer loads). */
const POLL = { timeout: 15_000 }

type TestPage = Page & { errors: string[] }

/** The tests build on each other's runs, so they share one page, open on the playground. */
const it = e2eTest('history', { ttftMs: 40, replyTokens: 60, tokensPerSecond: 3000 }).extend('page', { scope: 'file' }, async ({ browser, host }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', acceptDownloads: true })
  const page = (await context.newPage()) as TestPage
  page.errors = []
  page.on('pageerror', (e) => page.errors.push(e.message))
  await page.goto(host.url)
  await page.getByTestId('nav-playground').click()
  await page.locator(APP_COMPOSER).waitFor()
  return page
})

it.afterEach(async ({ page, task }) => {
  // A failed step leaves a picture of the screen it failed on.
  if (task.result?.state === 'fail' && page) await screenshot(page, `history-FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
})

async function run(page: Page, model: string, prompt: string, expectError = false): Promise<void> {
  await page.getByTestId('nav-playground').click()
  await page.getByTestId('new-chat').click()
  await page.getByTestId('model-input').fill(model)
  await page.getByTestId('composer').fill(prompt)
  await page.getByTestId('composer').press('Control+Enter')
  if (expectError) await page.getByTestId('run-error').waitFor()
  else await page.getByTestId('assistant-message').last().waitFor()
}

const rows = (page: Page) => page.getByTestId('history-row')
const rowTexts = async (page: Page) => (await rows(page).allTextContents()).map((t) => t.replace(/\s+/g, ' '))

describe('History', () => {
  it('lists every run newest first and filters them by model and errors', async ({ page }) => {
    await run(page, 'gpt-oss-120b', 'First question about otters')
    await run(page, 'zai-glm-4.7', 'Second question about herons')
    await run(page, 'llama3.1-8b', 'Third question to a retired model', true)
    await page.getByTestId('nav-history').click()
    await expect.poll(() => rows(page).count(), POLL).toBe(3)
    const texts = await rowTexts(page)
    expect(texts[0]).toContain('Third question to a retired model')
    expect(texts[0]).toContain('llama3.1-8b')
    expect(texts[1]).toContain('herons')
    expect(texts[2]).toContain('otters')
    await screenshot(page, 'history-runs-light')

    await page.getByTestId('history-model').selectOption('zai-glm-4.7')
    await expect.poll(() => rows(page).count(), POLL).toBe(1)
    expect((await rowTexts(page))[0]).toContain('herons')
    await page.getByTestId('history-model').selectOption('')
    await page.getByTestId('history-errors-only').check()
    await expect.poll(() => rows(page).count(), POLL).toBe(1)
    expect((await rowTexts(page))[0]).toContain('model_not_found')
    await screenshot(page, 'history-errors-only')
    await page.getByTestId('history-errors-only').uncheck()
    await expect.poll(() => rows(page).count(), POLL).toBe(3)
  })

  it('searches prompts and outputs, exports a run and imports it back', async ({ page, fake }) => {
    await page.getByTestId('history-search').fill('herons')
    await expect.poll(() => rows(page).count(), POLL).toBe(1)
    // Output text is searchable too: a word only the first run's answer has.
    const answers = fake.chatRequests.map((r) => r.sent.content.toLowerCase())
    const word = answers[0]
      .split(/[^a-z]+/)
      .filter((w) => w.length >= 5 && !answers[1].includes(w))
      .sort((a, b) => b.length - a.length)[0]
    expect(word).toBeTruthy()
    await page.getByTestId('history-search').fill(word)
    await expect.poll(() => rowTexts(page), POLL).toEqual([expect.stringContaining('otters')])
    await page.getByTestId('history-search').fill('otters')
    await expect.poll(() => rows(page).count(), POLL).toBe(1)
    await rows(page).first().click()
    await page.getByTestId('run-detail').waitFor()
    const download = page.waitForEvent('download')
    await page.getByTestId('export-run').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^run-gpt-oss-120b-.*\.json$/)
    const path = await file.path()
    const exported = JSON.parse(readFileSync(path, 'utf8'))
    expect(exported).toMatchObject({ format: 'wafer-console.run', run: { request: { model: 'gpt-oss-120b' }, status: 'ok' } })
    expect(exported.run.response.content.length).toBeGreaterThan(20)
    expect(exported.run.metrics.ttftMs).toBeGreaterThan(0)

    await page.getByTestId('history-import-file').setInputFiles(path)
    await expect.poll(() => rows(page).count(), POLL).toBe(2)
    await screenshot(page, 'history-imported')
    // Delete the imported copy again.
    await rows(page).first().click()
    await page.getByTestId('run-detail').getByRole('button', { name: 'Delete run' }).click()
    await expect.poll(() => rows(page).count(), POLL).toBe(1)
    await page.getByTestId('history-search').fill('')
  })

  it('saves prompt versions, compares two side by side, and restores one', async ({ page }) => {
    await page.getByTestId('nav-playground').click()
    await page.getByTestId('new-chat').click()
    await page.getByTestId('model-input').fill('gpt-oss-120b')
    await page.getByTestId('system-toggle').click()
    await page.getByTestId('system-input').fill('You are a terse assistant.')
    await page.getByTestId('composer').fill('Describe {{animal}} in one line')
    await page.getByTestId('variable-animal').fill('a heron')
    await page.getByTestId('save-version').click()
    await page.getByTestId('version-name').fill('describer')
    await page.getByTestId('save-version-confirm').click()
    await page.getByTestId('dialog-version').waitFor({ state: 'detached' })

    await page.getByTestId('system-input').fill('You are a poetic assistant.')
    await page.getByTestId('param-temperature').fill('0.9')
    await page.getByLabel('top_p', { exact: true }).fill('0.8')
    await page.getByTestId('variable-animal').fill('an otter')
    await page.getByTestId('save-version').click()
    // The name of the last saved prompt is offered again.
    await expect.poll(() => page.getByTestId('version-name').inputValue(), POLL).toBe('describer')
    await page.getByTestId('save-version-confirm').click()
    await page.getByTestId('dialog-version').waitFor({ state: 'detached' })

    await page.getByTestId('nav-history').click()
    await page.getByTestId('history-tab-versions').click()
    const versions = page.getByTestId('version-row')
    await expect.poll(() => versions.count(), POLL).toBe(2)
    await versions.nth(0).getByRole('checkbox').check()
    await versions.nth(1).getByRole('checkbox').check()
    const diff = page.getByTestId('version-diff')
    await diff.waitFor()
    const text = (await diff.textContent()) ?? ''
    expect(text).toContain('describer v1')
    expect(text).toContain('describer v2')
    expect(await diff.locator('.hi-removed').allTextContents()).toContain('terse')
    expect(await diff.locator('.hi-added').allTextContents()).toContain('poetic')
    expect(await diff.locator('tr.changed').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^temperature—0\.9$/),
        // Parameters by their API names, as in the request body: top_p, not topP.
        expect.stringMatching(/^top_p—0\.8$/),
        expect.stringMatching(/^\{\{animal\}\}a heronan otter$/),
      ]),
    )
    expect(await diff.locator('tr').allTextContents()).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(topP|toolsText|maxCompletionTokens)/)]))
    await screenshot(page, 'history-version-diff')

    // Restore v1 (the older one, listed second) into the playground.
    await versions.nth(1).getByTestId('restore-version').click()
    await page.getByTestId('screen-playground').waitFor()
    await expect.poll(() => page.getByTestId('variable-animal').inputValue(), POLL).toBe('a heron')
    expect(await page.getByTestId('param-temperature').inputValue()).toBe('')
    await page.getByTestId('system-toggle').click()
    expect(await page.getByTestId('system-input').inputValue()).toBe('You are a terse assistant.')
    expect(await page.getByTestId('user-message').last().textContent()).toContain('Describe {{animal}} in one line')
  })

  it('draws TTFT and decode speed per model from the saved runs', async ({ page }) => {
    await page.getByTestId('nav-history').click()
    await page.getByTestId('history-tab-metrics').click()
    const metrics = page.getByTestId('history-metrics')
    await metrics.locator('.recharts-scatter').first().waitFor()
    expect(await metrics.textContent()).toContain('2 runs with figures')
    expect(await metrics.locator('.recharts-legend-item').allTextContents()).toEqual(['gpt-oss-120b', 'zai-glm-4.7', 'gpt-oss-120b', 'zai-glm-4.7'])
    await screenshot(page, 'history-metrics-light')
    expect(page.errors).toEqual([])
  })

  it('shows which endpoint answered each run (label and host) and filters by it', async ({ page, fake }) => {
    // Runs exported elsewhere: one answered by Cerebras, one by a server replaying recordings.
    const template = JSON.parse(readFileSync(await exportOkRun(page), 'utf8')) as { run: Record<string, unknown> }
    for (const [id, endpoint, prompt] of [
      ['from-cerebras', { kind: 'cerebras', host: 'api.cerebras.ai' }, 'A question answered by Cerebras'],
      ['from-replay', { kind: 'replay', host: '127.0.0.1:8787' }, 'A question answered by a replay'],
    ] as const) {
      const run = { ...template.run, id, endpoint, request: { model: 'gpt-oss-120b', messages: [{ role: 'user', content: prompt }] } }
      await page.getByTestId('history-import-file').setInputFiles({
        name: `${id}.json`,
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ ...template, run })),
      })
      await expect.poll(() => page.locator(`[data-testid="history-row"][data-run-id="${id}"]`).count(), POLL).toBe(1)
    }
    await page.getByTestId('history-tab-runs').click()
    const fakeHost = new URL(fake.baseUrl).host
    const chip = (id: string) => page.locator(`[data-testid="history-row"][data-run-id="${id}"] [data-testid="history-row-endpoint"]`)
    expect(await chip('from-cerebras').textContent()).toBe('Cerebrasapi.cerebras.ai')
    expect(await chip('from-replay').getAttribute('data-endpoint')).toBe('replay')
    // The runs made in this file went to the fake server, which says what it is.
    const endpoints = await page.getByTestId('history-row-endpoint').evaluateAll((els) => els.map((e) => e.textContent))
    expect(endpoints.filter((t) => t === `Fake server${fakeHost}`)).toHaveLength(3)
    await screenshot(page, 'history-endpoints')
    // What this test adds to the screen passes WCAG 2.1 AA (the filter, the chips, the detail's endpoint).
    for (const sel of [
      '[data-testid="history-endpoint"]',
      '[data-run-id="from-cerebras"] [data-testid="history-row-endpoint"]',
      '[data-run-id="from-replay"] [data-testid="history-row-endpoint"]',
      '[data-testid="history-row"]:not([data-run-id^="from-"]) [data-testid="history-row-endpoint"]',
    ])
      expect(await axeViolations(page, sel), sel).toEqual([])

    await page.getByTestId('history-endpoint').selectOption('replay')
    await expect.poll(() => rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id'))), POLL).toEqual(['from-replay'])
    await rows(page).first().click()
    await expect.poll(() => page.getByTestId('run-detail-endpoint').textContent(), POLL).toBe('Replay (127.0.0.1:8787)')
    await screenshot(page, 'history-endpoint-replay')
    expect(await axeViolations(page, '[data-testid="run-detail-endpoint"]')).toEqual([])
    await page.getByTestId('history-endpoint').selectOption('cerebras')
    await expect.poll(() => rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id'))), POLL).toEqual(['from-cerebras'])
    await page.getByTestId('history-endpoint').selectOption('fake')
    await expect.poll(() => rows(page).count(), POLL).toBe(3)
    await page.getByTestId('history-endpoint').selectOption('custom')
    await expect.poll(() => page.getByTestId('history-list').textContent(), POLL).toContain('No run matches these filters.')
    await page.getByTestId('history-endpoint').selectOption('')
    await expect.poll(() => rows(page).count(), POLL).toBe(5)
    expect(page.errors).toEqual([])
  })
})

describe('History at scale', () => {
  it('renders only the rows in view of a long history, pages in more as it scrolls, and moves through it with the keyboard', async ({ page, host }) => {
    // 600 older runs written straight into the app's database (the web host has it open too; WAL lets both in).
    const opened = openDatabase(`${host.userDataDir}/wafer.db`, migrations)
    const store = new HistoryStore(opened.db)
    store.saveRuns([...chatRuns(600, { maxTurns: 20, promptWords: 8, answerWords: 20 }, { idPrefix: 'many' })])
    // And a chat of two turns whose first prompt names a quokka: the second run sends it again.
    const first = { role: 'user' as const, content: 'Where do quokkas live?' }
    const [turn1, turn2] = [...chatRuns(2, { maxTurns: 1, promptWords: 3, answerWords: 6 }, { idPrefix: 'quokka', seed: 5, endAt: Date.UTC(2026, 5, 1) })]
    store.saveRuns([
      { ...turn1, request: { model: 'gpt-oss-120b', messages: [first] }, response: { ...turn1.response, content: 'On Rottnest Island.' } },
      {
        ...turn2,
        request: {
          model: 'gpt-oss-120b',
          messages: [first, { role: 'assistant', content: 'On Rottnest Island.' }, { role: 'user', content: 'What do they eat?' }],
        },
        response: { ...turn2.response, content: 'Leaves and grasses.' },
      },
    ])
    opened.close()
    const total = 607
    await page.getByTestId('nav-history').click()
    // Another tab and back: the Runs view loads afresh.
    await page.getByTestId('history-tab-metrics').click()
    await page.getByTestId('history-tab-runs').click()
    const list = page.getByRole('listbox', { name: 'Saved runs' })
    await expect.poll(() => list.getAttribute('data-count'), POLL).not.toBe('5')
    // Only the rows in view (and a few either side) are on the page, though 50 or more are loaded.
    expect(Number(await list.getAttribute('data-count'))).toBeGreaterThanOrEqual(50)
    expect(await rows(page).count()).toBeLessThan(20)
    expect(await rows(page).first().getAttribute('aria-posinset')).toBe('1')
    // The size is not known until the last page is in.
    expect(await rows(page).first().getAttribute('aria-setsize')).toBe('-1')
    await screenshot(page, 'history-virtual-top')

    // Keyboard: Down and Enter open the second run; End goes to the last loaded row (and pages in more); Home back to the first.
    await list.focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    const second = await rows(page).nth(1).getAttribute('data-run-id')
    await expect.poll(() => page.getByTestId('run-detail').getAttribute('data-run-id'), POLL).toBe(second)
    expect(await rows(page).nth(1).getAttribute('aria-selected')).toBe('true')
    const activeId = () => list.getAttribute('aria-activedescendant')
    for (let i = 0; i < 30 && (await list.getAttribute('data-count')) !== String(total); i++) {
      await page.keyboard.press('End')
      await expect.poll(() => list.getAttribute('aria-busy'), POLL).toBe('false')
    }
    await expect.poll(() => list.getAttribute('data-count'), POLL).toBe(String(total))
    await page.keyboard.press('End')
    // The last row is rendered (scrolled into view) before it can be the active descendant.
    await expect.poll(activeId, POLL).toMatch(new RegExp(`-run-${total - 1}$`))
    const last = page.locator(`#${cssId((await activeId())!)}`)
    expect(await last.getAttribute('aria-posinset')).toBe(String(total))
    expect(await last.getAttribute('aria-setsize')).toBe(String(total))
    // The oldest run written is the last row.
    expect(await last.getAttribute('data-run-id')).toBe('many-0-0')
    expect(await rows(page).count()).toBeLessThan(20)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('run-detail').getAttribute('data-run-id'), POLL).toBe('many-0-0')
    await screenshot(page, 'history-virtual-end')
    expect(await axeViolations(page, '[data-testid="history-list"]')).toEqual([])
    await page.keyboard.press('Home')
    await expect.poll(async () => page.locator(`#${cssId((await activeId()) ?? 'none')}`).getAttribute('aria-posinset'), POLL).toBe('1')

    // Filters still apply to the windowed list; a search says where each run matched and marks the hit.
    await page.getByTestId('history-search').fill('herons')
    await expect.poll(() => rowTexts(page), POLL).toEqual([expect.stringContaining('herons')])
    expect(await rows(page).first().getAttribute('aria-setsize')).toBe('1')
    const snippets = page.getByTestId('history-row-snippet')
    expect(await snippets.first().getAttribute('data-matched-in')).toBe('prompt')
    expect(await snippets.first().textContent()).toMatch(/^Matched in its prompt: .*herons/)
    expect(await snippets.first().locator('mark').allTextContents()).toEqual(['herons'])
    // An earlier turn's word finds only the run that asked it, until earlier turns are included.
    await page.getByTestId('history-search').fill('quokkas')
    await expect.poll(() => rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id'))), POLL).toEqual(['quokka-0-0'])
    await page.getByTestId('history-include-earlier').check()
    await expect.poll(() => rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id'))), POLL).toEqual(['quokka-1-0', 'quokka-0-0'])
    expect(await snippets.evaluateAll((els) => els.map((e) => e.getAttribute('data-matched-in')))).toEqual(['earlier', 'prompt'])
    expect(await snippets.first().textContent()).toMatch(/^Matched in an earlier turn: Where do quokkas live/)
    await screenshot(page, 'history-search-earlier')
    expect(await axeViolations(page, '.hi-runs')).toEqual([])
    await page.getByTestId('history-include-earlier').uncheck()
    await page.getByTestId('history-search').fill('')
    await expect.poll(() => list.getAttribute('data-count'), POLL).toBe('50')
    expect(page.errors).toEqual([])
  })
})

describe('Run history retention', () => {
  it('shows the database size in Settings and keeps at most the runs chosen, deleting the oldest', async ({ page }) => {
    await page.getByTestId('nav-settings').click()
    const card = page.getByTestId('retention-card')
    await expect.poll(() => card.getByTestId('retention-size').textContent(), POLL).toMatch(/^Database size: [\d.]+ (KB|MB)$/)
    await card.getByTestId('retention-kind').selectOption('runs')
    await card.getByTestId('retention-amount').fill('10')
    await card.getByTestId('retention-save').click()
    await expect.poll(() => card.getByTestId('retention-message').textContent(), POLL).toBe('Saved. 597 older runs were deleted.')
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'settings-retention')
    expect(await axeViolations(page, '[data-testid="retention-card"]')).toEqual([])
    await page.getByTestId('nav-history').click()
    const list = page.getByRole('listbox', { name: 'Saved runs' })
    await expect.poll(() => list.getAttribute('data-count'), POLL).toBe('10')
    // The newest runs are the ones kept: the ones made in the playground come first.
    expect((await rowTexts(page))[0]).toContain('Third question to a retired model')
    expect(page.errors).toEqual([])
  })
})

/** An element id from useId (":r1:-run-0") as a CSS selector. */
function cssId(id: string): string {
  return id.replace(/[^\w-]/g, (c) => `\\${c}`)
}

/** Export a run that went well (the otters one) through the UI and return the file's path. */
async function exportOkRun(page: Page): Promise<string> {
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-tab-runs').click()
  await rows(page).filter({ hasText: 'otters' }).click()
  await page.getByTestId('run-detail').waitFor()
  const download = page.waitForEvent('download')
  await page.getByTestId('export-run').click()
  return (await (await download).path())!
}
