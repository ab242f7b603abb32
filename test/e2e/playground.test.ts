import type { Browser, Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { callBridge, storedState } from '../support/bridge'
import { APP_COMPOSER, pageWithErrors, screenshot } from '../support/browser'
import type { RunningWebHost } from '../support/web-host'
import { e2eTest } from './stack'

/*
 * The playground against the fake Cerebras server, through `npm run web`:
 * a streamed answer with its figures and chart, stop, a 404 with its
 * recovery hint, a 429 countdown that then succeeds, variables that block
 * sending, View code, the draft surviving a reload, and a run found in
 * History and reopened.
 */

/** UI updates can take a few seconds on a busy 2-core machine (lazy chunks, tokenizer loads). */
const POLL = { timeout: 15_000 }

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim()

async function openPlayground(browser: Browser, host: RunningWebHost): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' })
  const page = await pageWithErrors(context)
  await page.goto(host.url)
  await page.getByTestId('nav-playground').click()
  await page.locator(APP_COMPOSER).waitFor()
  return page
}

async function newChat(page: Page): Promise<void> {
  await page.getByTestId('new-chat').click()
  await expect.poll(() => page.getByTestId('messages').locator('.pg-msg').count(), POLL).toBe(0)
}

async function sendPrompt(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Control+Enter')
}

async function setModel(page: Page, model: string): Promise<void> {
  await page.getByTestId('model-input').fill(model)
}

const it = e2eTest('playground', { ttftMs: 80, replyTokens: 160, tokensPerSecond: 1500 }).extend('page', { scope: 'file' }, async ({ browser, host }) =>
  openPlayground(browser, host),
)

it.afterEach(async ({ page, task }) => {
  // A failed step leaves a picture of the screen it failed on.
  if (task.result?.state === 'fail') await screenshot(page, `playground-FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
})

describe('the playground', () => {
  it('streams an answer and shows the text, the figures and the throughput chart', async ({ page, fake }) => {
    await sendPrompt(page, 'Explain how pelicans would design a wafer-scale chip')
    const answer = page.getByTestId('assistant-message').last()
    await answer.waitFor()
    const sent = fake.chatRequests.at(-1)!
    expect(normalise((await answer.getByTestId('assistant-text').textContent()) ?? '')).toBe(normalise(sent.sent.content))
    expect(sent.body).toMatchObject({ model: 'gpt-oss-120b', stream: true, stream_options: { include_usage: true }, max_completion_tokens: 4096 })

    const chips = page.getByTestId('metric-chips')
    await chips.waitFor()
    for (const chip of ['ttft', 'decode', 'client', 'queue', 'prompt', 'decode-time', 'in', 'out', 'cost']) {
      const value = await chips.locator(`[data-chip="${chip}"] .pg-chip-value`).textContent()
      expect(value, chip).not.toBe('—')
    }
    expect(await chips.locator('[data-chip="out"] .pg-chip-value').textContent()).toMatch(/reasoning/)
    const chart = page.getByTestId('throughput-chart')
    await chart.locator('path.pg-area').waitFor()
    expect((await chart.locator('path.pg-area').getAttribute('d'))?.length).toBeGreaterThan(20)
    await expect.poll(() => chart.locator('text', { hasText: 'TTFT' }).count(), POLL).toBeGreaterThan(0)
    // The reasoning of gpt-oss streamed too, in its own block.
    expect(await answer.getByTestId('reasoning').getAttribute('hidden')).toBeNull()
    // Rate-limit gauges come from the response headers.
    await page.getByTestId('rl-tokens-minute').waitFor()
    expect(await page.getByTestId('rl-requests-day').textContent()).toMatch(/Requests\/day14,3\d\d\/14,400/)
    await screenshot(page, 'playground-answer')
  })

  it('shows each token of an answer shaded by its probability, with the alternatives on hover', async ({ page, fake }) => {
    await newChat(page)
    await page.getByTestId('logprobs-switch').check()
    await page.getByTestId('top-logprobs').fill('3')
    await setModel(page, 'fake-fast')
    await sendPrompt(page, 'Describe a pelican in one paragraph')
    const answer = page.getByTestId('assistant-message').last()
    await answer.waitFor()
    const sent = fake.chatRequests.at(-1)!
    expect(sent.body).toMatchObject({ logprobs: true, top_logprobs: 3 })
    await answer.getByTestId('toggle-logprobs').click()
    const view = answer.getByTestId('logprobs')
    await view.waitFor()
    const tokens = view.getByTestId('logprob-token')
    // One shaded span per token the server sent, spelling out the answer.
    expect(normalise((await tokens.allTextContents()).join(''))).toBe(normalise(sent.sent.content))
    expect(await view.textContent()).toMatch(/tokens · mean p \d+(\.\d+)?% · perplexity \d/)
    expect(await tokens.first().getAttribute('title')).toMatch(/alternatives:/)
    await screenshot(page, 'playground-logprobs')
    await page.getByTestId('logprobs-switch').uncheck()
    await setModel(page, 'gpt-oss-120b')
  })

  it('stops mid-stream and keeps the partial text, saved as a stopped run', async ({ page, fake }) => {
    await newChat(page)
    fake.queuedFaults.push('slow_drip?gap_ms=25')
    await sendPrompt(page, 'Write a very long story about a slow river')
    const live = page.getByTestId('assistant-live')
    await live.waitFor()
    await expect.poll(async () => normalise((await live.getByTestId('assistant-text').textContent()) ?? '').length, { timeout: 10_000 }).toBeGreaterThan(40)
    await page.getByTestId('stop').click()
    const kept = page.getByTestId('assistant-message').last()
    await kept.waitFor()
    await page.getByTestId('run-stopped').waitFor()
    const partial = normalise((await kept.getByTestId('assistant-text').textContent()) ?? '')
    const sent = normalise(fake.chatRequests.at(-1)!.sent.content)
    expect(partial.length).toBeGreaterThan(40)
    expect(sent.startsWith(partial)).toBe(true)
    expect(partial.length).toBeLessThan(normalise('x'.repeat(160 * 8)).length)
    await screenshot(page, 'playground-stopped')
    // Esc also stops a running answer.
    fake.queuedFaults.push('slow_drip?gap_ms=25')
    await page.getByTestId('regenerate').click()
    await page.getByTestId('assistant-live').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('run-stopped').waitFor()
  })

  it('shows the recovery hint for a 404 and switches to the suggested model', async ({ page }) => {
    await newChat(page)
    await setModel(page, 'llama3.1-8b')
    await sendPrompt(page, 'Hello from a retired model')
    const error = page.getByTestId('run-error')
    await error.waitFor()
    expect(await error.getAttribute('data-code')).toBe('model_not_found')
    expect(await error.textContent()).toMatch(/llama3\.1-8b/)
    const use = page.getByTestId('use-suggested-model')
    await use.waitFor()
    expect(await use.textContent()).toBe('Use gpt-oss-120b')
    await screenshot(page, 'playground-404-hint')
    await use.click()
    expect(await page.getByTestId('model-input').inputValue()).toBe('gpt-oss-120b')
  })

  it('counts down a 429 and then succeeds', async ({ page, fake }) => {
    await newChat(page)
    fake.queuedFaults.push('429?retry_after_ms=2500')
    await sendPrompt(page, 'Try again after the rate limit')
    const countdown = page.getByTestId('retry-countdown')
    await countdown.waitFor()
    // What is left of a wait counts down in whole seconds, rounded up (lib/format.ts fmtDuration): 2.5 s shows "3 s", never hundredths.
    expect(await countdown.textContent()).toMatch(/Rate limited — retrying in [1-3] s \(attempt 1 of \d\)/)
    await screenshot(page, 'playground-429-countdown')
    await page.getByTestId('assistant-message').last().waitFor({ timeout: 15_000 })
    await countdown.waitFor({ state: 'detached' })
    expect(await page.locator('[data-chip="attempts"] .pg-chip-value').textContent()).toBe('2')
    await screenshot(page, 'playground-429-succeeded')
  })

  it('blocks sending while a variable is empty, then substitutes its value', async ({ page, fake }) => {
    await newChat(page)
    const before = fake.chatRequests.length
    await page.getByTestId('composer').fill('Summarise {{topic}} for a {{audience}}')
    await page.getByTestId('variable-topic').waitFor()
    await page.getByTestId('variable-audience').fill('ten-year-old')
    await page.getByTestId('send').click()
    const blocked = page.getByTestId('send-blocked')
    await blocked.waitFor()
    expect(await blocked.textContent()).toContain('Fill in {{topic}} in Variables before sending.')
    await screenshot(page, 'playground-variables-blocked')
    expect(fake.chatRequests.length).toBe(before)
    expect(await page.getByTestId('composer').inputValue()).toBe('Summarise {{topic}} for a {{audience}}')

    await page.getByTestId('variable-topic').fill('tidal pools')
    await page.getByTestId('send').click()
    await page.getByTestId('assistant-message').last().waitFor()
    const messages = fake.chatRequests.at(-1)!.body!.messages as { role: string; content: string }[]
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Summarise tidal pools for a ten-year-old' })
    // The conversation keeps the template; only the request has the values.
    expect(await page.getByTestId('user-message').last().textContent()).toContain('{{topic}}')
  })

  it('explains a strict-schema problem before sending instead of sending it', async ({ page, fake }) => {
    await newChat(page)
    const before = fake.chatRequests.length
    await page.getByTestId('format-json_schema').click()
    await page.getByTestId('schema-input').fill('{"type":"object","properties":{"a":{"type":["string","null"]}}}')
    await sendPrompt(page, 'Give me JSON')
    const blocked = page.getByTestId('send-blocked')
    await blocked.first().waitFor()
    const text = (await blocked.allTextContents()).join('\n')
    expect(text).toContain('missing: "a"')
    expect(text).toContain('"type": ["string", "null"] is not allowed in strict mode')
    expect(fake.chatRequests.length).toBe(before)
    await screenshot(page, 'playground-strict-schema-blocked')
    await page
      .getByTestId('schema-input')
      .fill('{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}')
    await page.getByTestId('send').click()
    const json = page.getByTestId('json-answer').last()
    await json.waitFor()
    expect(await json.textContent()).toContain('Valid JSON, matches the schema')
    await screenshot(page, 'playground-json-answer')
    await page.getByTestId('format-text').click()
  })

  it('shows a tool call as a card and continues the conversation with the typed result', async ({ page, fake }) => {
    await newChat(page)
    const tools = [
      {
        type: 'function',
        function: {
          name: 'lookup_bird',
          description: 'Look up a bird',
          parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        },
      },
    ]
    await page.getByTestId('tools-input').fill(JSON.stringify(tools))
    await page.getByTestId('tool-choice-required').click()
    const before = fake.chatRequests.length
    await sendPrompt(page, 'Which bird dives fastest?')
    const card = page.getByTestId('tool-calls').last()
    await card.getByTestId('tool-result-input').waitFor()
    expect(await card.textContent()).toContain('lookup_bird')
    expect(await card.textContent()).toContain('"query"')
    await card.getByTestId('tool-result-input').fill('{"bird": "peregrine falcon", "kmh": 389}')
    await screenshot(page, 'playground-tool-call')
    await card.getByTestId('send-tool-results').click()
    await expect.poll(() => fake.chatRequests.length, POLL).toBe(before + 2)
    const messages = fake.chatRequests.at(-1)!.body!.messages as {
      role: string
      content: unknown
      tool_calls?: { id: string; function: { name: string } }[]
      tool_call_id?: string
    }[]
    const call = messages.at(-2)!
    expect(call).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ function: { name: 'lookup_bird' } }] })
    expect(messages.at(-1)).toEqual({ role: 'tool', content: '{"bird": "peregrine falcon", "kmh": 389}', tool_call_id: call.tool_calls![0].id })
    await page.getByTestId('tool-choice-default').click()
    await page.getByTestId('tools-input').fill('')
  })

  it('shows the exact request as code with the key from the environment', async ({ page, fake }) => {
    await page.getByTestId('composer').fill('What does View code show?')
    await page.getByTestId('view-code-button').click()
    const code = page.getByTestId('view-code')
    await code.waitFor()
    const curl = (await code.textContent()) ?? ''
    expect(curl).toContain('Authorization: Bearer $CEREBRAS_API_KEY')
    expect(curl).toContain(`${fake.baseUrl}/chat/completions`)
    expect(curl).toContain('"include_usage": true')
    expect(curl).toContain('What does View code show?')
    expect(curl).not.toContain('csk-e2e-playground')
    await screenshot(page, 'playground-view-code')
    await page.getByRole('tab', { name: 'Python · openai' }).click()
    expect(await code.textContent()).toContain('api_key=os.environ["CEREBRAS_API_KEY"]')
    await page.keyboard.press('Escape')
    await page.getByTestId('dialog-code').waitFor({ state: 'detached' })
  })

  it('keeps the keyboard inside the View code dialog and gives the focus back when Esc closes it', async ({ page }) => {
    const button = page.getByTestId('view-code-button')
    await button.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'View code' })
    await dialog.waitFor()
    expect(await dialog.getAttribute('aria-modal')).toBe('true')
    const focusInDialog = () => page.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('data-testid') ?? null)
    const focused = () => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80) ?? '')
    await expect.poll(focusInDialog, POLL).toBe('dialog-code')
    const first = await focused()
    // Round the dialog's controls and past its last one: the focus never leaves, and comes back to the first.
    const controls = await dialog.evaluate(
      (d) => d.querySelectorAll('button:not([disabled]), [href], input, select, textarea, [tabindex]:not([tabindex="-1"])').length,
    )
    expect(controls).toBeGreaterThan(1)
    const seen = new Set<string>()
    for (let i = 0; i < controls; i++) {
      await page.keyboard.press('Tab')
      expect(await focusInDialog()).toBe('dialog-code')
      seen.add(await focused())
    }
    expect(seen.size).toBeGreaterThan(1)
    expect(seen.has(first)).toBe(true)
    for (let i = 0; i < controls; i++) {
      await page.keyboard.press('Shift+Tab')
      expect(await focusInDialog()).toBe('dialog-code')
    }
    await screenshot(page, 'playground-view-code-keyboard')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null), POLL).toBe('view-code-button')
  })

  it('keeps the draft across a reload', async ({ page, host }) => {
    await page.getByTestId('composer').fill('This unsent text must survive')
    // The draft is saved half a second after the last edit: wait until main has it.
    await expect.poll(() => storedState(host, 'playground.draft'), POLL).toContain('This unsent text must survive')
    await page.reload()
    await page.getByTestId('nav-playground').click()
    await expect.poll(() => page.locator(APP_COMPOSER).inputValue(), POLL).toBe('This unsent text must survive')
    expect(await page.getByTestId('assistant-message').count()).toBeGreaterThan(0)
    await page.getByTestId('composer').fill('')
  })

  it('sets a kept draft that no longer reads aside, says so, and starts fresh', async ({ page, host }) => {
    // A page with an edit still to save saves it as it unloads: reload first, so nothing overwrites what is put below.
    await page.reload()
    await expect.poll(() => page.locator(APP_COMPOSER).isEnabled(), POLL).toBe(true)
    // What an older build or a damaged file could leave under the draft's key; main checks it as it reads it.
    await callBridge(host, 'state:set', { key: 'playground.draft', value: { version: 1, layout: 3, panes: 'not panes' } })
    await page.reload()
    await page.getByTestId('nav-playground').click()
    await expect.poll(() => page.getByTestId('toasts').textContent(), POLL).toContain('could not be read and was set aside')
    await screenshot(page, 'playground-draft-set-aside')
    const composer = page.getByTestId('composer')
    await expect.poll(() => composer.isEnabled(), POLL).toBe(true)
    expect(await composer.inputValue()).toBe('')
    // The next edit is kept as a new draft, which reads.
    await composer.fill('A fresh start')
    await expect
      .poll(() => callBridge(host, 'playground:draft-get', {}), POLL)
      .toMatchObject({ setAside: false, draft: { panes: [{ composer: 'A fresh start' }] } })
    await composer.fill('')
    expect(page.errors).toEqual([])
  })

  it('runs four panes at once with Send all, each with its own model and answer', async ({ page, fake }) => {
    await page.getByTestId('layout-4').click()
    const models = ['gpt-oss-120b', 'zai-glm-4.7', 'fake-fast', 'fake-slow']
    for (let i = 0; i < 4; i++) {
      const pane = page.getByTestId(`pane-${i}`)
      await pane.getByTestId('composer').click()
      await page.getByTestId('model-input').fill(models[i])
      await pane.getByTestId('composer').fill(`Pane ${i + 1} asks about kingfishers`)
    }
    const before = fake.chatRequests.length
    await page.getByTestId('send-all').click()
    for (let i = 0; i < 4; i++) await page.getByTestId(`pane-${i}`).getByTestId('metric-chips').waitFor({ timeout: 30_000 })
    const sent = fake.chatRequests.slice(before)
    expect(sent.map((r) => r.body?.model).sort()).toEqual([...models].sort())
    for (let i = 0; i < 4; i++) {
      const pane = page.getByTestId(`pane-${i}`)
      const req = sent.find((r) => r.body?.model === models[i])!
      expect(normalise((await pane.getByTestId('assistant-text').last().textContent()) ?? '')).toBe(normalise(req.sent.content))
    }
    await screenshot(page, 'playground-four-panes')
    await page.getByTestId('layout-1').click()
    await page.getByTestId('pane-1').waitFor({ state: 'detached' })
  })

  it('finds the run in History by search and reopens it in the playground', async ({ page }) => {
    await page.getByTestId('nav-history').click()
    await page.getByTestId('history-search').fill('pelicans')
    const row = page.getByTestId('history-row')
    await expect.poll(() => row.count(), POLL).toBe(1)
    expect(await row.first().textContent()).toContain('Explain how pelicans would design a wafer-scale chip')
    await screenshot(page, 'history-search-pelicans')
    await row.first().click()
    await page.getByTestId('run-detail').waitFor()
    await screenshot(page, 'history-run-detail')
    await page.getByTestId('reopen-run').click()
    await page.getByTestId('screen-playground').waitFor()
    await expect.poll(() => page.getByTestId('user-message').first().textContent(), POLL).toContain('pelicans')
    expect(await page.getByTestId('assistant-message').count()).toBe(1)
    await screenshot(page, 'playground-reopened')
    expect(page.errors).toEqual([])
  })
})
