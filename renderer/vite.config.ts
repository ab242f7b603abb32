import { fileURLToPath } from 'node:url'

import react from '@vitejs/plugin-react'
import type { Plugin, UserConfig } from 'vite'

import { CSP } from '../electron/main/security/csp'

const here = fileURLToPath(new URL('.', import.meta.url))

/** Put the same CSP the main process sends into index.html, so it holds for file:// loads too. */
function cspMeta(): Plugin {
  return {
    name: 'wafer-csp-meta',
    transformIndexHtml(html) {
      return html.replace('<!--CSP-->', `<meta http-equiv="Content-Security-Policy" content="${CSP}" />`)
    },
  }
}

/**
 * KaTeX's stylesheet, trimmed: it offers each font as woff2, woff and ttf;
 * Chromium (the only engine the app runs in) takes woff2, so the other two
 * are not shipped. And its `.katex *` rule (an IE-only property and
 * border-color: currentColor, the default anyway) is matched against every
 * element of the page on every style recalc: it doubled the time to lay out
 * a reopened 400 KB answer that has no formula at all (render bench).
 */
function katexWoff2Only(): Plugin {
  return {
    name: 'wafer-katex-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]katex[\\/]dist[\\/]katex(\.min)?\.css$/.test(id)) return null
      return code.replace(/,\s*url\([^)]+\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)/g, '').replace(/\.katex \*\s*\{[^}]*\}/, '')
    },
  }
}

/** The renderer build, shared by electron-vite and the web host's standalone build. */
export const rendererConfig: UserConfig = {
  root: here,
  base: './',
  plugins: [react(), cspMeta(), katexWoff2Only()],
  // @shared/, @main/ and @renderer/ from tsconfig.base.json's paths.
  resolve: { tsconfigPaths: true },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
}

export default rendererConfig
