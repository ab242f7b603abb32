import { useShallow } from 'zustand/react/shallow'

import { shortcutLabel } from '../lib/shortcuts'
import { type ThemeChoice, useAppStore } from '../lib/store'
import { saveTheme } from '../lib/theme'
import { Icon } from '../ui/Icon'
import { SCREENS } from './screens'
import { screenShortcutLabel } from './shortcuts'

const THEMES: { id: ThemeChoice; icon: 'monitor' | 'sun' | 'moon'; label: string }[] = [
  { id: 'system', icon: 'monitor', label: 'Follow the system theme' },
  { id: 'light', icon: 'sun', label: 'Light theme' },
  { id: 'dark', icon: 'moon', label: 'Dark theme' },
]

export function Nav() {
  const { screen, go, themeChoice, setShortcutsOpen } = useAppStore(
    useShallow((s) => ({ screen: s.screen, go: s.go, themeChoice: s.themeChoice, setShortcutsOpen: s.setShortcutsOpen })),
  )
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <div className="brand-mark" aria-hidden />
        <div>
          <div className="brand-name">Wafer Console</div>
          <div className="brand-sub">Cerebras Inference</div>
        </div>
      </div>
      {SCREENS.map((s, i) => (
        <button
          key={s.id}
          className="nav-item"
          aria-current={screen === s.id ? 'page' : undefined}
          onClick={() => go(s.id)}
          data-testid={`nav-${s.id}`}
          title={`${s.label} (${screenShortcutLabel(i)})`}
        >
          <Icon name={s.icon} />
          <span className="label">{s.label}</span>
          <kbd>{i + 1}</kbd>
        </button>
      ))}
      <div className="nav-spacer" />
      <div className="nav-footer">
        <div className="segmented" role="group" aria-label="Theme">
          {THEMES.map((t) => (
            <button key={t.id} aria-pressed={themeChoice === t.id} title={t.label} aria-label={t.label} onClick={() => void saveTheme(t.id)}>
              <Icon name={t.icon} size={14} />
            </button>
          ))}
        </div>
        <button
          className="btn ghost icon"
          title={`Keyboard shortcuts (${shortcutLabel('showShortcuts')})`}
          aria-label="Keyboard shortcuts"
          onClick={() => setShortcutsOpen(true)}
        >
          <Icon name="keyboard" />
        </button>
      </div>
    </nav>
  )
}
