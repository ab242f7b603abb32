import { prefetch } from '../api'
import { START_READ_CALLS } from '../api/start-answers'

/**
 * What the start-up screen waits on before it is usable (shared/ipc/start-reads.ts), asked of main by the page's
 * entry as it starts (see api/prefetch.ts). Each is taken by the code that used to ask for it: the settings and key
 * status by bootstrap.ts, the demo's state and the active policy by their stores, the draft by the playground.
 */
export function prefetchStartReads(): void {
  for (const { method, staleOn } of START_READ_CALLS) prefetch(method as Parameters<typeof prefetch>[0], {} as never, staleOn)
}
