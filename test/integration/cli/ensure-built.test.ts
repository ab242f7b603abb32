import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { isStale } from '@scripts/ensure-built.mjs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

// scripts/ensure-built.mjs, which bin/wafer.mjs and npm run web use to
// rebuild out/ when the sources are newer, on a checkout of its own in a
// temporary directory, with a stand-in build script that records each run.

const helper = fileURLToPath(new URL('../../../scripts/ensure-built.mjs', import.meta.url))
const T0 = new Date('2024-01-01T00:00:00Z')
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000)

let checkout: string
function put(rel: string, text: string, time = T0): void {
  const file = path.join(checkout, rel)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
  utimesSync(file, time, time)
}
function setTime(rel: string, time: Date): void {
  utimesSync(path.join(checkout, rel), time, time)
}

beforeEach(() => {
  checkout = mkdtempSync(path.join(os.tmpdir(), 'wafer-ensure-built-'))
  put('electron/cli/main.ts', 'export {}')
  put('shared/x.ts', 'export {}')
  put('package.json', '{}')
  put('electron.vite.config.ts', 'export default {}')
  for (const d of ['electron/cli', 'electron', 'shared']) setTime(d, T0)
})
afterEach(() => rmSync(checkout, { recursive: true, force: true }))

describe('isStale', () => {
  it('is stale without a build, fresh when the build is newer than every source, stale again after an edit', () => {
    expect(isStale('main', checkout)).toBe(true)
    put('out/main/cli.js', '', at(1))
    expect(isStale('main', checkout)).toBe(true) // web-host.js is missing
    put('out/main/web-host.js', '', at(1))
    expect(isStale('main', checkout)).toBe(false)
    setTime('shared/x.ts', at(2))
    expect(isStale('main', checkout)).toBe(true)
    setTime('shared/x.ts', T0)
    setTime('electron.vite.config.ts', at(2))
    expect(isStale('main', checkout)).toBe(true)
  })

  it('counts a deleted source (its folder changes) and ignores a checkout without sources', () => {
    put('out/main/cli.js', '', at(1))
    put('out/main/web-host.js', '', at(1))
    expect(isStale('main', checkout)).toBe(false)
    unlinkSync(path.join(checkout, 'electron/cli/main.ts'))
    expect(isStale('main', checkout)).toBe(true)

    rmSync(path.join(checkout, 'electron'), { recursive: true })
    rmSync(path.join(checkout, 'out'), { recursive: true })
    // An installed copy has only out/: nothing to rebuild from.
    expect(isStale('main', checkout)).toBe(false)
  })
})

describe('ensureBuilt', () => {
  /** A stand-in for scripts/build-main.mjs: records the run, takes a while, writes the outputs (or fails). */
  function standInBuild(fail = false): void {
    put(
      'scripts/build-main.mjs',
      `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
appendFileSync('builds.log', process.pid + '\\n')
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300)
${fail ? "console.error('stand-in build failed'); process.exit(3)" : "mkdirSync('out/main', { recursive: true }); writeFileSync('out/main/cli.js', ''); writeFileSync('out/main/web-host.js', '')"}
`,
    )
  }
  const run = () =>
    spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { ensureBuilt } from ${JSON.stringify(helper)}; ensureBuilt('main', 'the command line', ${JSON.stringify(checkout)})`,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
  const finished = (child: ReturnType<typeof run>) =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      let err = ''
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
      child.on('exit', (code) => resolve({ code, err }))
    })
  const builds = () => (existsSync(path.join(checkout, 'builds.log')) ? readFileSync(path.join(checkout, 'builds.log'), 'utf8').trim().split('\n') : [])

  it('builds once for callers that start together, saying so once; the others wait for it', async () => {
    standInBuild()
    const results = await Promise.all([run(), run(), run()].map(finished))
    expect(results.map((r) => r.code)).toEqual([0, 0, 0])
    expect(builds()).toHaveLength(1)
    expect(results.filter((r) => r.err === 'Building the command line…\n')).toHaveLength(1)
    expect(results.filter((r) => r.err === '')).toHaveLength(2)
    expect(isStale('main', checkout)).toBe(false)
    expect(existsSync(path.join(checkout, 'out/.main.build-lock'))).toBe(false)

    // Fresh: nothing to do.
    expect(await finished(run())).toEqual({ code: 0, err: '' })
    expect(builds()).toHaveLength(1)
  })

  it('takes over the lock of a builder that died, and reports a failed build', async () => {
    standInBuild(true)
    const dead = spawnSync(process.execPath, ['-e', '0']).pid
    put('out/.main.build-lock/pid', String(dead))
    const r = await finished(run())
    expect(builds()).toHaveLength(1)
    expect(r.code).not.toBe(0)
    expect(r.err).toMatch(/stand-in build failed/)
    expect(r.err).toMatch(/Building the command line failed \(exit 3\)/)
    expect(existsSync(path.join(checkout, 'out/.main.build-lock'))).toBe(false)
  })
})
