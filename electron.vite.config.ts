import { defineConfig } from 'electron-vite'

import { rendererConfig } from './renderer/vite.config'

// Imports name shared/, electron/main/ and renderer/src/ as @shared/, @main/ and
// @renderer/: the paths in tsconfig.base.json, read by every build and by vitest and tsx.
const resolve = { tsconfigPaths: true }

export default defineConfig({
  main: {
    resolve,
    build: {
      // The audit writer runs in a worker thread; it is built beside index.js (see audit/writer-thread.ts).
      // `wafer` (bin/wafer.mjs) and `npm run web` run cli.js and web-host.js under plain Node.
      rollupOptions: {
        input: {
          index: 'electron/main/index.ts',
          'audit-writer-worker': 'electron/main/services/audit/writer-worker.ts',
          // The gateway scans large requests on worker threads (see gateway/policy-pool.ts).
          'gateway-policy-worker': 'electron/main/services/gateway/policy-worker.ts',
          cli: 'electron/cli/main.ts',
          'web-host': 'electron/web/cli.ts',
        },
        // Shared chunks sit beside the entries, so a path one resolves relative to
        // itself (new URL('./audit-writer-worker.js', import.meta.url)) is right from any of them.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    resolve,
    build: {
      // A sandboxed preload cannot require anything but electron: bundle every dependency into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: 'electron/preload/index.ts' },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    // electron-vite chooses out/renderer (or --outDir) itself.
    build: {
      ...rendererConfig.build,
      outDir: undefined,
      // The shared build's chunking (its output options) with electron-vite's required input.
      rolldownOptions: { ...rendererConfig.build?.rolldownOptions, input: { index: 'renderer/index.html' } },
    },
  },
})
