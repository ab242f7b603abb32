import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, describe, expect, it } from 'vitest'

/*
 * `npm run web -- --demo`, the one command for trying the app without a
 * key: the web host starts with the demo endpoint already on, says so after
 * its URL line, and stops the demo server when it stops.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url))
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'wafer-web-demo-'))
let child: ChildProcess | undefined

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  rmSync(userDataDir, { recursive: true, force: true })
})

describe('npm run web -- --demo', () => {
  it('starts on the demo endpoint and closes it on exit', async () => {
    const env = { ...process.env }
    delete env.CEREBRAS_API_KEY
    delete env.CEREBRAS_BASE_URL
    child = spawn(process.execPath, ['scripts/run-web.mjs', '--port', '0', '--user-data', userDataDir, '--demo'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    const demoUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no demo line in time:\n${out}`)), 60_000)
      child!.stdout!.on('data', () => {
        const m = /Demo endpoint on \((http:\/\/127\.0\.0\.1:\d+\/v1)\)/.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
      child!.on('exit', (code) => reject(new Error(`npm run web exited with ${code}:\n${out}`)))
    })
    // The URL line still comes first, for the scripts and tests that read it.
    expect(out.split('\n').find((l) => l.startsWith('Wafer Console web host: http://127.0.0.1:'))).toBeDefined()
    expect(out.indexOf('Wafer Console web host:')).toBeLessThan(out.indexOf('Demo endpoint on'))
    // The demo server is up, and answers only the app (no key here: 403).
    expect((await fetch(`${demoUrl}/models`)).status).toBe(403)

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    await expect(fetch(`${demoUrl}/models`)).rejects.toThrow()
  })
})
