import { useShallow } from 'zustand/react/shallow'

import { shortcutLabel } from '../lib/shortcuts'
import { useAppStore } from '../lib/store'
import { saveTheme } from '../lib/theme'
import { NavView } from './NavView'
import { screenShortcutLabel } from './shortcuts'

export function Nav() {
  const { screen, go, themeChoice, setShortcutsOpen } = useAppStore(
    useShallow((s) => ({ screen: s.screen, go: s.go, themeChoice: s.themeChoice, setShortcutsOpen: s.setShortcutsOpen })),
  )
  return (
    <NavView
      screen={screen}
      themeChoice={themeChoice}
      screenTitle={screenShortcutLabel}
      shortcutsTitle={`Keyboard shortcuts (${shortcutLabel('showShortcuts')})`}
      onGo={go}
      onTheme={(t) => void saveTheme(t)}
      onShortcuts={() => setShortcutsOpen(true)}
    />
  )
}
