import './styles/global.css'

import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

import { App } from './app/App'
import { bootstrap } from './app/bootstrap'
import { screenById } from './app/screens'
import { useAppStore } from './lib/store'

// Paint the OS theme before the first frame to avoid a flash.
document.documentElement.dataset.theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
// The start-up screen's code is on its way (index.html preloads it) before React's first render asks for it.
screenById(useAppStore.getState().screen).preload()
void bootstrap()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
