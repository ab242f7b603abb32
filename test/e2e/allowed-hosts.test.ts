import { describe, expect } from 'vitest'

import { openApp, screenshot } from '../support/browser'
import { webTest } from './stack'

// Settings → Where your key may go, through npm run web: the hosts main sends
// the key to, a base URL that is not one of them, and the "Allow this host"
// flow, which in the web host explains the flag (a browser tab cannot allow hosts).

const it = webTest({ CEREBRAS_API_KEY: 'csk-e2e-hosts-0123456789', WAFER_ALLOWED_HOSTS: 'https://proxy.example.com' })

describe('allowed hosts for the API key', () => {
  it('lists the allowed hosts, flags a base URL that is not one, and says how to allow it in the web host', async ({ browser, host }) => {
    const page = await openApp(browser, host.url)
    await page.getByTestId('nav-settings').click()
    const card = page.getByTestId('allowed-hosts')
    await card.getByText('https://proxy.example.com').waitFor()
    const hosts = card.getByRole('list', { name: 'Allowed hosts' })
    await expect(hosts.textContent()).resolves.toContain('https://api.cerebras.ai')
    await expect(hosts.textContent()).resolves.toContain('environment')
    await expect(card.getByTestId('host-not-allowed').count()).resolves.toBe(0)

    // Plain http to another machine is refused where it is typed, and the text stays.
    const baseUrl = page.getByTestId('base-url-input')
    await baseUrl.fill('http://evil.example/v1')
    await baseUrl.press('Enter')
    await page.getByRole('alert').filter({ hasText: 'plain http' }).waitFor()
    await expect(baseUrl.inputValue()).resolves.toBe('http://evil.example/v1')

    // An https host that is not allowed is saved, and flagged before any request is sent.
    await baseUrl.fill('https://other.example/v1')
    await baseUrl.press('Enter')
    const flagged = card.getByTestId('host-not-allowed')
    await flagged.waitFor()
    await expect(flagged.textContent()).resolves.toContain('https://other.example')
    await expect(card.getByTestId('allow-host-how').textContent()).resolves.toContain('--allow-host')
    await screenshot(page, 'settings-host-not-allowed')

    // Allow this host, from the keyboard: the web host explains the flag instead of allowing it.
    await card.getByTestId('allow-current-host').focus()
    await page.keyboard.press('Enter')
    const error = card.getByTestId('allow-host-error')
    await error.waitFor()
    await expect(error.textContent()).resolves.toContain('--allow-host https://other.example')
    await expect(hosts.textContent()).resolves.not.toContain('other.example')
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'settings-allowed-hosts')
    expect(page.errors).toEqual([])
    await page.context().close()
  })
})
