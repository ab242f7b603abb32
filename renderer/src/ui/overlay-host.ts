import { useSyncExternalStore } from 'react'

/*
 * Where floating messages (toasts, the live announcer) go. A modal <dialog>
 * sits in the browser's top layer and makes the rest of the page inert, so a
 * toast rendered in the page would be hidden behind it and never announced:
 * each open Dialog offers a host inside itself, and the newest one wins.
 */

const hosts: HTMLElement[] = []
const listeners = new Set<() => void>()
const changed = () => listeners.forEach((l) => l())

/** Offer `el` (inside an open modal dialog) as the place for floating messages; returns the withdrawal. */
export function offerOverlayHost(el: HTMLElement): () => void {
  hosts.push(el)
  changed()
  return () => {
    const at = hosts.lastIndexOf(el)
    if (at >= 0) hosts.splice(at, 1)
    changed()
  }
}

/** The innermost open dialog's host, or null when no modal dialog is open (render in the page). */
export function useOverlayHost(): HTMLElement | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => hosts.at(-1) ?? null,
  )
}
