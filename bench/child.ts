// A child process a bench starts (the fake Cerebras server, a gateway) and the first URL it prints.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Starts `node ARGS` in the repository root and resolves with the first match of `urlPattern` in its output. */
export async function startChild(args: string[], urlPattern: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = urlPattern.exec(out)
      if (m) resolve(m[1])
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (c) => reject(new Error(`${args.join(' ')} exited ${c}: ${out}`)))
  })
  return { url, child }
}
