import './styles/global.css'

import { config } from 'zod'

import { warmStartFonts } from './app/start-fonts'
import { prefetchStartReads } from './app/start-reads'

// First of all: what the start-up screen waits on is asked of main now, and answered while the rest loads.
prefetchStartReads()
// Then the start screen's fonts, one small task each, while its code loads (app/start-fonts.ts).
warmStartFonts()

// The renderer's CSP forbids eval, so zod's compiled parsers can never run here: told so before any schema is built,
// zod skips its probe for eval (new Function(''), refused by the CSP with a violation report: 15 ms of start-up).
config({ jitless: true })

// Paint the OS theme before the first frame to avoid a flash.
document.documentElement.dataset.theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
// React first, then the app shell (app/start.tsx): each is evaluated in a start-up task of its own rather than both
// in one long task. index.html preloads both, so neither waits for the network here.
void import('react-dom/client').then(() => import('./app/start'))
