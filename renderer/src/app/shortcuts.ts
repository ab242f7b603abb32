import { useEffect } from 'react'

import { chordKeys, type KeyChord, matchesChord, matchesShortcut, type Shortcut, SHORTCUTS } from '../lib/shortcuts'
import { useAppStore } from '../lib/store'
import { SCREEN_LIST as SCREENS } from './screen-list'

/** Ctrl/Cmd+1…: the screens in the order of the side bar. */
const screenChord = (i: number): KeyChord => ({ key: String(i + 1), mod: true })

/** "Ctrl+3" (Cmd on a Mac): the key for the side bar's screen `i`. */
export const screenShortcutLabel = (i: number): string => chordKeys(screenChord(i)).join('+')

/**
 * What the shortcut sheet lists: going to each screen, then every shortcut of
 * the table the key handlers use (lib/shortcuts.ts), by where it works.
 */
export function allShortcuts(): Shortcut[] {
  return [...SCREENS.map((s, i) => ({ keys: [screenChord(i)], action: `Go to ${s.label}`, area: 'Everywhere' as const })), ...Object.values(SHORTCUTS)]
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { go, setShortcutsOpen, shortcutsOpen } = useAppStore.getState()
      if (shortcutsOpen && matchesShortcut('closeDialog', e)) {
        setShortcutsOpen(false)
        return
      }
      const screen = SCREENS.findIndex((_, i) => matchesChord(screenChord(i), e))
      if (screen >= 0) {
        e.preventDefault()
        go(SCREENS[screen].id)
      } else if (matchesShortcut('showShortcuts', e)) {
        e.preventDefault()
        setShortcutsOpen(!shortcutsOpen)
      } else if (matchesShortcut('openSettings', e)) {
        e.preventDefault()
        go('settings')
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
