// The tokens first, on their own: the build adds what the page needs before its script sets a theme (vite.config.ts).
import './styles/tokens.css'
import './styles/global.css'

import { warmStartFonts } from './app/start-fonts'
import { prefetchStartReads } from './app/start-reads'
import { showStartFailure, watchStartShell } from './lib/start-shell'

// First of all: what the start-up screen waits on is asked of main now, and answered while the rest loads.
prefetchStartReads()
// index.html's navigation and message box are on screen already: keep what is asked of them for the app.
watchStartShell()
// Then the start screen's fonts, a few per small task, while its code loads (app/start-fonts.ts).
warmStartFonts()

// The theme the start shell is painted in: the one the user chose, put into index.html by its host
// (electron/main/page-theme.ts), else the system's (which the stylesheet has followed until now).
document.documentElement.dataset.theme ||= window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
// React first, then the app shell (app/start.tsx): each is evaluated in a start-up task of its own rather than both
// in one long task. index.html preloads both, so neither waits for the network here.
// Should either not load, the start shell says so (what was typed stays in its box).
import('react-dom/client').then(() => import('./app/start')).catch((err: unknown) => showStartFailure(err))
