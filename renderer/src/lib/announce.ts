import { useSyncExternalStore } from 'react'

/*
 * The app's polite live region's words (app/Toasts renders the region from
 * start-up): "answer complete" with a one-line summary, an answer's error.
 * One message at a time; a repeat of the same words is still read out.
 */

let current = ''
let count = 0
const listeners = new Set<() => void>()

/** Say `text` to screen-reader users, politely (after what they are hearing). */
export function announce(text: string): void {
  count++
  // The same words twice in a row would not change the region: a no-break space tells them apart.
  current = count % 2 ? text : `${text}\u00a0`
  listeners.forEach((l) => l())
}

export function useAnnouncement(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => current,
  )
}
