import { z } from 'zod'

import type { Envelope } from './errors'

/**
 * The web host's WebSocket bridge (electron/web/server.ts; the page's side is renderer/src/api/web-bridge.ts).
 *
 * Messages the browser sends over it: a call, or how many of main's broadcasts the page has seen (its start-up
 * reads' `seq`, or the last event's), to be sent the state events it missed since (electron/web/state-events.ts).
 */
export const ClientMessage = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(100),
    args: z.unknown(),
  }),
  z.object({ t: z.literal('since'), seq: z.number().int().nonnegative() }).strict(),
])
export type ClientMessage = z.infer<typeof ClientMessage>

/**
 * Messages the web host sends back: call results, and events. A broadcast event carries its number (`seq`, see
 * electron/web/state-events.ts); an event of one call (a stream's deltas) has none.
 */
export type ServerMessage =
  | { t: 'result'; id: number; envelope: Envelope<unknown> }
  | { t: 'event'; event: string; payload: unknown; seq?: number }
  | { t: 'protocol-error'; message: string }
