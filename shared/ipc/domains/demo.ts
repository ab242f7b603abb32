import { z } from 'zod'

import { channel, event } from '../define'

/*
 * The built-in demo endpoint: a local fake Cerebras server that main starts
 * on a random loopback port, so the app can be tried without a key. Its
 * answers and figures are made up; every screen that shows them says so.
 * Switching it off stops the server and requests go to the configured
 * endpoint again (the saved base URL was never changed).
 */

export const DemoStatus = z.object({
  active: z.boolean(),
  /** The demo server's base URL while it runs (`http://127.0.0.1:PORT/v1`). */
  baseUrl: z.string().nullable(),
  /** When it was switched on (epoch ms). */
  since: z.number().nullable(),
})
export type DemoStatus = z.infer<typeof DemoStatus>

export const demoChannels = {
  'demo:status': channel(z.object({}).strict(), DemoStatus, 'Whether the built-in demo endpoint is on'),
  'demo:start': channel(
    z.object({}).strict(),
    DemoStatus,
    'Start the built-in demo endpoint (a local fake Cerebras server with made-up answers and figures; no key is used) and send requests there',
  ),
  'demo:stop': channel(z.object({}).strict(), DemoStatus, 'Stop the demo endpoint; requests go to the configured endpoint again'),
}

export const demoEvents = {
  'demo:changed': event(DemoStatus, 'The demo endpoint was switched on or off'),
}
