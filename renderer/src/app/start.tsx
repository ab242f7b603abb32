import { startTransition, StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

import { useAppStore } from '../lib/store'
import { App } from './App'
import { bootstrap } from './bootstrap'
import { screenById } from './screens'

/** The app shell's start: main.tsx loads it once React is in. */
void bootstrap()
const root = createRoot(document.getElementById('root')!)
// The first render waits for the start-up screen's code (index.html preloads it, so it is on its way): rendered
// before, the screen would suspend, commit its loading fallback and then hold the real screen back for React's
// 300 ms fallback throttle. As a transition, React renders it in slices that yield to the browser every few
// milliseconds instead of in one long task.
void screenById(useAppStore.getState().screen)
  .preload()
  .then(() =>
    startTransition(() =>
      root.render(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
    ),
  )
