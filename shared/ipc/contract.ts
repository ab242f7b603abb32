import type { z } from 'zod'

import type { ChannelSpec, EventSpec } from './define'
import { appChannels, appEvents } from './domains/app'
import { auditSourceChannels } from './domains/audit-source'
import { chatChannels, chatEvents } from './domains/chat'
import { compareChannels, compareEvents } from './domains/compare'
import { gatewayChannels, gatewayEvents } from './domains/gateway'
import { historyChannels, historyEvents } from './domains/history'
import { modelsChannels, modelsEvents } from './domains/models'
import { playgroundChannels } from './domains/playground'
import { policiesChannels, policiesEvents } from './domains/policies'
import { settingsChannels, settingsEvents } from './domains/settings'
import { stateChannels } from './domains/state'
import type { Envelope } from './errors'

/**
 * The whole IPC contract: every request channel (`domain:verb` → args and
 * result schemas) and every event main pushes. Electron IPC, the preload
 * bridge and the web host's WebSocket bridge are all generated from this map.
 */
export const channels = {
  ...appChannels,
  ...settingsChannels,
  ...stateChannels,
  ...playgroundChannels,
  ...chatChannels,
  ...modelsChannels,
  ...historyChannels,
  ...compareChannels,
  ...gatewayChannels,
  ...auditSourceChannels,
  ...policiesChannels,
} satisfies Record<string, ChannelSpec>

export const events = {
  ...appEvents,
  ...settingsEvents,
  ...chatEvents,
  ...modelsEvents,
  ...historyEvents,
  ...compareEvents,
  ...gatewayEvents,
  ...policiesEvents,
} satisfies Record<string, EventSpec>

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type Events = typeof events
export type EventName = keyof Events

export type ArgsOf<C extends ChannelName> = z.input<Channels[C]['args']>
export type ParsedArgsOf<C extends ChannelName> = z.output<Channels[C]['args']>
export type ResultOf<C extends ChannelName> = z.output<Channels[C]['result']>
export type PayloadOf<E extends EventName> = z.output<Events[E]['payload']>

export const channelNames = Object.keys(channels) as ChannelName[]
export const eventNames = Object.keys(events) as EventName[]

/** Method name on `window.wafer` for a channel: `settings:get` → `settingsGet`. */
export function methodName(c: string): string {
  const [domain, verb] = c.split(':')
  const camel = (s: string) => s.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase())
  return camel(domain) + verb.charAt(0).toUpperCase() + camel(verb.slice(1))
}

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S
export type MethodName<C extends string> = C extends `${infer D}:${infer V}` ? `${Camel<D>}${Capitalize<Camel<V>>}` : never

/** The API the renderer sees: one method per channel plus typed event subscription. */
export type Api = {
  [C in ChannelName as MethodName<C>]: (args: ArgsOf<C>) => Promise<ResultOf<C>>
} & {
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void
}

/**
 * What a bridge carries: the same methods, each answering the envelope main
 * sent (errors are values, never rejections). The Electron preload and the web
 * host's WebSocket bridge both expose this; renderer/src/api unwraps it once.
 */
export type BridgeApi = {
  [C in ChannelName as MethodName<C>]: (args: ArgsOf<C>) => Promise<Envelope<ResultOf<C>>>
} & {
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void
}
