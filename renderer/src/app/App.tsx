import { Suspense, useEffect } from 'react'

import { selectTheme, useAppStore } from '../lib/store'
import { ErrorBoundary } from './ErrorBoundary'
import { Nav } from './Nav'
import { screenById } from './screens'
import { useGlobalShortcuts } from './shortcuts'
import { ShortcutsDialog } from './ShortcutsDialog'
import { StatusBar } from './StatusBar'
import { Toasts } from './Toasts'

export function App() {
  const screenId = useAppStore((s) => s.screen)
  const theme = useAppStore(selectTheme)
  useGlobalShortcuts()

  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  const screen = screenById(screenId)
  const Screen = screen.component
  return (
    <div className="shell">
      <Nav />
      <main className="main" data-testid={`screen-${screen.id}`}>
        <ErrorBoundary key={screen.id} label={screen.label}>
          <Suspense fallback={<div className="screen" aria-busy="true" />}>
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
