import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { axeViolations } from '../support/axe'
import { APP_COMPOSER, pageWithErrors, screenshot } from '../support/browser'
import { answerRunExport } from '../support/run-export'
import { e2eTest } from './stack'

/*
 * A long answer (headings, paragraphs, lists, code and formulas; hundreds of
 * blocks) reopened from History into the playground, through `npm run web`:
 * every block is shown in order, off-screen blocks are skipped by the browser
 * in groups (not one by one: each skippable element costs the browser a check
 * on every frame), what scrolls into view is laid out, and a code block's Copy
 * gives the code as sent.
 */

const POLL = { timeout: 30_000 }
const SECTIONS = 150
/** What markdown-view.ts puts in one group at most. */
const GROUP_BLOCKS = 32

const it = e2eTest('long-answer', { ttftMs: 40, replyTokens: 20, tokensPerSecond: 2000 }).extend('page', { scope: 'file' }, async ({ browser, host }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin })
  const page = await pageWithErrors(context)
  await page.goto(host.url)
  await page.getByTestId('nav-playground').click()
  await page.locator(APP_COMPOSER).waitFor()
  return page
})

it.afterEach(async ({ page, task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `long-answer-FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
})

const code = (s: number) =>
  `export function step${s}(input: number): number {\n  const doubled = input * 2 // section ${s} <b>&amp;</b>\n  return doubled + ${s}\n}`

/** About 130 KB in 600 blocks: four per section. */
function longAnswer(): string {
  const parts: string[] = []
  for (let s = 1; s <= SECTIONS; s++) {
    parts.push(`## Section ${s}\n\n`)
    parts.push(`Paragraph ${s} explains step ${s} with *emphasis*, \`code_${s}\` and the formula \\(x_{${s}}^2 + 1\\). `.repeat(3) + '\n\n')
    parts.push(`${Array.from({ length: 4 }, (_, i) => `- item ${s}.${i + 1}: the wafer streams tokens faster than a reader follows`).join('\n')}\n\n`)
    parts.push(`\`\`\`ts\n${code(s)}\n\`\`\`\n\n`)
  }
  return parts.join('')
}

function runFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-e2e-long-')), 'long-run.json')
  writeFileSync(file, answerRunExport({ id: 'e2e-long-answer', prompt: 'Write a long answer', content, maxCompletionTokens: 60_000 }))
  return file
}

interface GroupState {
  groups: number
  blocksOutsideGroups: number
  largestGroup: number
  /** Per group: is it rendered (not skipped by content-visibility)? */
  rendered: boolean[]
}

/** How the answer's blocks are grouped, and which groups the browser renders now. */
const groupState = (page: Page): Promise<GroupState> =>
  page
    .getByTestId('pane-0')
    .getByTestId('assistant-text')
    .last()
    .evaluate((el) => {
      const groups = [...el.querySelectorAll(':scope > .md-group')]
      return {
        groups: groups.length,
        blocksOutsideGroups: [...el.querySelectorAll('.md-block')].filter((b) => !b.parentElement?.classList.contains('md-group')).length,
        largestGroup: Math.max(0, ...groups.map((g) => g.children.length)),
        // A skipped group's own box is drawn (at its estimated size); what is inside it is not.
        rendered: groups.map((g) => g.firstElementChild?.checkVisibility({ contentVisibilityAuto: true }) ?? false),
      }
    })

describe('a long answer reopened from History', () => {
  it('shows every block in order, skips off-screen blocks in groups, and lays out what scrolls into view', async ({ page }) => {
    await page.getByTestId('nav-history').click()
    await page.getByTestId('history-import-file').setInputFiles(runFile(longAnswer()))
    const row = page.locator('[data-testid="history-row"][data-run-id="e2e-long-answer"]')
    await row.waitFor(POLL)
    await row.click()
    await page.getByTestId('reopen-run').click()
    await page.getByTestId('screen-playground').waitFor()
    const answer = page.getByTestId('pane-0').getByTestId('assistant-text').last()
    // Rendered a few blocks per frame: wait for the last one.
    await expect.poll(() => answer.locator('pre code').count(), POLL).toBe(SECTIONS)

    // Every section, in order, once; every formula typeset (with its source kept for copying).
    const headings = await answer.locator('h2').allTextContents()
    expect(headings).toEqual(Array.from({ length: SECTIONS }, (_, i) => `Section ${i + 1}`))
    expect(await answer.locator('.md-math').count()).toBe(SECTIONS * 3)
    expect(await answer.locator('.md-math').first().getAttribute('data-tex')).toBe('\\(x_{1}^2 + 1\\)')
    expect(await answer.locator('li').count()).toBe(SECTIONS * 4)

    // 600 blocks, in groups of at most 32: the browser checks about 20 elements per frame, not 600.
    const top = await groupState(page)
    expect(top.blocksOutsideGroups).toBe(0)
    expect(top.largestGroup).toBeLessThanOrEqual(GROUP_BLOCKS)
    expect(top.groups).toBeGreaterThanOrEqual(Math.ceil((SECTIONS * 4) / GROUP_BLOCKS))
    // At the top of the answer, the first group is drawn and the last one is skipped.
    await page
      .getByTestId('pane-0')
      .locator('.pg-scroll')
      .evaluate((el) => (el.scrollTop = 0))
    await expect.poll(async () => (await groupState(page)).rendered.at(0), POLL).toBe(true)
    expect((await groupState(page)).rendered.at(-1)).toBe(false)
    await screenshot(page, 'long-answer-top')

    // Scrolled to the end, the last group is laid out and drawn, and the first is skipped.
    const last = answer.locator('.md-code').last()
    await last.scrollIntoViewIfNeeded()
    await expect.poll(async () => (await groupState(page)).rendered.at(-1), POLL).toBe(true)
    expect((await groupState(page)).rendered.at(0)).toBe(false)
    // Groups laid out for the first time take their real height: the last code block is still in view.
    const inView = async () => {
      const box = await last.boundingBox()
      const pane = await page.getByTestId('pane-0').locator('.pg-scroll').boundingBox()
      return !!box && !!pane && box.y >= pane.y && box.y + box.height <= pane.y + pane.height
    }
    await expect
      .poll(async () => {
        if (await inView()) return true
        await last.scrollIntoViewIfNeeded()
        return false
      }, POLL)
      .toBe(true)
    await screenshot(page, 'long-answer-end')

    // Copy on the last code block gives its code exactly as sent (the HTML-like text stays text).
    await last.getByRole('button', { name: 'Copy' }).click()
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), POLL).toBe(code(SECTIONS))

    // What is on screen of the long answer passes axe.
    expect(await axeViolations(page, '[data-testid="messages"]')).toEqual([])
    expect(page.errors).toEqual([])
  })
})
