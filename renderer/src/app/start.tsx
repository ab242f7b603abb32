import { startTransition, StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

import { startShellComposed } from '../lib/start-shell'
import { useAppStore } from '../lib/store'
import { App } from './App'
import { bootstrap } from './bootstrap'
import { screenById } from './screens'
import { settledOrAfter } from './settled-or-after'

/**
 * How long the first render waits for the start-up reads before it goes ahead without them (the screens then show
 * their loading states until the answers come). Only a main process that does not answer reaches it.
 */
const START_READS_WAIT_MS = 3000

/** The app shell's start: main.tsx loads it once React is in. */
const shellShown = bootstrap()
const root = createRoot(document.getElementById('root')!)
// The first render waits for the start-up screen's code (index.html preloads it, so it is on its way): rendered
// before, the screen would suspend, commit its loading fallback and then hold the real screen back for React's
// 300 ms fallback throttle. It waits for the start-up reads too (app/start-reads.ts, usually in by now): an answer
// landing while React renders changes a store the render read, and React then redoes the whole render in one
// blocking task. As a transition, React renders it in slices that yield to the browser every few milliseconds.
// And not while an input method is composing text in index.html's start shell, which the first commit takes over
// (lib/start-shell.ts): that would cancel the composition.
const firstRenderNeeds = [screenById(useAppStore.getState().screen).preload(), shellShown]
void settledOrAfter(Promise.all(firstRenderNeeds), START_READS_WAIT_MS)
  .then(startShellComposed)
  .then(() =>
    startTransition(() =>
      root.render(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
    ),
  )
