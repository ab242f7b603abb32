import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describe, expect } from 'vitest'

import { FONTS_PER_LAYOUT, START_SCREEN_FONTS } from '../../renderer/src/app/start-fonts'
import { tokenizerFor } from '../../renderer/src/lib/tokens/families'
import { countPrompt, loadTokenCounter } from '../../renderer/src/lib/tokens/tokenizers'
import { START_READS, START_READS_PATH } from '../../shared/ipc/start-reads'
import { callBridge } from '../support/bridge'
import { APP_COMPOSER, openApp, screenshot } from '../support/browser'
import { fontsInUse } from '../support/fonts'
import { e2eTest } from './stack'

/*
 * What the app loads to open, and what it leaves for later: the playground
 * opens without the tokenizers, the answer renderer (marked, highlight.js,
 * KaTeX), CodeMirror or the charts; the tokenizers load in the token worker
 * the first time a prompt is counted, never on the page's main thread; and
 * every screen, each its own lazy chunk, still renders when first opened.
 */

const it = e2eTest('startup', { ttftMs: 30, replyTokens: 60, tokensPerSecond: 2000 })

/** The file names of every script and stylesheet this page (its main thread) has fetched. */
const pageFiles = (page: Page) =>
  page.evaluate(`performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname.split('/').pop())`) as Promise<string[]>

/**
 * A fresh context (the app's size, dark) running `script` before any of the page's own, opened on `url`; closed after
 * `run`. `setUp` runs before the page opens (routes, say).
 */
async function withInitScript(
  browser: Browser,
  url: string,
  script: string,
  run: (page: Page) => Promise<void>,
  setUp?: (context: BrowserContext) => Promise<unknown>,
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
  try {
    await context.addInitScript({ content: script })
    await setUp?.(context)
    const page = await context.newPage()
    await page.goto(url)
    await run(page)
  } finally {
    await context.close()
  }
}

/** The channels of the calls the page sends main over the web bridge, in order, from its first script on (`state:get` with its key). */
function callsSent(page: Page): string[] {
  const calls: string[] = []
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      try {
        const m = JSON.parse(String(payload)) as { t: string; channel: string; args?: { key?: string } }
        if (m.t === 'call') calls.push(m.channel === 'state:get' ? `state:get ${m.args?.key}` : m.channel)
      } catch {
        // not a call
      }
    }),
  )
  return calls
}

/** How the page's fetches of the start-up reads were started (resource timing's initiator: 'link' for the header's preload). */
const startReadsFetches = (page: Page) =>
  page.evaluate(
    `performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === '${START_READS_PATH}').map((r) => r.initiatorType)`,
  ) as Promise<string[]>

const TOKENIZER_CHUNK = /^(o200k_base|o200k_harmony|llama3-tokenizer|main)-.+\.js$/
const has = (files: string[], prefix: string) => files.some((f) => f.startsWith(prefix))

describe('start-up loads only what the playground needs', () => {
  it('opens without the tokenizers, the answer renderer, CodeMirror or charts, and counts tokens in a worker', async ({ browser, host }) => {
    const page = await openApp(browser, host.url)
    const composer = page.getByTestId('pane-0').getByTestId('composer')
    await composer.waitFor()
    await expect.poll(() => composer.isEnabled()).toBe(true)

    const atStart = await pageFiles(page)
    expect(has(atStart, 'PlaygroundScreen-'), atStart.join(' ')).toBe(true)
    // One stylesheet, the app's whole (renderer/vite.config.ts, cssCodeSplit): no screen fetches one of its own.
    expect(
      atStart.filter((f) => f.endsWith('.css')),
      atStart.join(' '),
    ).toHaveLength(1)
    for (const later of ['render-markdown-', 'PoliciesScreen-', 'CartesianChart-', 'CompareScreen-', 'HistoryScreen-']) {
      expect(has(atStart, later), `${later} at start-up: ${atStart.join(' ')}`).toBe(false)
    }
    expect(atStart.filter((f) => TOKENIZER_CHUNK.test(f))).toEqual([])
    await screenshot(page, 'startup-playground')

    // Typing is counted by the family's own tokenizer, loaded in the token worker.
    const text = 'How many tokens does this sentence take, counted off the main thread?'
    await composer.fill(text)
    const family = tokenizerFor(await page.getByTestId('model-input').inputValue()).family
    const counter = await loadTokenCounter(family)
    const expected = countPrompt(counter, family, [{ text, message: true }])
    await expect.poll(() => page.getByTestId('prompt-tokens').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Prompt ≈?${expected} tokens`))
    const worker = page.workers().find((w) => w.url().includes('token-worker'))
    expect(
      worker,
      page
        .workers()
        .map((w) => w.url())
        .join(' '),
    ).toBeDefined()
    const inWorker = (await worker!.evaluate(`performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname.split('/').pop())`)) as string[]
    expect(
      inWorker.some((f) => TOKENIZER_CHUNK.test(f)),
      inWorker.join(' '),
    ).toBe(true)
    expect((await pageFiles(page)).filter((f) => TOKENIZER_CHUNK.test(f))).toEqual([])
    // Still typing while it counts: the box takes every key.
    await composer.pressSequentially(' More.')
    await expect.poll(() => composer.inputValue()).toBe(`${text} More.`)

    // The first answer brings the answer renderer, and shows the whole answer.
    await composer.press('Control+Enter')
    const answer = page.getByTestId('pane-0').getByTestId('assistant-text').last()
    await expect.poll(async () => ((await answer.textContent()) ?? '').trim().length, { timeout: 20_000 }).toBeGreaterThan(20)
    await expect.poll(() => page.getByTestId('assistant-live').count(), { timeout: 20_000 }).toBe(0)
    const afterAnswer = await pageFiles(page)
    expect(has(afterAnswer, 'render-markdown-')).toBe(true)
    // Its styles (KaTeX's among them) came with the app's one stylesheet.
    expect(afterAnswer.filter((f) => f.endsWith('.css'))).toHaveLength(1)
    await screenshot(page, 'startup-playground-answer')
    expect(page.errors).toEqual([])
  })

  it('starts without breaking its Content-Security-Policy, and zod, loaded later, is told not to probe for eval', async ({ browser, host }) => {
    const page = await openApp(browser, host.url)
    await page.context().addInitScript({
      content: `window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI))`,
    })
    await page.reload()
    const composer = page.getByTestId('pane-0').getByTestId('composer')
    await composer.waitFor()
    await expect.poll(() => composer.isEnabled()).toBe(true)
    await expect.poll(() => page.getByTestId('model-input').inputValue()).not.toBe('')
    // zod is not part of start-up: it comes with the first schema the app needs (the request checks, after the first
    // frame), through the renderer's own zod module (src/lib/zod.ts), which sets it up before any schema is built.
    await expect.poll(() => pageFiles(page).then((files) => has(files, 'request-schemas-') && has(files, 'zod-'))).toBe(true)
    // A schema-checked request built, and one answered.
    await composer.fill('Checked by zod, with no eval.')
    await composer.press('Control+Enter')
    await expect.poll(() => page.getByTestId('pane-0').getByTestId('assistant-live').count(), { timeout: 20_000 }).toBe(0)
    expect(await page.evaluate('window.__cspViolations')).toEqual([])
    expect(page.errors).toEqual([])
  })

  it('checks requests with schemas it loads only once the message box is on screen, and a send made before waits for them', async ({ browser, host }) => {
    // When the message box first became usable (in the frame that shows it), as the start-up bench sees it.
    const script = `(() => {
          const usable = () => {
            const box = document.querySelector('[data-testid="pane-0"] [data-testid="composer"]')
            return !!box && !box.disabled && !box.readOnly && box.getClientRects().length > 0
          }
          const frame = () => (usable() ? Object.defineProperty(window, '__usableAt', { value: performance.now() }) : requestAnimationFrame(frame))
          requestAnimationFrame(frame)
        })()`
    await withInitScript(browser, host.url, script, async (page) => {
      const composer = page.getByTestId('pane-0').getByTestId('composer')
      await composer.waitFor()
      // The chat request's schemas come in chunks of their own (the request's, and the policy outcome's it uses), and
      // zod with them, all asked for after that frame.
      const fetchedAt = (prefix: string) =>
        page.evaluate(
          `performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname.split('/').pop().startsWith('${prefix}')).map((r) => r.startTime)[0] ?? null`,
        ) as Promise<number | null>
      await expect.poll(() => fetchedAt('request-schemas-'), { timeout: 10_000 }).not.toBeNull()
      const usableAt = (await page.evaluate('window.__usableAt')) as number
      for (const chunk of ['request-schemas-', 'request-schema-parts-', 'zod-']) expect(await fetchedAt(chunk), chunk).toBeGreaterThan(usableAt)
      // None of them is among the files index.html preloads.
      const html = (await page.evaluate('fetch(location.href).then((r) => r.text())')) as string
      for (const chunk of ['request-schemas-', 'request-schema-parts-', 'zod-']) expect(html).not.toContain(chunk)
    })

    // Held back, the schemas have not come when a prompt is sent: it goes once they do, not before and not never.
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
    try {
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      await context.route(/\/assets\/request-schemas-[^/]+\.js$/, async (route) => {
        await released
        await route.continue()
      })
      const page = await context.newPage()
      const calls = callsSent(page)
      await page.goto(host.url)
      // The app's own box and answers, not index.html's start shell (a send queued there: start-shell.test.ts).
      const pane = page.locator('#root [data-testid="pane-0"]')
      const composer = pane.getByTestId('composer')
      await expect.poll(() => composer.isEnabled()).toBe(true)
      // The draft kept from the tests before may already hold answers: this one is the next.
      const answers = pane.getByTestId('assistant-text')
      const before = await answers.count()
      await composer.fill('Sent before the request checks are in.')
      await composer.press('Control+Enter')
      // Two frames and a task: the send has had every chance to go out, and has not.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))))')
      expect(calls).not.toContain('chat:start')
      expect(await composer.inputValue()).toBe('Sent before the request checks are in.')
      release()
      await expect.poll(() => answers.count(), { timeout: 20_000 }).toBe(before + 1)
      await expect.poll(async () => ((await answers.last().textContent()) ?? '').trim().length, { timeout: 20_000 }).toBeGreaterThan(20)
      expect(
        calls.filter((c) => c === 'chat:start'),
        calls.join(' '),
      ).toHaveLength(1)
      expect(await composer.inputValue()).toBe('')
    } finally {
      await context.close()
    }
  })

  it('asks main for each start-up read once, however many pieces of the screen show it', async ({ browser, host }) => {
    // Every call the page makes over the web bridge, by channel, from its first script on.
    const script = `(() => {
          const calls = []
          const afterFirstRender = []
          Object.defineProperty(window, '__bridgeCalls', { value: calls })
          Object.defineProperty(window, '__callsAfterFirstRender', { value: afterFirstRender })
          const send = WebSocket.prototype.send
          WebSocket.prototype.send = function (data) {
            try {
              const m = JSON.parse(String(data))
              if (m.t === 'call') {
                const channel = m.channel === 'state:get' ? 'state:get ' + m.args.key : m.channel
                calls.push(channel)
                if (document.querySelector('#root nav[aria-label="Main"]')) afterFirstRender.push(channel)
              }
            } catch {}
            return send.call(this, data)
          }
        })()`
    await withInitScript(browser, host.url, script, async (page) => {
      const composer = page.locator(APP_COMPOSER)
      await composer.waitFor()
      await expect.poll(() => composer.isEnabled()).toBe(true)
      // Two frames and a task later the screen's first effects (where a piece would fetch on its own) have run.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))))')
      const calls = (await page.evaluate('window.__bridgeCalls')) as string[]
      const times = (channel: string) => calls.filter((c) => c === channel).length
      // The model picker, the catalog and the status bar's gauges all read these; one request each serves them all.
      for (const channel of ['models:public', 'models:list', 'ratelimit:get']) {
        expect(times(channel), `${channel} in ${calls.join(' ')}`).toBe(1)
      }
      // The start-up reads came in the one HTTP answer the browser fetched ahead (shared/ipc/start-reads.ts), and
      // none of them went over the bridge as well.
      for (const { channel } of START_READS) expect(times(channel), `${channel} in ${calls.join(' ')}`).toBe(0)
      expect(await startReadsFetches(page)).toEqual(['link'])
      // The catalog's reads (the live model lists, the rate limits) go out once the first render is on the page:
      // answered during it, they would change stores it reads, and React would finish it in one blocking task.
      const late = (await page.evaluate('window.__callsAfterFirstRender')) as string[]
      for (const channel of ['models:public', 'models:list', 'ratelimit:get']) expect(late, `${channel} sent before the first render`).toContain(channel)
    })
  })

  it('has the browser fetch what the start-up screen waits on from the page’s headers, before the app shell has even loaded', async ({ browser, host }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
    try {
      const page = await context.newPage()
      const sent = callsSent(page)
      let asked = 0
      page.on('request', (r) => {
        if (new URL(r.url()).pathname === START_READS_PATH) asked++
      })
      let askedWhileHeld: number | null = null
      // The app shell's chunk (bootstrap, the screens, React's first render) is held back until the start-up reads
      // have been asked for, or for 5 s: asked for by the shell itself, they could not be while it is held.
      await context.route(/\/assets\/start-(?!shared-)[^/]+\.js$/, async (route) => {
        const until = Date.now() + 5_000
        while (!asked && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
        askedWhileHeld = asked
        await route.continue()
      })
      await page.goto(host.url)
      const composer = page.locator(APP_COMPOSER)
      await composer.waitFor()
      await expect.poll(() => composer.isEnabled()).toBe(true)
      expect(askedWhileHeld, 'the app shell was never fetched').not.toBeNull()
      expect(askedWhileHeld).toBe(1)
      // Once, by the Link header's preload, and taken by the page's own fetch of it: not asked again, nor over the bridge.
      expect(asked).toBe(1)
      expect(await startReadsFetches(page)).toEqual(['link'])
      for (const { channel } of START_READS) expect(sent, `${channel} went over the bridge too`).not.toContain(channel)
    } finally {
      await context.close()
    }
  })

  it('renders the start-up screen once its reads are in: the first render already shows the message box', async ({ browser, host }) => {
    // Whether the playground's loading state was ever in the page.
    const script = `(() => {
          const seen = { loadingShown: false }
          Object.defineProperty(window, '__seen', { value: seen })
          new MutationObserver(() => {
            if (document.querySelector('.pg-loading')) seen.loadingShown = true
          }).observe(document, { subtree: true, childList: true })
        })()`
    let answeredAt = 0
    await withInitScript(
      browser,
      host.url,
      script,
      async (page) => {
        const composer = page.locator(APP_COMPOSER)
        await composer.waitFor()
        const shownAt = Date.now()
        expect(answeredAt, 'the message box showed before the start-up reads were answered').toBeGreaterThan(0)
        expect(shownAt).toBeGreaterThanOrEqual(answeredAt)
        await expect.poll(() => composer.isEnabled()).toBe(true)
        expect(await page.evaluate('window.__seen.loadingShown')).toBe(false)
      },
      // The reads are answered a second late: the app waits for them rather than render without them.
      (context) =>
        context.route(`**${START_READS_PATH}`, async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 1000))
          const res = await route.fetch()
          answeredAt = Date.now()
          await route.fulfill({ response: res })
        }),
    )
  })

  it('asks over the bridge when the start-up reads cannot be fetched, and still opens', async ({ browser, host }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
    try {
      const page = await context.newPage()
      const sent = callsSent(page)
      await context.route(`**${START_READS_PATH}`, (route) => route.abort('connectionreset'))
      await page.goto(host.url)
      const composer = page.getByTestId('pane-0').getByTestId('composer')
      await composer.waitFor()
      await expect.poll(() => composer.isEnabled()).toBe(true)
      // What the reads said is on screen: the key from the environment.
      await expect.poll(() => page.getByTestId('status-key').textContent()).toContain('CEREBRAS_API_KEY')
      for (const { channel } of START_READS)
        expect(
          sent.filter((c) => c === channel),
          `${channel} in ${sent.join(' ')}`,
        ).toHaveLength(1)
    } finally {
      await context.close()
    }
  })

  it('shows a change main broadcast between its start-up reads and the bridge opening', async ({ browser, host }) => {
    // Another client of this host (a second tab, say) makes the change: settings saved, to the light theme.
    const otherClient = (theme: 'light' | 'system') => callBridge(host, 'settings:update', { theme })
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
    try {
      let changed!: () => void
      const changeMade = new Promise<void>((resolve) => (changed = resolve))
      // The reads are answered as main had them (the system theme: dark here); only then is the change made.
      await context.route(`**${START_READS_PATH}`, async (route) => {
        const response = await route.fetch()
        await otherClient('light')
        changed()
        await route.fulfill({ response })
      })
      const page = await context.newPage()
      // And the bridge's socket reaches the host only once the change was broadcast: sent to no socket of this page.
      await page.routeWebSocket(/\/bridge/, async (ws) => {
        await changeMade
        ws.connectToServer()
      })
      await page.goto(host.url)
      await page.getByTestId('pane-0').getByTestId('composer').waitFor()
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
    } finally {
      await context.close()
      await otherClient('system')
    }
  })

  it('puts the message box on screen first, and the parameters column a frame later', async ({ browser, host }) => {
    // Whether the parameters were in the page when the message box first was: one frame's layout holding both was
    // the longest start-up task.
    const script = `(() => {
          const seen = { paramsWithFirstComposer: null }
          Object.defineProperty(window, '__firstFrame', { value: seen })
          new MutationObserver((_, observer) => {
            if (!document.querySelector('[data-testid="composer"]')) return
            seen.paramsWithFirstComposer = !!document.querySelector('[data-testid="params"]')
            observer.disconnect()
          }).observe(document, { subtree: true, childList: true })
        })()`
    await withInitScript(browser, host.url, script, async (page) => {
      await page.getByTestId('params').getByTestId('model-input').waitFor()
      expect(await page.evaluate('window.__firstFrame.paramsWithFirstComposer')).toBe(false)
    })
  })

  it('sets the start screen in the type scale, in few fonts, each laid out once by the page entry as it starts', async ({ browser, host }) => {
    // The off-screen boxes of lines app/start-fonts.ts lays out, as they are added to the page (they are gone a moment
    // later): a line per font, a few to a box.
    const script = `(() => {
          const warmed = []
          Object.defineProperty(window, '__warmed', { value: warmed })
          new MutationObserver((records) => {
            for (const r of records) for (const n of r.addedNodes) {
              if (n.nodeType !== 1 || n.parentNode !== null && n.parentNode !== document.body || n.getAttribute('aria-hidden') !== 'true') continue
              warmed.push([...n.children].map((line) => [line.style.fontFamily.split(',')[0].trim(), line.style.fontSize, line.style.fontWeight].join(' ')))
            }
          }).observe(document, { subtree: true, childList: true })
        })()`
    await withInitScript(browser, host.url, script, async (page) => {
      await page.getByTestId('params').getByTestId('model-input').waitFor()
      // Each font (family, size, weight) a new page meets costs font set-up in its first layout.
      const { scale, used } = await fontsInUse(page)
      const boxes = (await page.evaluate('window.__warmed')) as string[][]
      // A few fonts per layout, not one: a forced layout per font costs about twice as much (app/start-fonts.ts).
      expect(FONTS_PER_LAYOUT).toBeGreaterThan(1)
      expect(boxes).toHaveLength(Math.ceil(START_SCREEN_FONTS.length / FONTS_PER_LAYOUT))
      expect(boxes.every((lines) => lines.length <= FONTS_PER_LAYOUT)).toBe(true)
      const warmed = boxes.flat()
      expect(scale.sizes.length).toBeGreaterThan(2)
      const off = used.filter(([key]) => {
        const [, size, weight] = key.split(' ')
        return !scale.sizes.includes(size) || !scale.weights.includes(weight)
      })
      expect(off, 'text outside the type scale').toEqual([])
      // Today 10 (17 before the type scale, which took twice as long to set up); a new one is a choice.
      expect(used.length, used.map(([k, v]) => `${k} (${v})`).join('; ')).toBeLessThanOrEqual(10)
      // Laid out once each, ahead of the first frame: every font the start screen uses, nothing twice.
      expect(warmed).toHaveLength(START_SCREEN_FONTS.length)
      expect(new Set(warmed).size).toBe(warmed.length)
      expect(
        used.filter(([key]) => !warmed.includes(key)),
        'start-screen fonts missing from START_SCREEN_FONTS',
      ).toEqual([])
    })
  })

  it('renders every screen, each loaded when first opened', async ({ browser, host }) => {
    const page = await openApp(browser, host.url, { colorScheme: 'light' })
    const screens: [string, (p: Page) => Promise<unknown>, string?][] = [
      ['compare', (p) => p.getByTestId('lanes').waitFor(), 'CompareScreen-'],
      ['models', (p) => p.getByTestId('models-table').waitFor(), 'ModelsScreen-'],
      ['policies', (p) => p.getByTestId('yaml-editor').locator('.cm-content').waitFor(), 'PoliciesScreen-'],
      ['gateway', (p) => p.getByTestId('screen-gateway').getByRole('heading', { level: 1 }).waitFor(), 'GatewayScreen-'],
      ['history', (p) => p.getByTestId('screen-history').getByRole('heading', { level: 1 }).waitFor(), 'HistoryScreen-'],
      ['settings', (p) => p.getByTestId('screen-settings').getByRole('heading', { level: 1 }).waitFor(), 'SettingsScreen-'],
      ['playground', (p) => p.getByTestId('pane-0').getByTestId('composer').waitFor()],
    ]
    for (const [id, shown, chunk] of screens) {
      if (chunk) expect(has(await pageFiles(page), chunk), `${chunk} before opening ${id}`).toBe(false)
      await page.getByTestId(`nav-${id}`).click()
      await shown(page)
      if (chunk) expect(has(await pageFiles(page), chunk), `${chunk} after opening ${id}`).toBe(true)
      // Nothing left behind a loading state.
      await expect.poll(() => page.locator('main [aria-busy="true"]').count()).toBe(0)
      await screenshot(page, `startup-screen-${id}`)
    }
    expect(page.errors).toEqual([])
  })
})
