import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

/** Debian's Chromium, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}

/**
 * The app's own first message box. index.html's start shell has one (with the navigation) before any script runs
 * (renderer/src/app/StartShell.tsx): a test that means "the playground is open" waits for this one.
 */
export const APP_COMPOSER = '#root [data-testid="pane-0"] [data-testid="composer"]'

export type AppPage = Page & { errors: string[] }

/** A new page in `context` that remembers the errors it throws, so a test can assert there were none. */
export async function pageWithErrors(context: BrowserContext): Promise<AppPage> {
  const page = (await context.newPage()) as AppPage
  page.errors = []
  page.on('pageerror', (e) => page.errors.push(e.message))
  return page
}

/**
 * A fresh browser context on the web host's URL, waited until the shell has
 * loaded (the status bar knows the key state).
 */
export async function openApp(
  browser: Browser,
  url: string,
  opts: { colorScheme?: 'dark' | 'light'; width?: number; height?: number; acceptDownloads?: boolean } = {},
): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 1000 },
    colorScheme: opts.colorScheme ?? 'dark',
    acceptDownloads: opts.acceptDownloads ?? false,
  })
  const page = await pageWithErrors(context)
  await page.goto(url)
  await page.getByTestId('status-key').waitFor()
  return page
}

/**
 * The text of each element `locator` finds that is laid out on more than one line: for identifiers (model ids,
 * target and policy names), which are read and compared whole and must not break at their hyphens.
 */
export function brokenAcrossLines(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((els) =>
    els
      .filter((el) => {
        const range = document.createRange()
        range.selectNodeContents(el)
        // One box per line the text is laid out on.
        return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size > 1
      })
      .map((el) => el.textContent ?? ''),
  )
}
