// node scripts/build-main.mjs [--outDir DIR]: build only electron-vite's main
// target (the app's main process, the `wafer` command line and the web host;
// see electron.vite.config.ts) into out/main, or DIR/main. `npm run build`
// builds it too, with the preload and the renderer; this leaves those alone,
// so a rebuild of the command line never empties out/renderer under a
// running web host. Run from the repository root (the config's paths are).
import { readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'

import { resolveConfig } from 'electron-vite'
import { build } from 'vite'

const i = process.argv.indexOf('--outDir')
const outDir = i > 0 ? process.argv[i + 1] : undefined
const mainDir = path.resolve(outDir ?? 'out', 'main')
// What `electron-vite build` sets before it builds.
process.env.NODE_ENV_ELECTRON_VITE = 'production'
const { config } = await resolveConfig({ logLevel: 'warn', build: { outDir } }, 'build', 'production')
if (!config.main) throw new Error('electron.vite.config.ts has no main build')

// Not emptied first: a process started from the previous build (a gateway, a
// web host) may still import its chunks, which have other names than the new ones.
const result = await build({ ...config.main, build: { ...config.main.build, emptyOutDir: false } })
const written = new Set((Array.isArray(result) ? result : [result]).flatMap((r) => r.output.map((o) => o.fileName)))
// Chunks of earlier builds go once nothing started an hour ago can still need them.
const hourAgo = Date.now() - 3_600_000
for (const name of readdirSync(mainDir)) {
  const file = path.join(mainDir, name)
  if (!written.has(name) && statSync(file).isFile() && statSync(file).mtimeMs < hourAgo) rmSync(file)
}
