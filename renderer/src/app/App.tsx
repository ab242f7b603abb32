import '../styles/reflow.css'

import { Suspense, useEffect, useLayoutEffect } from 'react'

import { takeStartShell } from '../lib/start-shell'
import { selectTheme, useAppStore } from '../lib/store'
import { saveTheme } from '../lib/theme'
import { ErrorBoundary } from './ErrorBoundary'
import { Nav } from './Nav'
import { screenById } from './screens'
import { useGlobalShortcuts } from './shortcuts'
import { ShortcutsDialog } from './ShortcutsDialog'
import { SkipLink } from './SkipLink'
import { StatusBar } from './StatusBar'
import { Toasts } from './Toasts'

export function App() {
  const screenId = useAppStore((s) => s.screen)
  const theme = useAppStore(selectTheme)
  useGlobalShortcuts()

  // The first commit puts the app where index.html's start shell was (lib/start-shell.ts): the shell goes, in this
  // same task, and what its buttons were asked for is done now.
  useLayoutEffect(() => {
    const asked = takeStartShell()
    if (!asked) return
    const s = useAppStore.getState()
    if (asked.screen) s.go(asked.screen)
    if (asked.theme) void saveTheme(asked.theme)
    if (asked.shortcuts) s.setShortcutsOpen(true)
  }, [])

  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  const screen = screenById(screenId)
  const Screen = screen.component
  return (
    <div className="shell">
      <SkipLink />
      <Nav />
      {/* Focusable from the skip link only (tabIndex -1): never a Tab stop of its own. */}
      <main className="main" id="main" tabIndex={-1} data-testid={`screen-${screen.id}`}>
        <ErrorBoundary key={screen.id} label={screen.label}>
          <Suspense
            fallback={
              // Each screen's code loads on its first visit: say so to assistive technology while it does.
              <div className="screen" aria-busy="true">
                <p className="sr-only" role="status">
                  Loading {screen.label}…
                </p>
              </div>
            }
          >
            <Screen />
          </Suspense>
        </ErrorBoundary>
      </main>
      <StatusBar />
      <ShortcutsDialog />
      <Toasts />
    </div>
  )
}
