import type { Api, BridgeApi } from '@shared/ipc/contract'

import { createPrefetcher } from './prefetch'
import { fetchStartAnswers } from './start-answers'
import { unwrapBridge } from './unwrap'
import { createWebBridge } from './web-bridge'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser served by `npm run web`. */
    wafer?: BridgeApi
  }
}

/**
 * The web host's answers to the start-up reads over HTTP, fetched by the browser ahead of this code
 * (start-answers.ts); once they are in, the bridge's WebSocket asks for the state events broadcast since.
 */
const startAnswers = window.wafer ? undefined : fetchStartAnswers()

/** The one way the renderer talks to main: the Electron bridge or the web bridge. */
export const api: Api = unwrapBridge(window.wafer ?? createWebBridge({ startSeq: startAnswers?.then((a) => a.seq) }))
export const host: 'electron' | 'web' = window.wafer ? 'electron' : 'web'
/** Start-up reads sent as the page starts (app/start-reads.ts), taken by the code that needs them (prefetch.ts). */
export const { prefetch, prefetched } = createPrefetcher(api, startAnswers)
