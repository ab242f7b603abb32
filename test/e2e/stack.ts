import type { Browser } from 'playwright-core'
import { test } from 'vitest'

import { FakeCerebras, type FakeCerebrasOptions } from '../../electron/main/services/demo/fake-cerebras/server'
import { launchBrowser } from '../support/browser'
import { type RunningWebHost, startWebHost } from '../support/web-host'

/** `npm run web` and Chromium. */
export interface WebStack {
  host: RunningWebHost
  browser: Browser
  /** Closes the browser, the web host and the fake, whichever started. */
  stop(): Promise<void>
}

/** What most e2e files start: the fake Cerebras server, `npm run web` pointed at it with a key, and Chromium. */
export interface E2eStack extends WebStack {
  fake: FakeCerebras
}

/** `npm run web` with `env` (no key and the real base URL unless `env` sets them), and Chromium. */
export async function startWebStack(env: NodeJS.ProcessEnv = {}): Promise<WebStack> {
  let host: RunningWebHost | undefined
  let browser: Browser | undefined
  const stop = async () => {
    await browser?.close()
    await host?.stop()
  }
  try {
    host = await startWebHost(env)
    browser = await launchBrowser()
    return { host, browser, stop }
  } catch (err) {
    await stop().catch(() => undefined)
    throw err
  }
}

/**
 * `name` goes into the key (csk-e2e-NAME-0123456789), so a test's key is recognisable in its screenshots.
 * `env(baseUrl)`, given the fake's base URL, replaces that key and base URL for a file that needs others.
 */
export async function startStack(
  name: string,
  fakeOptions: FakeCerebrasOptions,
  env: (baseUrl: string) => NodeJS.ProcessEnv = (baseUrl) => ({ CEREBRAS_BASE_URL: baseUrl, CEREBRAS_API_KEY: `csk-e2e-${name}-0123456789` }),
): Promise<E2eStack> {
  const fake = new FakeCerebras(fakeOptions)
  let web: WebStack | undefined
  const stop = async () => {
    await web?.stop()
    await fake.stop()
  }
  try {
    const baseUrl = await fake.start()
    web = await startWebStack(env(baseUrl))
    return { fake, host: web.host, browser: web.browser, stop }
  } catch (err) {
    await stop().catch(() => undefined)
    throw err
  }
}

/** `it` with a file-scoped `stack` from `start` (started once per file, stopped when it ends) and its `host` and `browser`. */
function stackTest<S extends WebStack>(start: () => Promise<S>) {
  return test
    .extend('stack', { scope: 'file' }, async ({}, { onCleanup }) => {
      const stack = await start()
      onCleanup(() => stack.stop())
      return stack
    })
    .extend('host', { scope: 'file' }, async ({ stack }) => stack.host)
    .extend('browser', { scope: 'file' }, async ({ stack }) => stack.browser)
}

/** `it` for a file that drives `npm run web` (started with `env`) without a fake server: `stack`, `host`, `browser`. */
export function webTest(env: NodeJS.ProcessEnv = {}) {
  return stackTest(() => startWebStack(env))
}

/** `it` for a file against the fake server: `stack` from `startStack(name, fakeOptions, env)`, and its `fake`, `host` and `browser`. */
export function e2eTest(name: string, fakeOptions: FakeCerebrasOptions, env?: (baseUrl: string) => NodeJS.ProcessEnv) {
  return stackTest(() => startStack(name, fakeOptions, env)).extend('fake', { scope: 'file' }, async ({ stack }) => stack.fake)
}
