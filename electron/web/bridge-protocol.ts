import { z } from 'zod'

import type { Envelope } from '../../shared/ipc/errors'

/** Messages the browser sends over the WebSocket bridge. */
export const ClientMessage = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  args: z.unknown(),
})
export type ClientMessage = z.infer<typeof ClientMessage>

/** Messages the web host sends back: call results, and events. */
export type ServerMessage =
  { t: 'result'; id: number; envelope: Envelope<unknown> } | { t: 'event'; event: string; payload: unknown } | { t: 'protocol-error'; message: string }
