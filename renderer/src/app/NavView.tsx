import type { ScreenId, ThemeChoice } from '../lib/store'
import { Icon } from '../ui/Icon'
import { SCREEN_LIST } from './screen-list'

const THEMES: { id: ThemeChoice; icon: 'monitor' | 'sun' | 'moon'; label: string }[] = [
  { id: 'system', icon: 'monitor', label: 'Follow the system theme' },
  { id: 'light', icon: 'sun', label: 'Light theme' },
  { id: 'dark', icon: 'moon', label: 'Dark theme' },
]

export interface NavViewProps {
  screen: ScreenId
  /** null: none marked (the start shell, before the settings are read). */
  themeChoice: ThemeChoice | null
  /** A screen button's shortcut for its tooltip, by its place in the list; none in the start shell (app/StartShell.tsx). */
  screenTitle?: (index: number) => string
  /** The shortcut sheet button's tooltip. */
  shortcutsTitle?: string
  onGo?: (screen: ScreenId) => void
  onTheme?: (theme: ThemeChoice) => void
  onShortcuts?: () => void
}

/**
 * The main navigation as it looks, given what it shows. Nav.tsx connects it to the app's store; the build renders it
 * once more, without handlers, into index.html's start shell (app/StartShell.tsx), which is on screen before any
 * script has run.
 */
export function NavView({ screen, themeChoice, screenTitle, shortcutsTitle, onGo, onTheme, onShortcuts }: NavViewProps) {
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <div className="brand-mark" aria-hidden />
        <div>
          <div className="brand-name">Wafer Console</div>
          <div className="brand-sub">Cerebras Inference</div>
        </div>
      </div>
      {SCREEN_LIST.map((s, i) => (
        <button
          key={s.id}
          className="nav-item"
          aria-current={screen === s.id ? 'page' : undefined}
          onClick={onGo && (() => onGo(s.id))}
          data-testid={`nav-${s.id}`}
          // The name as a tooltip (a rail of icons at narrow widths), with its shortcut once the platform is known.
          title={screenTitle ? `${s.label} (${screenTitle(i)})` : s.label}
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
            <button
              key={t.id}
              aria-pressed={themeChoice === t.id}
              title={t.label}
              aria-label={t.label}
              onClick={onTheme && (() => onTheme(t.id))}
              data-theme-choice={t.id}
            >
              <Icon name={t.icon} size={14} />
            </button>
          ))}
        </div>
        <button className="btn ghost icon" title={shortcutsTitle} aria-label="Keyboard shortcuts" onClick={onShortcuts} data-testid="shortcuts-button">
          <Icon name="keyboard" />
        </button>
      </div>
    </nav>
  )
}
