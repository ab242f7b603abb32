import { defineConfig } from 'electron-vite'
import { rendererConfig } from './renderer/vite.config'

export default defineConfig({
  main: {
    build: {
      // The audit writer runs in a worker thread; it is built beside index.js (see audit/writer-thread.ts).
      rollupOptions: { input: { index: 'electron/main/index.ts', 'audit-writer-worker': 'electron/main/services/audit/writer-worker.ts' } },
    },
  },
  preload: {
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
    build: { ...rendererConfig.build, outDir: undefined, rollupOptions: { input: { index: 'renderer/index.html' } } },
  },
})
