// npm run web: build the web host and the renderer when their sources are
// newer than the build, then serve the renderer with the main-process
// services on loopback, from the built web host (out/main/web-host.js) under
// plain Node.
import path from 'node:path'
import { pathToFileURL } from 'node:url'

import { ensureBuilt, root } from './ensure-built.mjs'

try {
  ensureBuilt('main', 'the web host')
  ensureBuilt('renderer', 'the renderer')
} catch (err) {
  console.error(err.message)
  process.exit(1)
}
// The host reads its flags (--port, --user-data) from this process's argv.
await import(pathToFileURL(path.join(root, 'out', 'main', 'web-host.js')).href)
