// npm run web: build the renderer when its sources are newer than the build,
// then serve it with the main-process services on loopback.
import { spawnSync, spawn } from 'node:child_process'
import { readdirSync, statSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const built = path.join(root, 'out', 'renderer', 'index.html')

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p))
    else newest = Math.max(newest, statSync(p).mtimeMs)
  }
  return newest
}

const sourcesMtime = Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'shared')))
if (!existsSync(built) || statSync(built).mtimeMs < sourcesMtime) {
  console.error('Building the renderer…')
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Always the production bundle, whatever NODE_ENV the caller has (vitest sets "test").
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron', 'web', 'cli.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
