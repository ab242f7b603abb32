import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { FAKE_FAST_MODEL, FAKE_SLOW_MODEL } from '../../electron/main/services/demo/fake-cerebras/fake-models'
import { axeViolations } from '../support/axe'
import { type AppPage, openApp, screenshot } from '../support/browser'
import { e2eTest, type WebStack } from './stack'

/*
 * WCAG 2.1 AA through `npm run web`: axe-core on every screen in both themes
 * with content loaded (an answer, a compare run, a policy template, an open
 * run), reflow at 320 CSS px and at 200% zoom, and keyboard-only use (the
 * skip link to the prompt, dialogs that keep and return focus, tabs that
 * move with the arrow keys).
 */

const it = e2eTest('a11y', { ttftMs: 40, replyTokens: 60, tokensPerSecond: 3000 })
const POLL = { timeout: 15_000 }
const SCREENS = ['playground', 'compare', 'models', 'policies', 'gateway', 'history', 'settings'] as const

async function go(page: Page, id: (typeof SCREENS)[number]): Promise<void> {
  await page.getByTestId(`nav-${id}`).click()
  await page.getByTestId(`screen-${id}`).locator('h1').waitFor()
}

/** An answer in the playground, a finished compare race, a policy template and an open run in History. */
async function loadContent(page: Page): Promise<void> {
  await go(page, 'playground')
  await page.getByTestId('composer').fill('Say hello in three words')
  await page.getByTestId('composer').press('Control+Enter')
  await page.getByTestId('send').waitFor({ timeout: 30_000 })
  await expect.poll(() => page.getByTestId('messages').locator('.pg-msg').count(), POLL).toBeGreaterThanOrEqual(2)

  await go(page, 'compare')
  const lanes = page.getByTestId('lane')
  // The lanes come after the screen's heading: counted before they are there, a third lane would be added.
  await lanes.first().waitFor()
  for (let n = await lanes.count(); n < 2; n++) {
    await page.getByTestId('add-lane').click()
    await expect.poll(() => lanes.count(), POLL).toBe(n + 1)
  }
  await lanes.nth(0).getByTestId('lane-model').fill(FAKE_SLOW_MODEL)
  await lanes.nth(1).getByTestId('lane-model').fill(FAKE_FAST_MODEL)
  await page.getByTestId('compare-input').fill('Why does streaming speed matter?')
  await page.getByTestId('compare-run').click()
  await page.getByTestId('compare-stop').waitFor()
  await page.getByTestId('compare-run').waitFor({ timeout: 30_000 })

  await go(page, 'policies')
  await page.getByTestId('templates').click()
  await page.getByTestId('template-latency-routing').click()
  const confirm = page.getByTestId('confirm-dialog')
  if (await confirm.isVisible().catch(() => false)) await page.getByTestId('confirm-ok').click()
  await page.getByTestId('yaml-editor').locator('.cm-content').waitFor()

  await go(page, 'history')
  await page.getByTestId('history-row').first().click()
  // At a narrow width the list and the open run share the space: the run is there, shown instead of the list or below it.
  await page.getByTestId('run-detail').waitFor({ state: 'attached' })
}

async function setTheme(page: Page, theme: 'dark' | 'light'): Promise<void> {
  await page.getByRole('button', { name: theme === 'dark' ? 'Dark theme' : 'Light theme' }).click()
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), POLL).toBe(theme)
}

/** The heading levels of the screen in document order: must start at 1 and never skip a level going down. */
async function headingJumps(page: Page): Promise<string[]> {
  const levels = (await page
    .locator('main h1, main h2, main h3, main h4, main h5, main h6')
    .evaluateAll((hs) => hs.filter((h) => h.getClientRects().length > 0).map((h) => `${h.tagName}:${h.textContent?.trim().slice(0, 40)}`))) as string[]
  const jumps: string[] = []
  let previous = 0
  for (const h of levels) {
    const level = Number(h[1])
    if (level > previous + 1) jumps.push(`${h} after h${previous}`)
    previous = level
  }
  return jumps
}

/**
 * Text cut off sideways with no sign of it: a box that hides what overflows it, holding text wider than itself, with
 * no ellipsis to say so (text a screen reader alone reads, in a box of 1 px, is meant to be unseen).
 */
async function cutText(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main *, footer *')]
      .filter((el) => {
        const style = getComputedStyle(el)
        if (style.overflowX !== 'hidden' && style.overflowX !== 'clip') return false
        // An ellipsis shows only where a block lays out the text itself: a flex or grid box cuts its items' text bare.
        const ellipsis = style.textOverflow === 'ellipsis' && !/flex|grid/.test(style.display)
        if (el.clientWidth <= 1 || el.scrollWidth <= el.clientWidth + 1 || ellipsis) return false
        return !!el.textContent?.trim() && el.getClientRects().length > 0
      })
      .map((el) => `${el.getAttribute('data-testid') ?? el.className}: ${el.textContent!.trim().slice(0, 40)} (${el.scrollWidth} px in ${el.clientWidth})`),
  )
}

/**
 * Words the layout broke in the middle, between two letters or digits (INSTRUCTION_OVERRI / DE): the page's last
 * resort for a word wider than its box (reflow.css), which at a laptop's width means a box too narrow for what it holds.
 */
async function wordsBrokenMidway(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const word = /[\p{L}\p{N}_]/u
    const walker = document.createTreeWalker(document.querySelector('.shell') ?? document.body, NodeFilter.SHOW_TEXT)
    const range = document.createRange()
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const text = node.data
      if (text.trim().length < 2 || !node.parentElement?.getClientRects().length) continue
      let lastTop: number | null = null
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i)
        range.setEnd(node, i + 1)
        const rect = range.getClientRects()[0]
        if (!rect || rect.width === 0) continue
        if (lastTop !== null && rect.top > lastTop + 2 && i > 0 && word.test(text[i - 1]) && word.test(text[i])) {
          found.push(
            `${node.parentElement.getAttribute('data-testid') ?? node.parentElement.className}: ${text.slice(Math.max(0, i - 20), i)}|${text.slice(i, i + 20)}`,
          )
          break
        }
        lastTop = rect.top
      }
    }
    return found
  })
}

/** What in the status bar sticks out of it sideways, where the window cuts it off (the bar wraps instead; it may scroll down). */
async function statusBarCutOff(page: Page): Promise<string[]> {
  return page.locator('footer.statusbar').evaluate((bar) => {
    const edge = bar.getBoundingClientRect()
    return [...bar.querySelectorAll('*')]
      .filter((el) => {
        const r = el.getBoundingClientRect()
        return r.width > 0 && (r.right > edge.right + 0.5 || r.left < edge.left - 0.5)
      })
      .map((el) => `${el.getAttribute('data-testid') ?? el.className ?? el.tagName}: ${el.textContent?.trim().slice(0, 30)}`)
  })
}

/** How far the page (or the main area, which scrolls on its own) scrolls sideways: 0 when everything reflows. */
async function sidewaysScroll(page: Page): Promise<{ page: number; main: number; sticksOut: number; first: string }> {
  return (await page.evaluate(`(() => {
    const over = (el) => (el ? Math.max(0, el.scrollWidth - el.clientWidth) : 0)
    const main = document.querySelector('main')
    const wide = [...document.querySelectorAll('main *')].filter((el) => {
      const r = el.getBoundingClientRect()
      if (!(r.width > 0 && r.right > main.getBoundingClientRect().right + 1)) return false
      // Inside a container that scrolls sideways on its own (a wide table, a code block): allowed.
      for (let p = el.parentElement; p && p !== main; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return false
      return true
    })
    return { page: over(document.scrollingElement), main: over(main), sticksOut: wide.length, first: [...new Set(wide.slice(0, 40).map((w) => (w.getAttribute('data-testid') || w.className || w.tagName) + ' < ' + (w.parentElement.className || w.parentElement.tagName)))].slice(0, 5).join(', ') }
  })()`)) as { page: number; main: number; sticksOut: number; first: string }
}

describe('accessibility (WCAG 2.1 AA)', () => {
  it('has no critical or serious axe violation on any screen, with content loaded, in either theme; headings go in order', async ({
    stack,
  }: {
    stack: WebStack
  }) => {
    const page: AppPage = await openApp(stack.browser, stack.host.url, { width: 1360, height: 860 })
    await loadContent(page)

    // Charts: named, no role=application, with their figures in words (the race also as a table).
    await go(page, 'playground')
    await expect(page.getByTestId('throughput-summary').first().textContent()).resolves.toMatch(/^Peak [\d,]+ tok\/s at .+; first token at .+; .+ shown\.$/)
    await go(page, 'compare')
    await expect(page.locator('[role="application"]').count()).resolves.toBe(0)
    const race = page.getByRole('figure', { name: /Race chart/ })
    await expect(race.getByTestId('race-legend').textContent()).resolves.toContain(FAKE_FAST_MODEL)
    await race.getByRole('button', { name: 'Table view' }).click()
    const table = race.getByTestId('race-table')
    await expect(table.locator('tbody tr').count()).resolves.toBe(2)
    await expect(table.locator(`tbody tr:has(th:text-is("${FAKE_FAST_MODEL}")) td`).first().textContent()).resolves.toMatch(/^\d[\d,]*$/)
    await screenshot(page, 'a11y-race-table')
    expect((await axeViolations(page, '[data-testid="race-chart"]')).filter((v) => v.impact === 'critical' || v.impact === 'serious')).toEqual([])
    await race.getByRole('button', { name: 'Table view' }).click()
    await expect(table.count()).resolves.toBe(0)

    const found: string[] = []
    for (const theme of ['dark', 'light'] as const) {
      await setTheme(page, theme)
      for (const id of SCREENS) {
        await go(page, id)
        await screenshot(page, `a11y-${id}-${theme}`)
        for (const v of await axeViolations(page)) {
          if (v.impact === 'critical' || v.impact === 'serious') found.push(`${theme} ${id}: ${v.id} (${v.help}) ${v.targets.slice(0, 6).join(' | ')}`)
        }
        if (theme === 'dark') found.push(...(await headingJumps(page)).map((j) => `${id}: heading ${j}`))
        if (theme === 'dark') found.push(...(await wordsBrokenMidway(page)).map((w) => `${id}: a word broken in the middle in ${w}`))
        found.push(...(await statusBarCutOff(page)).map((c) => `${theme} ${id}: status bar cut off at ${c}`))
      }
    }
    expect(found).toEqual([])
    expect(page.errors).toEqual([])
    await page.context().close()
  })

  it('reflows at 320 CSS px, at 200% zoom and at 1024 px: no sideways scrolling and no text cut off on any screen, in either theme', async ({
    stack,
  }: {
    stack: WebStack
  }) => {
    const found: string[] = []
    // 320 px wide (WCAG 1.4.10), a 1280 x 800 window zoomed to 200% (640 x 400 CSS px at device scale 2), and a
    // 1024 x 768 window, the narrowest that keeps the full layout (nothing cut off there either).
    for (const [name, width, height, scale] of [
      ['320px', 320, 640, 1],
      ['zoom200', 640, 400, 2],
      ['1024px', 1024, 768, 1],
    ] as const) {
      const context = await stack.browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale, colorScheme: 'dark' })
      const page = await context.newPage()
      await page.goto(stack.host.url)
      await page.getByTestId('status-key').waitFor()
      await loadContent(page)
      for (const theme of ['dark', 'light'] as const) {
        await setTheme(page, theme)
        for (const id of SCREENS) {
          await go(page, id)
          const wide = await sidewaysScroll(page)
          if (wide.page || wide.main || wide.sticksOut) found.push(`${name} ${theme} ${id}: ${JSON.stringify(wide)}`)
          found.push(...(await statusBarCutOff(page)).map((c) => `${name} ${theme} ${id}: status bar cut off at ${c}`))
          found.push(...(await cutText(page)).map((c) => `${name} ${theme} ${id}: text cut off in ${c}`))
          if (name === '1024px' && theme === 'dark')
            found.push(...(await wordsBrokenMidway(page)).map((w) => `${name} ${id}: a word broken in the middle in ${w}`))
          if (theme === 'dark' || id === 'playground' || id === 'history') await screenshot(page, `a11y-${name}-${id}-${theme}`)
        }
      }
      await context.close()
    }
    expect(found).toEqual([])
  })

  it('reaches and sends a prompt without a mouse: skip link, prompt, Ctrl+Enter; the answer is announced when complete', async ({
    stack,
  }: {
    stack: WebStack
  }) => {
    const page = await openApp(stack.browser, stack.host.url, { width: 1360, height: 860 })
    // The Playground is the start-up screen: nothing has the focus yet, and the announcer is there, empty.
    await page.getByTestId('composer').waitFor()
    await expect(page.getByTestId('announcer').textContent()).resolves.toBe('')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('skip-link')
    await expect(page.getByTestId('skip-link').isVisible()).resolves.toBe(true)
    await screenshot(page, 'a11y-skip-link')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('composer')
    await page.getByTestId('model-input').fill(FAKE_SLOW_MODEL)
    await page.getByTestId('composer').focus()
    await page.keyboard.type('What is a wafer-scale engine?')
    const busy = page.locator('[data-testid="messages"][aria-busy="true"]').waitFor()
    await page.keyboard.press('Control+Enter')
    await busy
    await expect
      .poll(() => page.getByTestId('announcer').textContent(), POLL)
      .toMatch(new RegExp(`^Answer complete: ${FAKE_SLOW_MODEL}, \\d+ tokens, [\\d.]+ (ms|s)\\.`))
    await expect(page.locator('[data-testid="messages"]').getAttribute('aria-busy')).resolves.toBeNull()
    await expect(page.getByTestId('assistant-message').last().textContent()).resolves.toMatch(/\w+/)

    // The answer's actions are one Tab stop, with the arrow keys inside.
    const toolbar = page.getByRole('toolbar', { name: 'Answer actions' }).last()
    await expect(toolbar.locator('button[tabindex="0"]').count()).resolves.toBe(1)
    await toolbar.getByRole('button', { name: 'Copy answer' }).focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), POLL).toBe('Edit answer')
    await page.keyboard.press('End')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), POLL).toBe('Delete answer')
    await expect(toolbar.locator('button[tabindex="0"]').getAttribute('aria-label')).resolves.toBe('Delete answer')
    // One Shift+Tab leaves the toolbar (not one press per button).
    await page.keyboard.press('Shift+Tab')
    await expect.poll(() => toolbar.evaluate((t) => t.contains(document.activeElement)), POLL).toBe(false)
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), POLL).toBe('Delete answer')

    // An error is announced too.
    await page.getByTestId('model-input').fill('fault/model_not_found')
    await page.getByTestId('composer').fill('This one fails')
    await page.getByTestId('composer').press('Control+Enter')
    await expect.poll(() => page.getByTestId('announcer').textContent(), POLL).toMatch(/^Answer failed: .+\(fault\/model_not_found\)\./)
    await page.context().close()
  })

  it('keeps the focus in a dialog: moves in, Tab and Shift+Tab stay inside, Esc closes, the focus returns to the opener; toasts move in with it', async ({
    stack,
  }: {
    stack: WebStack
  }) => {
    const page = await openApp(stack.browser, stack.host.url, { width: 1360, height: 860 })
    await go(page, 'playground')
    const opener = page.getByRole('button', { name: 'View code' })
    await opener.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('dialog', { name: 'View code' }).waitFor()
    const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))
    await expect.poll(inDialog, POLL).toBe(true)
    // The toast and announcer regions are inside the open modal (the page behind is inert and under the top layer).
    await expect(page.locator('dialog[open] [data-testid="toasts"]').count()).resolves.toBe(1)
    await expect(page.locator('dialog[open] [data-testid="announcer"]').count()).resolves.toBe(1)
    const controls = await page.locator('dialog[open]').locator('button:not([disabled]), a[href], [tabindex="0"]').count()
    for (let i = 0; i < controls + 2; i++) {
      await page.keyboard.press('Tab')
      expect(await inDialog()).toBe(true)
    }
    for (let i = 0; i < controls + 2; i++) {
      await page.keyboard.press('Shift+Tab')
      expect(await inDialog()).toBe(true)
    }
    // The language tabs inside follow the tabs pattern too.
    const tab = page.locator('dialog[open] [role="tab"][aria-selected="true"]')
    await tab.focus()
    const first = await tab.textContent()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => tab.textContent(), POLL).not.toBe(first)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-selected')), POLL).toBe('true')
    await screenshot(page, 'a11y-view-code-dialog')
    await page.keyboard.press('Escape')
    await page.locator('dialog[open]').waitFor({ state: 'detached' })
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()), POLL).toBe('View code')
    await expect(page.locator('.shell > [data-testid="toasts"]').count()).resolves.toBe(1)

    // The shortcut sheet, opened from its button, the same way.
    const sheetButton = page.getByRole('button', { name: 'Keyboard shortcuts' })
    await sheetButton.focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('shortcuts-dialog').waitFor()
    await expect.poll(inDialog, POLL).toBe(true)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await inDialog()).toBe(true)
    await page.keyboard.press('Escape')
    await page.getByTestId('shortcuts-dialog').waitFor({ state: 'detached' })
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), POLL).toBe('Keyboard shortcuts')
    await page.context().close()
  })

  it('moves between view tabs with the arrow keys, Home and End (one Tab stop, no aria-pressed)', async ({ stack }: { stack: WebStack }) => {
    const page = await openApp(stack.browser, stack.host.url, { width: 1360, height: 860 })
    await go(page, 'models')
    const tabs = page.getByRole('tablist', { name: /./ }).first().getByRole('tab')
    await expect(tabs.count()).resolves.toBe(3)
    await expect(page.locator('[role="tab"][aria-pressed]').count()).resolves.toBe(0)
    await expect(page.locator('[role="tablist"] [role="tab"][tabindex="0"]').count()).resolves.toBe(1)
    await tabs.first().focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => tabs.nth(1).getAttribute('aria-selected'), POLL).toBe('true')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('models-tab-tiers')
    const panel = page.getByRole('tabpanel')
    await expect(panel.getAttribute('aria-labelledby')).resolves.toBe(await tabs.nth(1).getAttribute('id'))
    await page.keyboard.press('End')
    await expect.poll(() => tabs.nth(2).getAttribute('aria-selected'), POLL).toBe('true')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => tabs.nth(0).getAttribute('aria-selected'), POLL).toBe('true')
    await page.keyboard.press('End')
    await page.keyboard.press('Home')
    await expect.poll(() => tabs.nth(0).getAttribute('aria-selected'), POLL).toBe('true')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('models-tab-models')
    await page.context().close()
  })
})
