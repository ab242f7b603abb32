import './styles/global.css'

import { warmStartFonts } from './app/start-fonts'
import { prefetchStartReads } from './app/start-reads'

// First of all: what the start-up screen waits on is asked of main now, and answered while the rest loads.
prefetchStartReads()
// Then the start screen's fonts, a few per small task, while its code loads (app/start-fonts.ts).
warmStartFonts()

// Paint the OS theme before the first frame to avoid a flash.
document.documentElement.dataset.theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
// React first, then the app shell (app/start.tsx): each is evaluated in a start-up task of its own rather than both
// in one long task. index.html preloads both, so neither waits for the network here.
void import('react-dom/client').then(() => import('./app/start'))
