import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, watch, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { type WatchFn, watchPolicyFiles } from '../../../electron/main/services/gateway/policy-watch'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-policy-watch-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Watches `files`; `next()` resolves at the next reported change (take it before making the change). */
function watching(files: string[], watchFn?: WatchFn) {
  const waiters: Array<() => void> = []
  const errors: string[] = []
  let changes = 0
  const w = watchPolicyFiles(
    files,
    () => {
      changes++
      for (const resolve of waiters.splice(0)) resolve()
    },
    { debounceMs: 20, onError: (m) => errors.push(m), ...(watchFn ? { watch: watchFn } : {}) },
  )
  cleanups.unshift(() => w.close())
  return { next: () => new Promise<void>((resolve) => waiters.push(resolve)), changes: () => changes, errors }
}

/** Saves as editors and the app do: a new file renamed over the old one. */
function save(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text)
  renameSync(`${file}.tmp`, file)
}

describe('watchPolicyFiles', () => {
  it('sees every save that renames a new file over the policy file, not only the first', async () => {
    const file = path.join(tempDir(), 'policy-config.yaml')
    writeFileSync(file, 'v: 0\n')
    const w = watching([file])
    for (let i = 1; i <= 3; i++) {
      const seen = w.next()
      save(file, `v: ${i}\n`)
      await seen
    }
    expect(w.changes()).toBe(3)
    expect(w.errors).toEqual([])
  })

  it('sees the file rewritten in place', async () => {
    const file = path.join(tempDir(), 'policy-config.yaml')
    writeFileSync(file, 'v: 0\n')
    const w = watching([file])
    const seen = w.next()
    appendFileSync(file, 'w: 1\n')
    await seen
    expect(w.changes()).toBe(1)
  })

  it('sees the file come back after it was removed, and the saves after that', async () => {
    const file = path.join(tempDir(), 'policy-config.yaml')
    writeFileSync(file, 'v: 0\n')
    const w = watching([file])
    const removed = w.next()
    unlinkSync(file)
    await removed
    const back = w.next()
    writeFileSync(file, 'v: 1\n')
    await back
    const saved = w.next()
    save(file, 'v: 2\n')
    await saved
    expect(w.changes()).toBe(3)
  })

  it('sees a link switched to another file, as Kubernetes updates a mounted ConfigMap', async () => {
    // policy-config.yaml -> ..data/policy-config.yaml, ..data -> v1; an update writes v2, points ..data at it and removes v1.
    const dir = tempDir()
    mkdirSync(path.join(dir, 'v1'))
    writeFileSync(path.join(dir, 'v1', 'policy-config.yaml'), 'v: 1\n')
    symlinkSync('v1', path.join(dir, '..data'))
    symlinkSync(path.join('..data', 'policy-config.yaml'), path.join(dir, 'policy-config.yaml'))
    const w = watching([path.join(dir, 'policy-config.yaml')])

    for (const [from, to] of [
      ['v1', 'v2'],
      ['v2', 'v3'],
    ]) {
      const seen = w.next()
      mkdirSync(path.join(dir, to))
      writeFileSync(path.join(dir, to, 'policy-config.yaml'), `v: ${to}\n`)
      symlinkSync(to, path.join(dir, '..data.tmp'))
      renameSync(path.join(dir, '..data.tmp'), path.join(dir, '..data'))
      rmSync(path.join(dir, from), { recursive: true })
      await seen
    }
    expect(w.changes()).toBe(2)
  })

  it('is not told of writes to other files in its folder, such as an audit log kept beside the policy', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'policy-config.yaml')
    writeFileSync(file, 'v: 0\n')
    // What the system reports to this process, through node:fs's own watch.
    const reported: string[] = []
    const counting: WatchFn = (target, options, listener) =>
      watch(target, options, (event, name) => {
        reported.push(String(name))
        listener(event, name)
      })
    const w = watching([file], counting)

    for (let i = 0; i < 200; i++) appendFileSync(path.join(dir, 'audit.db-wal'), 'x'.repeat(100))
    // Events reach the process in order: once the save is seen, any for the log's writes would have come first.
    const seen = w.next()
    save(file, 'v: 1\n')
    await seen
    expect(reported).toContain('policy-config.yaml')
    expect(reported.filter((name) => name !== 'policy-config.yaml')).toEqual([])
    expect(w.changes()).toBe(1)
  })
})
