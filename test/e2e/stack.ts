import type { Browser } from 'playwright-core'

import { FakeCerebras, type FakeCerebrasOptions } from '../../electron/main/services/demo/fake-cerebras/server'
import { launchBrowser } from '../support/browser'
import { type RunningWebHost, startWebHost } from '../support/web-host'

/** What most e2e files start: the fake Cerebras server, `npm run web` pointed at it with a key, and Chromium. */
export interface E2eStack {
  fake: FakeCerebras
  host: RunningWebHost
  browser: Browser
  /** Closes the browser, the web host and the fake, whichever started. */
  stop(): Promise<void>
}

/** `name` goes into the key (csk-e2e-NAME-0123456789), so a test's key is recognisable in its screenshots. */
export async function startStack(name: string, fakeOptions: FakeCerebrasOptions): Promise<E2eStack> {
  const fake = new FakeCerebras(fakeOptions)
  let host: RunningWebHost | undefined
  let browser: Browser | undefined
  const stop = async () => {
    await browser?.close()
    await host?.stop()
    await fake.stop()
  }
  try {
    const baseUrl = await fake.start()
    host = await startWebHost({ CEREBRAS_BASE_URL: baseUrl, CEREBRAS_API_KEY: `csk-e2e-${name}-0123456789` })
    browser = await launchBrowser()
    return { fake, host, browser, stop }
  } catch (err) {
    await stop().catch(() => undefined)
    throw err
  }
}
