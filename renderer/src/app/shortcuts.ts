import { useEffect } from 'react'

import { isMac, modKey } from '../lib/platform'
import { useAppStore } from '../lib/store'
import { SCREENS } from './screens'

/** Every app-wide shortcut, for the shortcut list (Ctrl/Cmd+/). */
export const SHORTCUTS: { keys: string; action: string }[] = [
  ...SCREENS.map((s, i) => ({ keys: `${modKey}+${i + 1}`, action: `Go to ${s.label}` })),
  { keys: `${modKey}+,`, action: 'Open Settings' },
  { keys: `${modKey}+/`, action: 'Show keyboard shortcuts' },
  { keys: 'Esc', action: 'Close a dialog' },
]

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey : e.ctrlKey
      const { go, setShortcutsOpen, shortcutsOpen } = useAppStore.getState()
      if (e.key === 'Escape' && shortcutsOpen) {
        setShortcutsOpen(false)
        return
      }
      if (!mod || e.altKey) return
      const n = Number(e.key)
      if (Number.isInteger(n) && n >= 1 && n <= SCREENS.length) {
        e.preventDefault()
        go(SCREENS[n - 1].id)
      } else if (e.key === '/' || e.key === '?') {
        e.preventDefault()
        setShortcutsOpen(!shortcutsOpen)
      } else if (e.key === ',') {
        e.preventDefault()
        go('settings')
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
