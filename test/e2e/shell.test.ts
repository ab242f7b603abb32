import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import WebSocket from 'ws'

import { axeViolations } from '../support/axe'
import { screenshot } from '../support/browser'
import { type WebStack, webTest } from './stack'

const SCREENS = ['playground', 'compare', 'models', 'policies', 'gateway', 'history', 'settings'] as const

const it = webTest()

async function openApp({ browser, host }: WebStack, colorScheme: 'dark' | 'light' = 'dark'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(host.url)
  await page.getByTestId('status-key').waitFor()
  ;(page as Page & { errors: string[] }).errors = errors
  return page
}

describe('the app shell through npm run web', () => {
  it('opens every screen from the navigation and saves a screenshot of each', async ({ stack }) => {
    const page = await openApp(stack, 'dark')
    // The token moved from the address bar into an HttpOnly cookie.
    expect(new URL(page.url()).search).toBe('')
    for (const id of SCREENS) {
      await page.getByTestId(`nav-${id}`).click()
      await page.getByTestId(`screen-${id}`).locator('h1').waitFor()
      await expect(page.getByTestId(`nav-${id}`).getAttribute('aria-current')).resolves.toBe('page')
      await screenshot(page, `shell-${id}-dark`)
    }
    await expect(page.getByTestId('status-key').textContent()).resolves.toContain('No API key')
    await expect(page.getByTestId('status-base-url').textContent()).resolves.toContain('https://api.cerebras.ai/v1')
    await expect(page.getByTestId('status-policy').textContent()).resolves.toContain('none')
    expect((page as Page & { errors: string[] }).errors).toEqual([])
    await page.context().close()
  })

  it('moves between screens with Ctrl+1…7, lists shortcuts with Ctrl+/, and follows the light theme', async ({ stack }) => {
    const page = await openApp(stack, 'light')
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('light')
    await page.keyboard.press('Control+3')
    await page.getByTestId('screen-models').getByRole('heading', { name: 'Models' }).waitFor()
    await page.keyboard.press('Control+7')
    await page.getByTestId('screen-settings').getByRole('heading', { name: 'Settings' }).waitFor()
    await screenshot(page, 'shell-settings-light')
    await page.keyboard.press('Control+/')
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.waitFor()
    await expect(dialog.textContent()).resolves.toContain('Go to Compare')
    await screenshot(page, 'shell-shortcuts-light')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await page.context().close()
  })

  it('lists every shortcut the keys do, from the table the handlers use, with Cmd on a Mac and Ctrl elsewhere', async ({ stack }) => {
    const rowsOf = async (page: Page) =>
      (await page
        .getByTestId('shortcut-row')
        .evaluateAll((rows) =>
          rows.map((r) => `${r.querySelector('dt')?.textContent} = ${[...r.querySelectorAll('kbd')].map((k) => k.textContent).join('+')}`),
        )) as string[]
    const page = await openApp(stack, 'dark')
    await page.keyboard.press('Control+/')
    const dialog = page.getByTestId('shortcuts-dialog')
    await dialog.waitFor()
    const rows = await rowsOf(page)
    // The three the sheet used to leave out, with the keys their handlers take.
    expect(rows).toEqual(
      expect.arrayContaining([
        'Send the message = Ctrl+Enter',
        'Stop the answer = Esc',
        'Save the policy file = Ctrl+S',
        'Save the policy file as… = Ctrl+Shift+S',
        'Run the input in every lane = Ctrl+Enter',
        'Go to Settings = Ctrl+7',
        'Leave the YAML editor = Esc+Tab',
      ]),
    )
    expect(rows.length).toBeGreaterThanOrEqual(24)
    expect(await dialog.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Everywhere', 'Playground', 'Compare', 'Policies'])
    await screenshot(page, 'shell-shortcut-sheet')
    expect(await axeViolations(page, '[data-testid="shortcuts-dialog"]')).toEqual([])
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    // What the sheet says is what the keys do: Ctrl+S on Policies saves (an untitled file asks where).
    await page.keyboard.press('Control+4')
    await page.getByTestId('yaml-editor').locator('.cm-content').waitFor()
    await page.keyboard.press('Control+s')
    await page.getByTestId('path-input').waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('path-input').waitFor({ state: 'detached' })
    await page.context().close()

    // On a Mac the same table says Cmd, and Cmd is the key that works.
    const context = await stack.browser.newContext({ viewport: { width: 1360, height: 860 } })
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'platform', { get: () => 'MacIntel' }))
    const mac = await context.newPage()
    await mac.goto(stack.host.url)
    await mac.getByTestId('status-key').waitFor()
    await mac.keyboard.press('Meta+3')
    await mac.getByTestId('screen-models').waitFor()
    await mac.keyboard.press('Meta+/')
    await mac.getByTestId('shortcuts-dialog').waitFor()
    const macRows = await rowsOf(mac)
    expect(macRows).toEqual(expect.arrayContaining(['Send the message = Cmd+Enter', 'Save the policy file = Cmd+S', 'Go to Models = Cmd+3']))
    expect(macRows.some((r) => r.includes('Ctrl+') && !r.startsWith('Complete'))).toBe(false)
    await screenshot(mac, 'shell-shortcut-sheet-mac')
    await context.close()
  })

  it('keeps an entered key out of the DOM, web storage and every WebSocket frame after it was sent', async ({ stack }) => {
    const key = 'csk-' + 'e2eq7w8e9r0t1y2u3i4o5p6a7s8d9f0g1h2'
    const page = await openApp(stack, 'dark')
    const framesAfterSend: string[] = []
    let sent = false
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => {
        const text = String(f.payload)
        if (sent) framesAfterSend.push(text)
        if (text.includes(key)) sent = true
      })
      ws.on('framereceived', (f) => {
        if (sent) framesAfterSend.push(String(f.payload))
      })
    })
    // Reload so the bridge socket is observed from its start.
    await page.reload()
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('key-input').fill(key)
    await page.getByTestId('key-save').click()
    await page.getByTestId('key-configured').waitFor()
    await expect(page.getByTestId('key-configured').textContent()).resolves.toContain(key.slice(-4))
    await expect(page.getByTestId('key-warning').textContent()).resolves.toContain('memory')
    // Move around so more frames flow, then come back.
    await page.getByTestId('nav-playground').click()
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('key-configured').waitFor()
    await screenshot(page, 'settings-key-saved')

    expect(sent).toBe(true)
    expect(framesAfterSend.length).toBeGreaterThan(0)
    for (const f of framesAfterSend) expect(f).not.toContain(key)
    const html = await page.content()
    expect(html).not.toContain(key)
    await expect(page.getByTestId('key-input').inputValue()).resolves.toBe('')
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))
    expect(storage).not.toContain(key)
    await expect(page.getByTestId('status-key').textContent()).resolves.toContain(key.slice(-4))
    await page.context().close()
  })

  it('refuses requests and sockets without the right token', async ({ host }) => {
    const plain = await fetch(`${host.origin}/`)
    expect(plain.status).toBe(401)
    const wrong = await fetch(`${host.origin}/?token=not-the-token`)
    expect(wrong.status).toBe(401)
    const asset = await fetch(`${host.origin}/assets/`, { headers: { cookie: 'wafer_token=wrong' } })
    expect(asset.status).toBe(401)
    const right = await fetch(host.url, { redirect: 'manual' })
    expect(right.status).toBe(302)
    expect(right.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/)

    const wsUrl = host.origin.replace('http', 'ws') + '/bridge'
    const status = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers })
        ws.on('open', () => {
          ws.close()
          resolve(101)
        })
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('error', () => resolve(-1))
      })
    await expect(status(wsUrl)).resolves.toBe(401)
    await expect(status(`${wsUrl}?token=wrong`)).resolves.toBe(401)
    await expect(status(`${wsUrl}?token=${host.token}`, { origin: 'http://evil.example' })).resolves.toBe(403)
    await expect(status(`${wsUrl}?token=${host.token}`)).resolves.toBe(101)
  })
})
