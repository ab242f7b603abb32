import type { CallContext, Handler } from '../ipc/dispatcher'
import { type CerebrasDeps, type CerebrasServices, createCerebrasServices } from '../services/cerebras/cerebras-services'
import type { ChatSink } from '../services/cerebras/chat-service'
import { createModelsHandlers, type ModelsHandlers } from './models'

/**
 * Handlers for chat, models and rate limits. `chat:start` answers with the
 * request id at once; the stream goes to the caller as events. If the
 * caller goes away (emit throws), its request is stopped rather than
 * streamed into the void.
 */

export interface ChatHandlerDeps extends CerebrasDeps {
  /**
   * Send `ratelimit:changed` to the caller whose request brought new figures.
   * The app says false: it broadcasts `services.rateLimits` updates to every
   * window itself, and would otherwise send them twice.
   */
  emitRateLimitsToCaller: boolean
}

export interface ChatHandlers extends ModelsHandlers {
  'chat:start': Handler<'chat:start'>
  'chat:abort': Handler<'chat:abort'>
  'chat:complete': Handler<'chat:complete'>
}

function sinkFor(ctx: CallContext, stop: () => void, withRateLimits: boolean): ChatSink {
  let stopped = false
  const send =
    <A extends unknown[]>(fn: (...a: A) => void) =>
    (...a: A) => {
      if (stopped) return
      try {
        fn(...a)
      } catch {
        stopped = true
        stop()
      }
    }
  return {
    delta: send((d) => ctx.emit('chat:delta', d)),
    retry: send((r) => ctx.emit('chat:retry', r)),
    done: send((d) => ctx.emit('chat:done', d)),
    error: send((e) => ctx.emit('chat:error', e)),
    ...(withRateLimits ? { rateLimit: send((s) => ctx.emit('ratelimit:changed', s)) } : {}),
  }
}

export function createChatHandlers(deps: ChatHandlerDeps, services: CerebrasServices = createCerebrasServices(deps)): ChatHandlers {
  const withRateLimits = deps.emitRateLimitsToCaller
  return {
    'chat:start': async (args, ctx) => {
      let requestId: string | undefined = args.requestId
      const sink = sinkFor(ctx, () => requestId && services.chat.abort(requestId), withRateLimits)
      const started = await services.chat.start(args, sink)
      requestId = started.requestId
      return { requestId }
    },
    'chat:abort': ({ requestId }) => ({ aborted: services.chat.abort(requestId) }),
    'chat:complete': (args, ctx) =>
      services.chat.complete(
        args,
        sinkFor(ctx, () => {}, withRateLimits),
      ),
    ...createModelsHandlers(services, deps.getSettings),
  }
}
