import { type ChannelName, channelNames, type EventName, eventNames, methodName } from '@shared/ipc/contract'

/**
 * The contract's channels (each with its method name on the bridge) and
 * events: all the renderer needs of shared/ipc/contract.ts at run time.
 * The renderer build replaces this module with the lists alone
 * (renderer/vite.config.ts, ipcNamesOnly), so building the contract's zod
 * schemas, which only main uses, is not part of the app's start-up.
 */
export const CHANNEL_METHODS: readonly (readonly [ChannelName, string])[] = channelNames.map((c) => [c, methodName(c)] as const)
export const EVENT_NAMES: readonly EventName[] = eventNames
