import { type ChannelName, channels, type EventName, type ParsedArgsOf, type PayloadOf, type ResultOf } from '@shared/ipc/contract'
import { type Envelope, formatZodError, toWireError, WaferError } from '@shared/ipc/errors'

/** What a handler knows about the call it serves. */
export interface CallContext {
  /** Push an event to the caller only (its window, or its WebSocket). */
  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void
  /** Which bridge the call came through. */
  via: 'electron' | 'web'
}

export type Handler<C extends ChannelName> = (args: ParsedArgsOf<C>, ctx: CallContext) => Promise<ResultOf<C>> | ResultOf<C>

export type Handlers = { [C in ChannelName]: Handler<C> }

export interface DispatcherOptions {
  /** Parse results too (tests and dev builds) to catch a handler that breaks the contract. */
  validateResults?: boolean
}

export type Dispatch = (channel: string, rawArgs: unknown, ctx: CallContext) => Promise<Envelope<unknown>>

/**
 * The one wrapper every call goes through, from Electron IPC and from the
 * web bridge alike: unknown channels and bad payloads get a typed error back,
 * handler failures become error envelopes, nothing rejects.
 */
export function createDispatcher(handlers: Handlers, opts: DispatcherOptions = {}): Dispatch {
  // A channel without a handler is a wiring bug: fail at start-up, not on first use.
  const missing = Object.keys(channels).filter((c) => typeof (handlers as Record<string, unknown>)[c] !== 'function')
  if (missing.length) throw new Error(`No handler for channel(s): ${missing.join(', ')}`)
  return async (channel, rawArgs, ctx) => {
    try {
      if (!Object.prototype.hasOwnProperty.call(channels, channel)) {
        throw new WaferError('unknown_channel', `No such channel: ${String(channel).slice(0, 80)}`)
      }
      const name = channel as ChannelName
      const spec = channels[name]
      const parsed = spec.args.safeParse(rawArgs ?? {})
      if (!parsed.success) {
        throw new WaferError('bad_request', `Invalid arguments for ${name}: ${formatZodError(parsed.error)}`)
      }
      const handler = handlers[name] as (a: unknown, c: CallContext) => unknown
      let value = await handler(parsed.data, ctx)
      if (opts.validateResults) value = spec.result.parse(value)
      return { ok: true, value }
    } catch (err) {
      return { ok: false, error: toWireError(err) }
    }
  }
}
