import { channelNames, type EventName, type PayloadOf } from '@shared/ipc/contract'
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'

import type { Dispatch } from './dispatcher'

export const eventChannel = (name: string) => `event:${name}`

/**
 * Is this IPC message from the app's own top frame? Sub-frames, other
 * origins and destroyed senders are refused (VS Code's validatedIpcMain idea).
 */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

export function makeSenderCheck(isAppUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    if (!frame || event.sender.isDestroyed()) return false
    if (frame !== event.sender.mainFrame) return false
    return isAppUrl(frame.url)
  }
}

/** Send to one renderer, unless it has gone away meanwhile. */
export function sendEvent<E extends EventName>(wc: WebContents, name: E, payload: PayloadOf<E>): void {
  if (!wc.isDestroyed()) wc.send(eventChannel(name), payload)
}

/** Where a refused sender came from, for the log: its origin only (a URL's path or query may hold anything). */
function senderOrigin(event: IpcMainInvokeEvent): string {
  try {
    const url = event.senderFrame?.url ?? ''
    const u = new URL(url)
    return u.origin !== 'null' ? u.origin : `${u.protocol}//`
  } catch {
    return 'unknown'
  }
}

/**
 * Register every channel of the contract on ipcMain through the one
 * dispatcher. A refused sender gets a `forbidden` envelope, never a handler
 * call, and one log line (channel and origin, never the payload).
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  dispatch: Dispatch,
  isTrusted: SenderCheck,
  log: (line: string) => void = (line) => console.warn(line),
): void {
  for (const name of channelNames) {
    ipcMain.handle(name, async (event, args: unknown) => {
      if (!isTrusted(event)) {
        log(`Refused IPC ${name} from an untrusted frame (${senderOrigin(event)}).`)
        return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused.' } }
      }
      return dispatch(name, args, {
        via: 'electron',
        emit: (ev, payload) => sendEvent(event.sender, ev, payload),
      })
    })
  }
}
