import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { describe, expect } from 'vitest'

import { axeViolations } from '../support/axe'
import { callBridge } from '../support/bridge'
import { APP_COMPOSER, pageWithErrors, screenshot } from '../support/browser'
import type { RunningWebHost } from '../support/web-host'
import { e2eTest } from './stack'

/*
 * index.html's start shell (app/StartShell.tsx, lib/start-shell.ts): the
 * navigation and the playground's message box are on screen, themed and
 * usable before any of the app's code has run, and what the user does there
 * meanwhile (typing, a send, a screen or theme picked) is kept when the app
 * takes over. "Before the app is up" is made to last here: the app shell's
 * chunk (app/start.tsx) is held back until the test lets it through.
 */

const it = e2eTest('start-shell', { ttftMs: 30, replyTokens: 20, tokensPerSecond: 2000 })

const POLL = { timeout: 15_000 }

const SHELL = '#start-shell'
const SHELL_BOX = `${SHELL} [data-testid="composer"]`

/** The app shell's chunk (app/start.tsx), which the tests hold back or fail. */
const START_CHUNK = /\/assets\/start-[^/]*\.js$/

/** A fresh page whose app shell chunk waits for `release()`; the entry (and so the shell's watcher) runs. */
async function openHeld(
  browser: Browser,
  host: RunningWebHost,
  colorScheme: 'dark' | 'light' = 'dark',
): Promise<{ page: Page & { errors: string[] }; context: BrowserContext; release: () => void }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme })
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  await context.route(START_CHUNK, async (route: Route) => {
    await released
    await route.continue().catch(() => undefined)
  })
  const page = await pageWithErrors(context)
  await page.goto(host.url)
  await page.locator(SHELL_BOX).waitFor()
  // The entry has run (it watches the shell) once it has asked for the start-up reads' answers.
  await expect.poll(() => page.evaluate(`document.querySelectorAll('script[type="module"]').length > 0`), POLL).toBe(true)
  return { page, context, release }
}

/** `run` on a held page (openHeld), closed after it; `emptyDraft`: main's saved draft is cleared first. */
async function withHeld(
  browser: Browser,
  host: RunningWebHost,
  { emptyDraft }: { emptyDraft: boolean },
  run: (page: Page & { errors: string[] }, release: () => void) => Promise<void>,
): Promise<void> {
  if (emptyDraft) await callBridge(host, 'state:set', { key: 'playground.draft', value: null })
  const { page, context, release } = await openHeld(browser, host)
  try {
    await run(page, release)
  } finally {
    release()
    await context.close()
  }
}

/** Waits until the app has taken over: its box is on screen and the shell is gone. */
async function appUp(page: Page): Promise<void> {
  await page.locator(APP_COMPOSER).waitFor()
  expect(await page.locator(SHELL).count()).toBe(0)
}

const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)
const selection = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLTextAreaElement | null
    return el && 'selectionStart' in el ? [el.selectionStart, el.selectionEnd] : null
  })

/** Puts `text` as the first pane's unsent text into main's saved draft, through the app itself. */
async function saveDraftText(browser: Browser, host: RunningWebHost, text: string): Promise<void> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(host.url)
    await page.locator(APP_COMPOSER).fill(text)
    await expect.poll(() => callBridge(host, 'playground:draft-get', {}), POLL).toMatchObject({ draft: { panes: [{ composer: text }] } })
  } finally {
    await context.close()
  }
}

describe('the start shell', () => {
  it('shows the navigation and a message box, themed and usable, before any script has run', async ({ browser, host }) => {
    for (const colorScheme of ['dark', 'light'] as const) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme })
      try {
        // No script at all: what index.html and the stylesheet give by themselves.
        await context.route(/\.js$/, (route) => route.abort())
        const page = await context.newPage()
        await page.goto(host.url)
        const nav = page.locator(`${SHELL} nav[aria-label="Main"] [data-testid^="nav-"]`)
        expect(await nav.allTextContents()).toEqual(['Playground1', 'Compare2', 'Models3', 'Policies4', 'Gateway5', 'History6', 'Settings7'])
        // The theme the system asks for, from the design tokens, though no script has set one.
        expect(await page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBe(null)
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
          colorScheme === 'dark' ? 'rgb(15, 17, 21)' : 'rgb(246, 247, 249)',
        )
        // Keyboard alone reaches the box, and it takes text.
        let steps = 0
        while ((await activeTestId(page)) !== 'composer' && steps++ < 20) await page.keyboard.press('Tab')
        expect(await activeTestId(page)).toBe('composer')
        await page.keyboard.type('Typed before any script')
        expect(await page.locator(SHELL_BOX).inputValue()).toBe('Typed before any script')
        const serious = (await axeViolations(page)).filter((v) => v.impact === 'critical' || v.impact === 'serious')
        expect(serious).toEqual([])
        await screenshot(page, `start-shell-no-script-${colorScheme}`)
      } finally {
        await context.close()
      }
    }
  })

  it('says so when the app’s code cannot be loaded, stops Send, and keeps what was typed through the reload', async ({ browser, host, fake }) => {
    await callBridge(host, 'state:set', { key: 'playground.draft', value: null })
    const chatsBefore = fake.chatRequests.length
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
    try {
      let fail!: () => void
      const failed = new Promise<void>((resolve) => (fail = resolve))
      const failStart = async (route: Route) => {
        await failed
        await route.abort().catch(() => undefined)
      }
      await context.route(START_CHUNK, failStart)
      const page = await pageWithErrors(context)
      await page.goto(host.url)
      await page.locator(SHELL_BOX).click()
      await page.keyboard.type('Not lost')
      fail()
      const alert = page.getByTestId('start-failure')
      await alert.waitFor({ timeout: 15_000 })
      expect(await alert.getAttribute('role')).toBe('alert')
      expect(await alert.textContent()).toMatch(
        /^Wafer Console could not load its code \(.+\)\. Reload the window \(Ctrl\+R or Cmd\+R\) to try again: what you typed stays/,
      )
      expect(await page.locator(SHELL_BOX).inputValue()).toBe('Not lost')
      // Send stands disabled: asked for, by button or key, it says the failure again (the alert put back in the page,
      // which screen readers announce anew) rather than queue a send that can never be made. So do the screen buttons.
      const send = page.locator(`${SHELL} [data-testid="send"]`)
      expect(await send.getAttribute('aria-disabled')).toBe('true')
      await page.evaluate(() => {
        const w = window as Window & { alertsPut?: number }
        w.alertsPut = 0
        new MutationObserver((records) => {
          for (const r of records) for (const n of r.addedNodes) if ((n as HTMLElement).dataset?.testid === 'start-failure') w.alertsPut!++
        }).observe(document.body, { childList: true, subtree: true })
      })
      await page.locator(SHELL_BOX).click()
      await page.keyboard.type(', and more')
      await page.keyboard.press('Control+Enter')
      // Forced: Playwright will not click what says it is disabled; a user's click still comes.
      await send.click({ force: true })
      // A screen asked for: it cannot open either, and the playground (the alert, the text) stays on screen.
      await page.locator(`${SHELL} [data-testid="nav-models"]`).click()
      await expect.poll(() => page.evaluate(() => (window as Window & { alertsPut?: number }).alertsPut), POLL).toBe(3)
      expect(await page.getByTestId('start-failure').count()).toBe(1)
      expect(await page.getByTestId('start-failure').isVisible()).toBe(true)
      expect(await page.locator(`${SHELL} [data-testid="nav-playground"]`).getAttribute('aria-current')).toBe('page')
      expect(await page.locator(SHELL_BOX).inputValue()).toBe('Not lost, and more')
      const serious = (await axeViolations(page)).filter((v) => v.impact === 'critical' || v.impact === 'serious')
      expect(serious).toEqual([])
      await screenshot(page, 'start-shell-load-failed')

      // The reload it asks for: this time the code loads, and the text is in the app's box, the first pane's draft.
      await context.unroute(START_CHUNK, failStart)
      await page.reload()
      await appUp(page)
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe('Not lost, and more')
      await expect.poll(() => callBridge(host, 'playground:draft-get', {}), POLL).toMatchObject({ draft: { panes: [{ composer: 'Not lost, and more' }] } })
      // Kept by the draft from here on, not by the window: another reload shows it once, not twice.
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
      await page.reload()
      await appUp(page)
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe('Not lost, and more')
      // No send was ever made.
      expect(fake.chatRequests.length).toBe(chatsBefore)
      expect(page.errors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('is painted in the theme the user chose, before any script has run, whatever the system asks for', async ({ browser, host }) => {
    for (const [theme, colorScheme, background] of [
      ['light', 'dark', 'rgb(246, 247, 249)'],
      ['dark', 'light', 'rgb(15, 17, 21)'],
    ] as const) {
      await callBridge(host, 'settings:update', { theme })
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme })
      try {
        await context.route(/\.js$/, (route) => route.abort())
        const page = await context.newPage()
        await page.goto(host.url)
        await page.locator(SHELL_BOX).waitFor()
        expect(await page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBe(theme)
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(background)
      } finally {
        await context.close()
      }
    }
    await callBridge(host, 'settings:update', { theme: 'system' })
  })

  it('keeps what was typed, the caret and the focus when the app takes over, and typing goes on', async ({ browser, host }) => {
    await withHeld(browser, host, { emptyDraft: true }, async (page, release) => {
      await page.locator(SHELL_BOX).click()
      await page.keyboard.type('Hello wrld')
      // The caret put back between "w" and "r", as a user fixing a typo would.
      await page.keyboard.press('ArrowLeft')
      await page.keyboard.press('ArrowLeft')
      await page.keyboard.press('ArrowLeft')
      expect(await selection(page)).toEqual([7, 7])
      await screenshot(page, 'start-shell-typed-before-app')
      release()
      await appUp(page)
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe('Hello wrld')
      expect(await activeTestId(page)).toBe('composer')
      expect(await selection(page)).toEqual([7, 7])
      await page.keyboard.type('o')
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe('Hello world')
      // And it is the first pane's: main keeps it as the draft.
      await expect.poll(() => callBridge(host, 'playground:draft-get', {}), POLL).toMatchObject({ draft: { panes: [{ composer: 'Hello world' }] } })
      await screenshot(page, 'start-shell-taken-over')
      expect(page.errors).toEqual([])
    })
  })

  it('keeps a long text scrolled where it was when the app takes over', async ({ browser, host }) => {
    await withHeld(browser, host, { emptyDraft: true }, async (page, release) => {
      await page.locator(SHELL_BOX).click()
      const lines = Array.from({ length: 14 }, (_, i) => `line ${i + 1}`)
      await page.keyboard.type(lines.join('\n'))
      // The box shows three rows: the caret at the end has scrolled it to the bottom; the user scrolls back up a bit.
      const bottom = await page.locator(SHELL_BOX).evaluate((el) => el.scrollTop)
      expect(bottom).toBeGreaterThan(40)
      await page.locator(SHELL_BOX).evaluate((el) => (el.scrollTop = 20))
      await expect.poll(() => page.locator(SHELL_BOX).evaluate((el) => el.scrollTop)).toBe(20)
      const scrolled = 20
      release()
      await appUp(page)
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe(lines.join('\n'))
      expect(await page.locator(APP_COMPOSER).evaluate((el) => el.scrollTop)).toBe(scrolled)
      expect(await activeTestId(page)).toBe('composer')
    })
  })

  it('puts the saved draft’s unsent text in the box, and what was typed before it arrived after it', async ({ browser, host }) => {
    await saveDraftText(browser, host, 'Saved yesterday')
    await withHeld(browser, host, { emptyDraft: false }, async (page, release) => {
      // Typed before the playground's code (and so the draft) is in: the held chunk holds the playground back too.
      await page.locator(SHELL_BOX).click()
      await page.keyboard.type('and today')
      release()
      await appUp(page)
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe('Saved yesterday\nand today')
      // The caret stays at the end of what was typed.
      expect(await selection(page)).toEqual([25, 25])
      await expect
        .poll(() => callBridge(host, 'playground:draft-get', {}), POLL)
        .toMatchObject({ draft: { panes: [{ composer: 'Saved yesterday\nand today' }] } })
      expect(page.errors).toEqual([])
    })
  })

  it('takes the box over only once an input method has finished composing in it', async ({ browser, host }) => {
    await withHeld(browser, host, { emptyDraft: true }, async (page, release) => {
      await page.locator(SHELL_BOX).click()
      await page.keyboard.type('Hi ')
      await page.locator(SHELL_BOX).evaluate((box) => {
        const seen: string[] = []
        ;(window as Window & { compositionSeen?: string[] }).compositionSeen = seen
        box.addEventListener('compositionend', (e) => seen.push((e as CompositionEvent).data))
      })
      // A Japanese input method's preedit, its candidate not yet chosen.
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Input.imeSetComposition', { text: 'にほん', selectionStart: 3, selectionEnd: 3 })
      expect(await page.locator(SHELL_BOX).inputValue()).toBe('Hi にほん')
      release()
      // The app's code in, the playground's chunk too (what the first render waits for, with the start-up reads
      // already answered), then frames enough for that render: without the wait, the app has taken over by now. The
      // shell is still there, still composing.
      await expect
        .poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((r) => /\/assets\/PlaygroundScreen-[^/]*\.js$/.test(r.name))), POLL)
        .toBe(true)
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            let frames = 0
            const next = () => (++frames >= 30 ? resolve() : requestAnimationFrame(next))
            requestAnimationFrame(next)
          }),
      )
      expect(await page.locator(SHELL).count()).toBe(1)
      expect(await page.evaluate(() => document.getElementById('root')?.childElementCount)).toBe(0)
      expect(await page.evaluate(() => (window as Window & { compositionSeen?: string[] }).compositionSeen)).toEqual([])
      // The user picks the candidate: the composition ends with it, and then the app takes over.
      await cdp.send('Input.insertText', { text: '日本' })
      await appUp(page)
      expect(await page.evaluate(() => (window as Window & { compositionSeen?: string[] }).compositionSeen)).toEqual(['日本'])
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe('Hi 日本')
      expect(await activeTestId(page)).toBe('composer')
      expect(await selection(page)).toEqual([5, 5])
      await page.keyboard.type('!')
      expect(await page.locator(APP_COMPOSER).inputValue()).toBe('Hi 日本!')
      expect(page.errors).toEqual([])
    })
  })

  it('makes a send asked for before the app was up (Ctrl+Enter), once the app is', async ({ browser, host, fake }) => {
    const before = fake.chatRequests.length
    await withHeld(browser, host, { emptyDraft: true }, async (page, release) => {
      await page.locator(SHELL_BOX).click()
      await page.keyboard.type('Sent before the app was up')
      await page.keyboard.press('Control+Enter')
      // Kept, not lost, and nothing sent yet: the app is not up.
      expect(await page.locator(SHELL_BOX).inputValue()).toBe('Sent before the app was up')
      expect(fake.chatRequests.length).toBe(before)
      release()
      await appUp(page)
      await page.getByTestId('assistant-message').first().waitFor({ timeout: 15_000 })
      const chats = fake.chatRequests.slice(before)
      expect(chats).toHaveLength(1)
      expect(JSON.stringify(chats[0].body)).toContain('Sent before the app was up')
      expect(await page.getByTestId('assistant-message').count()).toBe(1)
      expect(page.errors).toEqual([])
    })
  })

  it('opens a screen and a theme picked before the app was up, and keeps the text typed meanwhile', async ({ browser, host }) => {
    await callBridge(host, 'settings:update', { theme: 'system' })
    try {
      await withHeld(browser, host, { emptyDraft: true }, async (page, release) => {
        await page.locator(SHELL_BOX).click()
        await page.keyboard.type('Half a thought')
        await page.locator(`${SHELL} [data-testid="nav-models"]`).click()
        // Marked at once; the playground is hidden (its text kept) and the screen's loading is said.
        expect(await page.locator(`${SHELL} [data-testid="nav-models"]`).getAttribute('aria-current')).toBe('page')
        expect(await page.locator(`${SHELL} [data-testid="nav-playground"]`).getAttribute('aria-current')).toBe(null)
        expect(await page.locator(`${SHELL} [role="status"]`).textContent()).toBe('Loading Models…')
        expect(await page.locator(SHELL_BOX).isVisible()).toBe(false)
        await page.locator(`${SHELL} button[aria-label="Light theme"]`).click()
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
        await screenshot(page, 'start-shell-screen-picked')
        release()
        await page.getByTestId('screen-models').waitFor({ timeout: 15_000 })
        expect(await page.locator(SHELL).count()).toBe(0)
        expect(await page.getByTestId('nav-models').getAttribute('aria-current')).toBe('page')
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
        await expect.poll(() => callBridge(host, 'settings:get', {}).then((s) => s.settings.theme), POLL).toBe('light')
        await page.getByTestId('nav-playground').click()
        await expect.poll(() => page.locator(APP_COMPOSER).inputValue(), POLL).toBe('Half a thought')
        expect(page.errors).toEqual([])
      })
    } finally {
      await callBridge(host, 'settings:update', { theme: 'system' })
    }
  })
})
