import { renderToStaticMarkup } from 'react-dom/server'

import { PlaygroundStartShell } from '../features/playground/ui/PlaygroundStartShell'
import { START_SHELL_ID } from '../lib/start-shell'
import { NavView } from './NavView'
import { SCREEN_LIST } from './screen-list'

const PLAYGROUND = SCREEN_LIST.find((s) => s.id === 'playground')!

/**
 * What index.html shows before any script has run: the app's navigation and the playground's message box, the same
 * components the app renders, without handlers. lib/start-shell.ts makes it usable meanwhile and hands it over.
 * No theme is marked chosen (the user's choice is not known before the settings are read); no shortcut is named
 * (the platform is not known at build time).
 */
export function StartShell() {
  return (
    <div className="shell" id={START_SHELL_ID} data-testid="start-shell">
      <NavView screen="playground" themeChoice={null} />
      <main className="main" tabIndex={-1} data-testid="screen-playground">
        <PlaygroundStartShell title={PLAYGROUND.label} subtitle={PLAYGROUND.summary} />
      </main>
    </div>
  )
}

/** The start shell's markup, for index.html (renderer/vite.config.ts puts it there at build time). */
export function startShellHtml(): string {
  return renderToStaticMarkup(<StartShell />)
}
