// A child process a bench starts (the fake Cerebras server, a gateway) and the first URL it prints.
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** What a local server the benches start (`wafer gateway run`, the bare proxy) prints once it listens; group 1 is its address. */
export const LISTENING_ON = /listening on (http:\/\/127\.0\.0\.1:\d+)/i

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

/**
 * Starts `wafer gateway run` as a user starts it (bin/wafer.mjs, the built CLI) with a policy file and an audit log,
 * and resolves with its address (no /v1) once it listens. `env` carries the targets' secrets.
 */
export function startGatewayCli(opts: {
  policyConfig: string
  auditDb: string
  maxConcurrency: number
  extraArgs?: string[]
  env?: NodeJS.ProcessEnv
}): Promise<{ url: string; child: ChildProcess }> {
  return startChild(
    [
      path.join(root, 'bin/wafer.mjs'),
      'gateway',
      'run',
      '--listen',
      '127.0.0.1:0',
      '--policy-config',
      opts.policyConfig,
      '--audit-db',
      opts.auditDb,
      '--max-concurrency',
      String(opts.maxConcurrency),
      ...(opts.extraArgs ?? []),
    ],
    LISTENING_ON,
    opts.env,
  )
}
