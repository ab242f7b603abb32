import { START_READS } from '@shared/ipc/start-reads'

import { prefetch } from '../api'
import { CHANNEL_METHODS } from '../api/ipc-names'

const METHODS = new Map(CHANNEL_METHODS)

/**
 * What the start-up screen waits on before it is usable (shared/ipc/start-reads.ts), asked of main by the page's
 * entry as it starts (see api/prefetch.ts). Each is taken by the code that used to ask for it: the settings and key
 * status by bootstrap.ts, the demo's state and the active policy by their stores, the draft by the playground.
 */
export function prefetchStartReads(): void {
  for (const { channel, staleOn } of START_READS) {
    const method = METHODS.get(channel) as Parameters<typeof prefetch>[0]
    prefetch(method, {} as never, staleOn)
  }
}
