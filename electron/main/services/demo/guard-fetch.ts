import { WaferError } from '@shared/ipc/errors'

import type { DemoEndpoint } from './demo-endpoint'

/**
 * A fetch for the Cerebras services that keeps the two endpoints apart
 * whatever the timing: a request to the demo server must carry the demo's
 * own key (so the user's key never reaches it, even if the demo is switched
 * on while a connection is being resolved), and the demo's key never goes
 * anywhere else.
 */
export function guardDemoFetch(inner: typeof fetch, demo: DemoEndpoint): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input)
    const headers = new Headers(input instanceof Request ? input.headers : undefined)
    new Headers(init?.headers).forEach((v, k) => headers.set(k, v))
    const auth = headers.get('authorization')
    const key = auth?.replace(/^Bearer\s+/i, '') ?? null
    const toDemo = demo.isDemoUrl(url)
    const demoKey = key !== null && demo.isDemoKey(key)
    if (toDemo && key !== null && key !== demo.connection()?.apiKey) {
      throw new WaferError('conflict', 'The demo endpoint was switched on while this request was being prepared; it was not sent (try again)')
    }
    if (!toDemo && demoKey) {
      throw new WaferError('conflict', 'The demo endpoint was switched off while this request was being prepared; it was not sent (try again)')
    }
    return inner(input, init)
  }) as typeof fetch
}
