import type { EventName, PayloadOf } from '@shared/ipc/contract'

import type { CallContext, Handler } from '../ipc/dispatcher'
import type { CompareServices } from '../services/compare'

/**
 * Handlers for blind votes and batch runs. Batch events go to every window,
 * not just the caller, so a reloaded renderer picks a running batch up again
 * (with batch:get for the cells it missed).
 */

export interface CompareHandlers {
  'compare:vote': Handler<'compare:vote'>
  'compare:votes': Handler<'compare:votes'>
  'batch:start': Handler<'batch:start'>
  'batch:cancel': Handler<'batch:cancel'>
  'batch:get': Handler<'batch:get'>
}

export interface CompareHandlerDeps {
  services: CompareServices
  /** Push an event to every window; without it, events go to the caller only. */
  broadcast?: <E extends EventName>(event: E, payload: PayloadOf<E>) => void
}

export function createCompareHandlers(deps: CompareHandlerDeps): CompareHandlers {
  const { votes, batches } = deps.services
  const sender =
    (ctx: CallContext) =>
    <E extends EventName>(event: E, payload: PayloadOf<E>) => {
      try {
        if (deps.broadcast) deps.broadcast(event, payload)
        else ctx.emit(event, payload)
      } catch {
        // A window that went away must not stop the batch; its cells stay readable with batch:get.
      }
    }
  return {
    'compare:vote': (args) => votes.record(args),
    'compare:votes': () => votes.summary(),
    'batch:start': (args, ctx) => {
      const send = sender(ctx)
      return batches.start(args, {
        progress: (p) => send('batch:progress', p),
        done: (d) => send('batch:done', d),
      })
    },
    'batch:cancel': ({ batchId }) => ({ cancelled: batches.cancel(batchId) }),
    'batch:get': ({ batchId }) => batches.get(batchId),
  }
}
