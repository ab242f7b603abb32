import './styles/global.css'

import { startTransition, StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

import { App } from './app/App'
import { bootstrap } from './app/bootstrap'
import { screenById } from './app/screens'
import { useAppStore } from './lib/store'

// Paint the OS theme before the first frame to avoid a flash.
document.documentElement.dataset.theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
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
