import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { CHROMIUM_PATH } from '../support/browser'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Build the renderer once for every e2e file, and fail early without Chromium. */
export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`End-to-end tests need Debian's Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium; .ci/run does this).`)
  }
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // vitest sets NODE_ENV=test, which would make Vite build React's development bundle.
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (r.status !== 0) throw new Error('The renderer build failed')
}
