#!/usr/bin/env node
// The `wafer` command: the command line built to plain JavaScript by
// `npm run build` (out/main/cli.js, see electron.vite.config.ts), run by Node
// itself. In a source checkout it is rebuilt first when missing or older than
// the sources.
import { existsSync } from 'node:fs'
import module from 'node:module'

import { ensureBuilt, root } from '../scripts/ensure-built.mjs'

// Node's on-disk compile cache: later runs skip compiling the built CLI (about 10 ms of `wafer --version`).
module.enableCompileCache?.()

const cli = new URL('../out/main/cli.js', import.meta.url)
try {
  ensureBuilt('main', 'the command line')
} catch (err) {
  process.stderr.write(`wafer: ${err.message}\n`)
  process.exit(1)
}
if (!existsSync(cli)) {
  process.stderr.write(`wafer: the command line is not built (${cli.pathname}); run npm run build in ${root}\n`)
  process.exit(1)
}
const { runAsProcess } = await import(cli.href)
await runAsProcess(process.argv.slice(2))
