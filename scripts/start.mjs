// npm start: make sure the Electron binary is there (downloading it through
// Electron's own installer when it is not), then run electron-vite's dev mode.
// Without a binary it says what failed and what to do instead, with no stack trace.
import { spawn } from 'node:child_process'
import path from 'node:path'

import { ensureElectron } from './electron-binary.mjs'
import { nodeVersionProblem } from './node-version.mjs'

const root = process.cwd()
const versionProblem = nodeVersionProblem(path.join(root, 'package.json'))
if (versionProblem) {
  process.stderr.write(versionProblem)
  process.exit(1)
}

const electron = await ensureElectron(root)
if (!electron.ok) {
  process.stderr.write(electron.message)
  process.exit(1)
}

// electron-vite reads ELECTRON_EXEC_PATH before it looks for path.txt.
const child = spawn(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'dev', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: electron.executable },
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
