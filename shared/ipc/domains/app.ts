import { z } from 'zod'

import { channel, event } from '../define'

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Electron window, or the browser served by `npm run web`. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
})
export type AppInfo = z.infer<typeof AppInfo>

export const appChannels = {
  'app:info': channel(z.object({}).strict(), AppInfo, 'Name, version and host of the running app'),
  'app:openExternal': channel(
    z.object({ url: z.string().max(2048) }).strict(),
    z.object({ opened: z.boolean() }),
    'Open an https link in the system browser (after parsing the URL)',
  ),
}

export const appEvents = {
  'app:notice': event(z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }), 'A message from main for the status bar'),
}
