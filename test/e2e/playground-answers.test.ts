import { CONTINUE_PROMPT } from '@renderer/features/playground/build-request'
import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { SAMPLES } from '../../electron/main/services/demo/fake-cerebras/reply'
import { axeViolations } from '../support/axe'
import { APP_COMPOSER, screenshot } from '../support/browser'
import { e2eTest } from './stack'

/*
 * Answers in the playground as the model sent them, through `npm run web`
 * against the fake Cerebras server's sample answers: a list's single line
 * breaks kept, LaTeX typeset (and copied back as sent), an answer cut at
 * the token limit marked and continued in place, and a failed prompt marked,
 * left out of what is sent, then retried or taken back to edit.
 */

const POLL = { timeout: 15_000 }

type AppPage = Page & { errors: string[]; cspViolations: string[] }

const it = e2eTest('playground-answers', { ttftMs: 40, replyTokens: 60, tokensPerSecond: 2000 }).extend(
  'page',
  { scope: 'file' },
  async ({ browser, host }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin })
    const page = (await context.newPage()) as AppPage
    page.errors = []
    page.cspViolations = []
    page.on('pageerror', (e) => page.errors.push(e.message))
    page.on('console', (m) => {
      // What the CSP blocked (a font, a style): "Refused to load …".
      if (/^Refused to/.test(m.text())) page.cspViolations.push(m.text())
    })
    await page.goto(host.url)
    await page.getByTestId('nav-playground').click()
    await page.locator(APP_COMPOSER).waitFor()
    return page
  },
)

it.afterEach(async ({ page, task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `answers-FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
})

async function newChat(page: Page): Promise<void> {
  await page.getByTestId('new-chat').click()
  await expect.poll(() => page.getByTestId('messages').locator('.pg-msg').count(), POLL).toBe(0)
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Control+Enter')
}

/** Wait until no answer is streaming, then return the last saved answer. */
async function lastAnswer(page: Page) {
  await expect.poll(() => page.getByTestId('assistant-live').count(), POLL).toBe(0)
  const answer = page.getByTestId('assistant-message').last()
  await answer.waitFor()
  return answer
}

/** What the clipboard holds, read in the page. */
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText())

describe('answers shown as sent', () => {
  it('keeps the single line breaks of a list', async ({ page, fake }) => {
    await newChat(page)
    await send(page, 'sample: list')
    const answer = await lastAnswer(page)
    expect(fake.chatRequests.at(-1)!.sent.content).toBe(SAMPLES.list)
    const text = answer.getByTestId('assistant-text')
    // Five lines on screen, one per line the model sent, not one run-on line. A finished answer is painted
    // in the frames after it mounts (a budget per frame), so the check waits for the paint rather than reading at once.
    await expect.poll(() => text.evaluate((el) => (el as HTMLElement).innerText.trim().split('\n')), POLL).toEqual(SAMPLES.list.split('\n'))
    expect(await text.locator('br').count()).toBe(4)
    await answer.getByRole('button', { name: 'Copy answer' }).click()
    await expect.poll(() => clipboard(page), POLL).toBe(SAMPLES.list)
    await screenshot(page, 'answers-list-line-breaks')
  })

  it('keeps the streamed answer on screen as it is once the run is saved: the same elements, nothing rendered again', async ({ page }) => {
    await newChat(page)
    // Every element that showed a streaming answer's text, collected as it is added (however short the stream).
    await page.evaluate(() => {
      const w = window as unknown as { liveTexts: Element[]; liveObserver: MutationObserver }
      w.liveTexts = []
      w.liveObserver = new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid="assistant-live"] [data-testid="assistant-text"]')) {
          if (!w.liveTexts.includes(el)) w.liveTexts.push(el)
        }
      })
      w.liveObserver.observe(document.body, { childList: true, subtree: true })
    })
    await send(page, 'Describe the wafer in a few words')
    const answer = await lastAnswer(page)
    const kept = await answer.getByTestId('assistant-text').evaluate((el) => {
      const w = window as unknown as { liveTexts: Element[]; liveObserver: MutationObserver }
      w.liveObserver.disconnect()
      return { seen: w.liveTexts.length, same: w.liveTexts.includes(el) }
    })
    expect(kept.seen).toBeGreaterThan(0)
    // A remounted answer would be a new element, laid out again from its first block.
    expect(kept.same).toBe(true)
  })

  it('typesets LaTeX with KaTeX, shows a display formula as source until it closes, and copies the exact text', async ({ page, fake }) => {
    await newChat(page)
    // Slow enough to see a display formula while it is still open.
    fake.queuedFaults.push('slow_drip?gap_ms=40')
    await send(page, 'sample: latex')
    // Read in the page the moment it shows: the formula closes a few chunks later, sooner than a second look from here
    // on a busy machine (a clean-clone CI run once found it gone between waiting for it and reading it).
    const pendingText = await page
      .waitForFunction(() => document.querySelector('[data-testid="assistant-live"] .md-math-pending')?.textContent ?? null, null, POLL)
      .then((h) => h.jsonValue())
    expect(pendingText).toMatch(/^(\\\[|\$\$)\n/)
    await screenshot(page, 'answers-latex-open-formula')

    const answer = await lastAnswer(page)
    const sent = fake.chatRequests.at(-1)!.sent.content
    expect(sent).toBe(SAMPLES.latex)
    const text = answer.getByTestId('assistant-text')
    expect(await text.locator('.md-math-pending').count()).toBe(0)
    // Three inline formulas and two display ones, each keeping its source as sent.
    expect(await text.locator('.md-math').evaluateAll((els) => els.map((e) => e.getAttribute('data-tex')))).toEqual([
      '\\(ax^2 + bx + c = 0\\)',
      '\\[\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n\\]',
      '\\(n\\)',
      '$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$',
      '$e^{i\\pi} + 1 = 0$',
    ])
    expect(await text.locator('.katex-display').count()).toBe(2)
    expect(await text.locator('.katex-error').count()).toBe(0)
    // Money and code stay as written.
    expect(await text.textContent()).toContain('Prices like $5 and $10 stay text')
    expect(await text.locator('code').first().textContent()).toBe('$x$')
    // KaTeX's fonts load from the app under its CSP, and KaTeX laid the fraction out with them.
    await expect
      .poll(() => page.evaluate(() => [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').length), POLL)
      .toBeGreaterThan(1)
    expect(await text.locator('.katex .mfrac').count()).toBeGreaterThan(0)
    expect(page.cspViolations).toEqual([])
    await screenshot(page, 'answers-latex')

    // Copy gives exactly what the model sent; a copied selection gives the formulas' LaTeX.
    await answer.getByRole('button', { name: 'Copy answer' }).click()
    await expect.poll(() => clipboard(page), POLL).toBe(sent)
    const copied = await text.evaluate((el) => {
      const selection = el.ownerDocument.getSelection()!
      selection.selectAllChildren(el)
      const data = new DataTransfer()
      el.querySelector('.md-math')!.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }))
      selection.removeAllRanges()
      return data.getData('text/plain')
    })
    expect(copied).toContain('The roots of \\(ax^2 + bx + c = 0\\) are')
    expect(copied).toContain('\\[\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n\\]')
    expect(copied).toContain('Euler: $e^{i\\pi} + 1 = 0$.')
  })

  it('marks an answer cut at the token limit and continues it in the same answer', async ({ page, fake }) => {
    await newChat(page)
    await page.getByTestId('param-max-tokens').fill('5')
    await send(page, 'sample: list')
    const answer = await lastAnswer(page)
    const cut = fake.chatRequests.at(-1)!.sent.content
    expect(cut).toBe(SAMPLES.list.slice(0, 20))
    const note = answer.getByTestId('finish-note')
    expect(await note.getAttribute('data-reason')).toBe('length')
    expect(await note.textContent()).toContain('finish_reason: length')
    expect(await answer.getByTestId('finish-reason').textContent()).toBe('Cut off: token limit')
    await screenshot(page, 'answers-cut-off')

    await page.getByTestId('param-max-tokens').fill('4096')
    const before = fake.chatRequests.length
    await answer.getByTestId('continue-answer').click()
    await expect.poll(() => fake.chatRequests.length, POLL).toBe(before + 1)
    const messages = fake.chatRequests.at(-1)!.body!.messages as { role: string; content: string }[]
    expect(messages.slice(-3)).toEqual([
      { role: 'user', content: 'sample: list' },
      { role: 'assistant', content: cut },
      { role: 'user', content: CONTINUE_PROMPT },
    ])
    const whole = await lastAnswer(page)
    // One answer, grown in place: the made-up "continue" turn is not in the conversation.
    expect(await page.getByTestId('assistant-message').count()).toBe(1)
    expect(await page.getByTestId('user-message').count()).toBe(1)
    expect(await whole.getByTestId('assistant-text').evaluate((el) => (el as HTMLElement).innerText.trim())).toBe(SAMPLES.list)
    expect(await whole.getByTestId('finish-note').count()).toBe(0)
    await whole.getByRole('button', { name: 'Copy answer' }).click()
    await expect.poll(() => clipboard(page), POLL).toBe(SAMPLES.list)
    await screenshot(page, 'answers-continued')
    // The next turn sends the whole answer as one.
    await send(page, 'Thanks')
    await lastAnswer(page)
    const next = fake.chatRequests.at(-1)!.body!.messages as { role: string; content: string }[]
    expect(next.slice(-3)).toEqual([
      { role: 'user', content: 'sample: list' },
      { role: 'assistant', content: SAMPLES.list },
      { role: 'user', content: 'Thanks' },
    ])
  })

  it('marks a failed prompt, leaves it out of what is sent, and retries it or takes it back to edit', async ({ page, fake }) => {
    await newChat(page)
    fake.queuedFaults.push('context_length')
    await send(page, 'A prompt that fails')
    const failedTurn = page.locator('[data-testid="user-message"][data-failed="true"]')
    await failedTurn.waitFor(POLL)
    expect(await failedTurn.getByTestId('failed-badge').textContent()).toBe('Failed · not sent')
    const note = failedTurn.getByTestId('failed-note')
    expect(await note.textContent()).toMatch(/This message failed: .*max_completion_tokens.* It is left out of what is sent to the model/)
    // A screen reader hears why with the message itself.
    const describedBy = await failedTurn.locator('.pg-msg-text').getAttribute('aria-describedby')
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('This message failed')
    await screenshot(page, 'answers-failed-turn')

    // The next prompt goes without the failed one.
    await send(page, 'The next prompt')
    await lastAnswer(page)
    const sent = (fake.chatRequests.at(-1)!.body!.messages as { role: string; content: string }[]).map((m) => m.content)
    expect(sent).toEqual(['The next prompt'])

    // Retry sends it again, as the newest turn; it is no longer marked.
    await failedTurn.getByTestId('retry-failed').click()
    await expect.poll(() => page.locator('[data-failed="true"]').count(), POLL).toBe(0)
    await lastAnswer(page)
    const retried = fake.chatRequests.at(-1)!.body!.messages as { role: string; content: string }[]
    expect(retried.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(retried.at(-1)).toEqual({ role: 'user', content: 'A prompt that fails' })
    expect(await page.getByTestId('user-message').allTextContents()).toEqual(['UserThe next prompt', 'UserA prompt that fails'])

    // Edit takes a failed prompt back into the composer, before what was being typed there.
    fake.queuedFaults.push('context_length')
    await send(page, 'A prompt with a typo')
    await failedTurn.waitFor(POLL)
    await page.getByTestId('composer').fill('and a draft typed since')
    await failedTurn.getByTestId('edit-failed').click()
    await expect.poll(() => page.getByTestId('composer').inputValue(), POLL).toBe('A prompt with a typo\n\nand a draft typed since')
    expect(await failedTurn.count()).toBe(0)
    // Its error went with it.
    expect(await page.getByTestId('run-error').count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('composer')
    await screenshot(page, 'answers-failed-edit')
    await page.getByTestId('composer').fill('')
  })

  it('passes axe (WCAG 2.1 AA) with a formula, a cut-off answer and a failed turn on screen', async ({ page, fake }) => {
    await newChat(page)
    await page.getByTestId('param-max-tokens').fill('40')
    await send(page, 'sample: latex')
    await lastAnswer(page)
    await page.getByTestId('param-max-tokens').fill('4096')
    await send(page, 'sample: latex')
    await lastAnswer(page)
    fake.queuedFaults.push('context_length')
    await send(page, 'A prompt that fails')
    await page.locator('[data-failed="true"]').waitFor(POLL)
    expect(await page.getByTestId('finish-note').count()).toBe(1)
    await screenshot(page, 'answers-axe')
    // The conversation: answers with formulas, finish notes, failed turns and their buttons.
    expect(await axeViolations(page, '[data-testid="messages"]')).toEqual([])
    expect(page.errors).toEqual([])
  })
})
