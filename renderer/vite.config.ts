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

/** The renderer build, shared by electron-vite and the web host's standalone build. */
export const rendererConfig: UserConfig = {
  root: here,
  base: './',
  plugins: [react(), cspMeta()],
  // @shared/, @main/ and @renderer/ from tsconfig.base.json's paths.
  resolve: { tsconfigPaths: true },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
}

export default rendererConfig
