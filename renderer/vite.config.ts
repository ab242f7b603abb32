import { fileURLToPath } from 'node:url'

import react from '@vitejs/plugin-react'
import { type Plugin, runnerImport, type UserConfig } from 'vite'

import { CSP_META } from '../electron/main/security/csp'
import { channelNames, eventNames, methodName } from '../shared/ipc/contract'

const here = fileURLToPath(new URL('.', import.meta.url))

/** Put the CSP the main process sends into index.html, so it holds for file:// loads too (less frame-ancestors, header-only). */
function cspMeta(): Plugin {
  return {
    name: 'wafer-csp-meta',
    transformIndexHtml(html) {
      return html.replace('<!--CSP-->', `<meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`)
    },
  }
}

/**
 * index.html's start shell (src/app/StartShell.tsx, made usable by src/lib/start-shell.ts): the navigation and the
 * playground's message box, on screen and usable before any script has run.
 */
function startShell(): Plugin {
  // Run through Vite's own module runner, as the renderer's code is (TSX, the renderer's paths), not imported by this
  // config: tsc checks that code with the renderer's settings (tsconfig.web.json), not the config's.
  const file = fileURLToPath(new URL('./src/app/StartShell.tsx', import.meta.url))
  return {
    name: 'wafer-start-shell',
    async transformIndexHtml(html) {
      const { module } = await runnerImport<{ startShellHtml: () => string }>(file, { configFile: false, logLevel: 'error' })
      return html.replace('<div id="root"></div>', `${module.startShellHtml()}<div id="root"></div>`)
    },
  }
}

/**
 * The design tokens (src/styles/tokens.css) apply under [data-theme], which the page's script sets. Until it has
 * run, the start shell (above) is already on screen: each theme's tokens also apply, when the system asks for that
 * theme, to a page with no [data-theme] yet. Generated here, so the tokens stay in one place.
 */
function themeBeforeScripts(): Plugin {
  return {
    name: 'wafer-theme-before-scripts',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]styles[\\/]tokens\.css$/.test(id.split('?')[0])) return null
      const block = (theme: string) => new RegExp(`\\[data-theme='${theme}'\\]\\s*\\{([^}]*)\\}`).exec(code)?.[1]
      const dark = block('dark')
      const light = block('light')
      if (!dark || !light) throw new Error('tokens.css: no [data-theme] block for each theme')
      return `${code}\n@media (prefers-color-scheme: dark) {\n  :root:not([data-theme]) {${dark}}\n}\n@media (prefers-color-scheme: light) {\n  :root:not([data-theme]) {${light}}\n}\n`
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

/**
 * renderer/src/api/ipc-names.ts as the two lists it exports, computed from
 * the contract here, at build time: the renderer needs only the names, and
 * evaluating the contract's zod schemas took tens of milliseconds of the
 * app's start-up. (A dev server started before a channel was added needs a
 * restart to see it.)
 */
function ipcNamesOnly(): Plugin {
  const file = fileURLToPath(new URL('./src/api/ipc-names.ts', import.meta.url))
  return {
    name: 'wafer-ipc-names-only',
    enforce: 'pre',
    load(id) {
      if (id.split('?')[0] !== file) return null
      const methods = channelNames.map((c) => [c, methodName(c)])
      return `export const CHANNEL_METHODS = ${JSON.stringify(methods)}\nexport const EVENT_NAMES = ${JSON.stringify(eventNames)}\n`
    },
  }
}

/** The screen the app opens on (the store's default screen, lib/store.ts). */
const START_SCREEN = /[\\/]features[\\/]playground[\\/]PlaygroundScreen\.tsx$/
const SHARED_MODULE = /[\\/]shared[\\/][^?]*\.ts$/
/**
 * shared/ipc/domains/chat.ts, the schemas a chat request is checked with, and what it imports (the policy outcome's
 * schemas, the channel and error helpers): two chunks, evaluated in two tasks (features/playground/request-checks.ts).
 */
const REQUEST_SCHEMAS = /[\\/]shared[\\/]ipc[\\/]domains[\\/]chat\.ts$/
const REQUEST_SCHEMA_PARTS = /[\\/]shared[\\/]ipc[\\/](define|error-schema|domains[\\/]policies)\.ts$/
/** What `zod` resolves to in the renderer: zod, told the renderer's CSP forbids eval. */
const ZOD_FOR_RENDERER = fileURLToPath(new URL('./src/lib/zod.ts', import.meta.url))
const ENTRY_FILE = fileURLToPath(new URL('./src/main.tsx', import.meta.url))
/** The app shell (main.tsx, the entry, loads it once React is in). */
const SHELL_FILE = fileURLToPath(new URL('./src/app/start.tsx', import.meta.url))
const START_SCREEN_FILE = fileURLToPath(new URL('./src/features/playground/PlaygroundScreen.tsx', import.meta.url))

type ModuleGraph = { getModuleInfo(id: string): { importedIds: readonly string[] } | null }

/** Every module `from` imports statically, directly or not, itself included. */
function staticClosure(graph: ModuleGraph, from: string): Set<string> {
  const seen = new Set<string>()
  const visit = (id: string) => {
    if (seen.has(id)) return
    seen.add(id)
    for (const next of graph.getModuleInfo(id)?.importedIds ?? []) visit(next)
  }
  visit(from)
  return seen
}

/** Per build: the app shell's modules and the start-up screen's (those the shell and the entry do not hold). */
const startModules = new WeakMap<ModuleGraph, { shell: Set<string>; screen: Set<string> }>()

/**
 * The start-up screen's chunk: every module the playground imports statically that the app shell (app/start.tsx)
 * does not already hold, in one chunk rather than the twenty small shared chunks it was split into, which a browser
 * fetches at most six at a time from the web host. The other screens load after start-up, so a piece of theirs that
 * is in here is already in memory when they ask for it.
 */
function startScreenChunk(id: string, graph: ModuleGraph): string | null {
  let start = startModules.get(graph)
  if (!start) {
    const inEntry = staticClosure(graph, ENTRY_FILE)
    const shell = new Set([...staticClosure(graph, SHELL_FILE)].filter((m) => !inEntry.has(m)))
    const screen = new Set([...staticClosure(graph, START_SCREEN_FILE)].filter((m) => !shell.has(m) && !inEntry.has(m)))
    startModules.set(graph, (start = { shell, screen }))
  }
  if (!start.shell.has(id) && !start.screen.has(id)) return null
  // The shell in one chunk too, the pieces other screens share with it included (it is always loaded first), and
  // with it the screen's shared/ modules (figures, the transport's names), which other screens import too: a chunk of
  // their own (2 KB) was one more fetch at start-up, over the six connections (see cssCodeSplit).
  return start.shell.has(id) || SHARED_MODULE.test(id) ? 'start' : 'PlaygroundScreen'
}

/**
 * index.html preloads the app shell's and the start-up screen's chunks, so
 * they download while the entry runs instead of after it asks for them. Both
 * stay lazy chunks: every other screen loads on first visit. (The app's one
 * stylesheet is index.html's own link: see cssCodeSplit.)
 */
function preloadStartScreen(): Plugin {
  return {
    name: 'wafer-preload-start-screen',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle
        if (!bundle) return
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk')
        const start = chunks.find((c) => c.moduleIds.some((id) => START_SCREEN.test(id)))
        const shell = chunks.find((c) => c.moduleIds.includes(SHELL_FILE))
        if (!start || !shell) throw new Error('The app shell (app/start.tsx) or the start-up screen (PlaygroundScreen.tsx) has no chunk')
        const js = new Set<string>()
        const seen = new Set<string>()
        const visit = (fileName: string) => {
          const c = bundle[fileName]
          if (!c || c.type !== 'chunk' || c.isEntry || seen.has(fileName)) return
          seen.add(fileName)
          // Vite already preloads what the entry imports.
          if (!html.includes(fileName)) js.add(fileName)
          c.imports.forEach(visit)
        }
        visit(shell.fileName)
        visit(start.fileName)
        return [...js].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const }))
      },
    },
  }
}

/** The renderer build, shared by electron-vite and the web host's standalone build. */
export const rendererConfig: UserConfig = {
  root: here,
  base: './',
  plugins: [react(), cspMeta(), startShell(), themeBeforeScripts(), katexWoff2Only(), ipcNamesOnly(), preloadStartScreen()],
  resolve: {
    // @shared/, @main/ and @renderer/ from tsconfig.base.json's paths.
    tsconfigPaths: true,
    // zod as the renderer's CSP needs it, set up before any schema is built (src/lib/zod.ts).
    alias: [{ find: /^zod$/, replacement: ZOD_FOR_RENDERER }],
  },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Explicit: electron-vite turns minification off for the renderer unless asked, and the app should
    // parse as little as the web host's build does.
    minify: true,
    cssMinify: true,
    // One stylesheet for the whole app, linked by index.html. Split per chunk, start-up fetched three (the entry's, the
    // shell's, the playground's), and with the scripts and the start-up reads that was more than the six connections
    // a browser opens to the web host: React's chunk, the largest, waited for one (83 ms in a traced open on this
    // project's loaded 2-core test machine). Every screen's rules are in it (91 KB, of which start-up used 30 KB), so
    // opening another screen fetches no stylesheet. Startup bench, 21 opens each alternating with the split build:
    // start-up's scripts and styles all in at 279 vs 315 ms (median), interactive 671 vs 705 ms.
    cssCodeSplit: false,
    // Chromium (Electron's, and the browsers `npm run web` serves) supports <link rel=modulepreload>: no polyfill
    // in the page's entry.
    modulePreload: { polyfill: false },
    // The tokenizers' vocabularies are single modules of several MB; they load in the token worker only.
    chunkSizeWarningLimit: 6000,
    rolldownOptions: {
      // The worker's build (the tokenizers' multi-MB vocabularies) is slow by nature; no timing report on every build.
      checks: { bundlerTimings: false },
      output: {
        // Start-up fetches its scripts side by side: the entry, React, the app shell, zod, the start-up screen and
        // its shared modules (startScreenChunk); every other screen is a lazy chunk.
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'zod', test: (id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id) || id === ZOD_FOR_RENDERER },
            // The chat request's schemas, which the playground loads after its first frame (features/playground/request-checks.ts).
            { name: 'request-schema-parts', test: REQUEST_SCHEMA_PARTS, includeDependenciesRecursively: false },
            { name: 'request-schemas', test: REQUEST_SCHEMAS, includeDependenciesRecursively: false },
            // Its modules' other imports are the shell's own (outside the group by construction), React and zod: none
            // is to be pulled in with it.
            { name: startScreenChunk, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  // The token worker (lib/tokens/token-worker.ts) loads each tokenizer as its own chunk, on first use: that needs ES module output.
  worker: { format: 'es' },
}

export default rendererConfig
