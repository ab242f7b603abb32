import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

export interface RunningWebHost {
  url: string
  origin: string
  token: string
  userDataDir: string
  output: () => string
  stop(): Promise<void>
}

/**
 * Start `npm run web` the way a user does, on a free port with a fresh
 * user-data directory (or `userDataDir`, a folder made for it, removed at
 * stop like a fresh one), and read the URL it prints.
 */
export async function startWebHost(env: NodeJS.ProcessEnv = {}, opts: { userDataDir?: string } = {}): Promise<RunningWebHost> {
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'wafer-e2e-'))
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
  if (!('CEREBRAS_API_KEY' in env)) delete childEnv.CEREBRAS_API_KEY
  if (!('CEREBRAS_BASE_URL' in env)) delete childEnv.CEREBRAS_BASE_URL
  const child: ChildProcess = spawn('npm', ['run', '--silent', 'web', '--', '--port', '0', '--user-data', userDataDir], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run web printed no URL in time:\n${out}`)), 60_000)
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`npm run web exited with ${code}:\n${out}`))
    })
  })
  const u = new URL(url)
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token')!,
    userDataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        try {
          process.kill(-child.pid!, 'SIGTERM')
        } catch {
          /* already gone */
        }
        await exited
      }
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
