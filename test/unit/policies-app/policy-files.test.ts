import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { promises as fsp } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { PolicyFileService, type PolicyFs } from '@main/services/policies/policy-files'
import { WaferError } from '@shared/ipc/errors'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

let dir: string
let home: string
let files: PolicyFileService

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-policy-files-'))
  home = path.join(dir, 'home')
  mkdirSync(home)
  files = new PolicyFileService({ homeDir: home })
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function failure(p: Promise<unknown>): Promise<WaferError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(WaferError)
  return err as WaferError
}

const failingFs = (op: keyof PolicyFs, code: string): PolicyFs => {
  const real = fsp as unknown as PolicyFs
  return {
    ...real,
    stat: real.stat,
    realpath: real.realpath,
    readFile: real.readFile,
    writeFile: real.writeFile,
    rename: real.rename,
    unlink: real.unlink,
    [op]: async () => {
      throw Object.assign(new Error(`${code}: simulated`), { code })
    },
  }
}

describe('policy file paths', () => {
  it('takes absolute paths and ~/ paths, and says what is wrong with others', async () => {
    expect(files.resolve(' /tmp/x/../gateway.yaml ')).toBe('/tmp/gateway.yaml')
    expect(files.resolve('~/p/gw.YML')).toBe(path.join(home, 'p/gw.YML'))
    expect((await failure(files.read('policy.yaml'))).message).toMatch(/"policy\.yaml" is not an absolute path/)
    const notYaml = await failure(files.read('/etc/passwd'))
    expect(notYaml.code).toBe('bad_request')
    expect(notYaml.message).toMatch(/not a \.yaml or \.yml file/)
    expect((await failure(files.read('   '))).message).toMatch(/Give the path/)
  })
})

describe('reading policy files', () => {
  it('returns the text exactly, even when the YAML is invalid (the editor shows the errors)', async () => {
    const p = path.join(dir, 'broken.yaml')
    const text = 'pack:\n  name: [unclosed\n# a comment the user wrote\n'
    writeFileSync(p, text)
    const read = await files.read(p)
    expect(read).toMatchObject({ path: p, text, bytes: Buffer.byteLength(text) })
    expect(read.mtimeMs).toBe(statSync(p).mtimeMs)
  })

  it('drops a UTF-8 byte-order mark', async () => {
    const p = path.join(dir, 'bom.yaml')
    writeFileSync(p, '\uFEFFpack: {}\n')
    expect((await files.read(p)).text).toBe('pack: {}\n')
  })

  it('gives clear errors for missing files, folders, huge files, binary files and unreadable files', async () => {
    const missing = await failure(files.read(path.join(dir, 'nope.yaml')))
    expect(missing.code).toBe('not_found')
    expect(missing.message).toBe(`No file at ${path.join(dir, 'nope.yaml')}.`)

    mkdirSync(path.join(dir, 'folder.yaml'))
    expect((await failure(files.read(path.join(dir, 'folder.yaml')))).message).toMatch(/is a folder, not a file/)

    const big = path.join(dir, 'big.yaml')
    writeFileSync(big, 'x'.repeat(1_000_001))
    expect((await failure(files.read(big))).message).toMatch(/at most 1\.0 MB/)

    const bin = path.join(dir, 'bin.yaml')
    writeFileSync(bin, Buffer.from([0x70, 0x61, 0xff, 0xfe, 0x00]))
    expect((await failure(files.read(bin))).message).toMatch(/not UTF-8 text/)

    const p = path.join(dir, 'locked.yaml')
    writeFileSync(p, 'pack: {}\n')
    const locked = new PolicyFileService({ homeDir: home, fs: failingFs('readFile', 'EACCES') })
    const denied = await failure(locked.read(p))
    expect(denied.code).toBe('storage')
    expect(denied.message).toBe(`Permission denied: cannot read ${p}.`)
    // And for real, where the test does not run as root.
    if (process.getuid?.() !== 0) {
      chmodSync(p, 0o000)
      expect((await failure(files.read(p))).message).toMatch(/Permission denied/)
    }
  })
})

describe('writing policy files', () => {
  it('writes a new file and reports its mtime; save-as onto an existing file asks first', async () => {
    const p = path.join(dir, 'new.yaml')
    const w = await files.write({ path: p, text: 'a: 1\n' })
    expect(readFileSync(p, 'utf8')).toBe('a: 1\n')
    expect(w).toMatchObject({ path: p, bytes: 5, mtimeMs: statSync(p).mtimeMs })

    const exists = await failure(files.write({ path: p, text: 'a: 2\n' }))
    expect(exists.code).toBe('conflict')
    expect(exists.details).toMatchObject({ reason: 'exists' })
    expect(readFileSync(p, 'utf8')).toBe('a: 1\n')
    await files.write({ path: p, text: 'a: 2\n', overwrite: true })
    expect(readFileSync(p, 'utf8')).toBe('a: 2\n')
  })

  it('refuses to save over a file changed on disk since it was opened, and leaves it alone', async () => {
    const p = path.join(dir, 'shared.yaml')
    writeFileSync(p, 'v: 1\n')
    const opened = await files.read(p)
    writeFileSync(p, 'v: someone else\n')
    // Someone else's save, a few seconds later (set, so the test never depends on the clock's resolution).
    utimesSync(p, new Date(), new Date(opened.mtimeMs + 5_000))
    const err = await failure(files.write({ path: p, text: 'v: mine\n', expectedMtimeMs: opened.mtimeMs }))
    expect(err.code).toBe('conflict')
    expect(err.details).toMatchObject({ reason: 'changed' })
    expect(err.message).toMatch(/changed on disk since you opened it\. Nothing was written/)
    expect(readFileSync(p, 'utf8')).toBe('v: someone else\n')
    // Saving with the mtime it has now works.
    const now = await files.read(p)
    await files.write({ path: p, text: 'v: mine\n', expectedMtimeMs: now.mtimeMs })
    expect(readFileSync(p, 'utf8')).toBe('v: mine\n')
  })

  it('leaves the target untouched and no temporary file behind when the write fails', async () => {
    const p = path.join(dir, 'keep.yaml')
    writeFileSync(p, 'original: true\n')
    const { mtimeMs } = statSync(p)
    const broken = new PolicyFileService({ homeDir: home, fs: failingFs('rename', 'ENOSPC') })
    const err = await failure(broken.write({ path: p, text: 'new: true\n', expectedMtimeMs: mtimeMs }))
    expect(err.message).toBe(`The disk is full: cannot write ${p}. Nothing was written.`)
    expect(readFileSync(p, 'utf8')).toBe('original: true\n')
    expect(readdirSync(dir).filter((f) => f.includes('wafer-tmp'))).toEqual([])
  })

  it('says when the folder does not exist', async () => {
    const err = await failure(files.write({ path: path.join(dir, 'no/such/dir/p.yaml'), text: 'x: 1\n' }))
    expect(err.code).toBe('not_found')
    expect(err.message).toBe(`The folder ${path.join(dir, 'no/such/dir')} does not exist. Nothing was written.`)
  })

  it('keeps a symlinked policy a symlink, and keeps the file mode', async () => {
    const real = path.join(dir, 'real.yaml')
    writeFileSync(real, 'x: 1\n')
    chmodSync(real, 0o600)
    const link = path.join(dir, 'link.yaml')
    symlinkSync(real, link)
    const opened = await files.read(link)
    await files.write({ path: link, text: 'x: 2\n', expectedMtimeMs: opened.mtimeMs })
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(real, 'utf8')).toBe('x: 2\n')
    expect(statSync(real).mode & 0o777).toBe(0o600)
  })

  it('refuses text over 1 MB and writes nothing', async () => {
    const p = path.join(dir, 'huge.yaml')
    const err = await failure(files.write({ path: p, text: 'y'.repeat(1_000_001) }))
    expect(err.message).toMatch(/Nothing was written/)
    expect(() => statSync(p)).toThrow()
  })
})
