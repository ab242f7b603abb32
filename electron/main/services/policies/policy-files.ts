import { randomBytes } from 'node:crypto'
import { promises as nodeFs } from 'node:fs'
import path from 'node:path'

import { MAX_POLICY_FILE_BYTES, type PolicyFile, type PolicyWriteArgs, type PolicyWriteResult } from '@shared/ipc/domains/policies'
import { WaferError } from '@shared/ipc/errors'

/**
 * Reads and writes policy-config.yaml files for the Policies screen (the
 * renderer has no file access). Only .yaml/.yml files of at most 1 MB, so
 * this channel cannot be used to read arbitrary files. Writes are atomic
 * (a temporary file renamed over the target), refuse to replace a file that
 * changed on disk since the editor read it, and never touch the target when
 * anything fails: the editor keeps the text either way.
 */

export interface PolicyStat {
  isFile(): boolean
  isDirectory(): boolean
  size: number
  mtimeMs: number
  mode: number
}

/** The file operations used, so tests can make them fail. */
export interface PolicyFs {
  stat(p: string): Promise<PolicyStat>
  realpath(p: string): Promise<string>
  readFile(p: string): Promise<Uint8Array>
  writeFile(p: string, data: string, opts: { flag: string; mode?: number }): Promise<void>
  rename(from: string, to: string): Promise<void>
  unlink(p: string): Promise<void>
}

export interface PolicyFileDeps {
  /** For `~/…` paths; without one, such paths are refused with a clear message. */
  homeDir?: string
  fs?: PolicyFs
}

const EXTENSIONS = ['.yaml', '.yml']

export class PolicyFileService {
  private readonly fs: PolicyFs

  constructor(private readonly deps: PolicyFileDeps) {
    this.fs = deps.fs ?? (nodeFs as unknown as PolicyFs)
  }

  /** An absolute, normalised path, or a bad_request saying what is wrong with the input. */
  resolve(input: string): string {
    const raw = input.trim()
    if (!raw) throw new WaferError('bad_request', 'Give the path of a policy file, e.g. ~/policies/gateway.yaml.')
    if (raw.includes('\0')) throw new WaferError('bad_request', 'The path contains a NUL character.')
    let p = raw
    if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
      if (!this.deps.homeDir)
        throw new WaferError('bad_request', `"${raw}" starts with ~, but no home directory is set (HOME). Give the full path.`, { field: 'path' })
      p = path.join(this.deps.homeDir, p.slice(1))
    }
    if (!path.isAbsolute(p)) {
      throw new WaferError('bad_request', `"${raw}" is not an absolute path. Give the full path (e.g. /home/you/policy.yaml) or start it with ~/.`, {
        field: 'path',
      })
    }
    p = path.normalize(p)
    if (!EXTENSIONS.includes(path.extname(p).toLowerCase())) {
      throw new WaferError('bad_request', `${p} is not a .yaml or .yml file. Policy files are YAML; give a path ending in .yaml.`, { field: 'path' })
    }
    return p
  }

  async read(input: string): Promise<PolicyFile> {
    const p = this.resolve(input)
    let st: PolicyStat
    try {
      st = await this.fs.stat(p)
    } catch (err) {
      throw fileError(err, 'read', p)
    }
    if (st.isDirectory()) throw new WaferError('bad_request', `${p} is a folder, not a file.`)
    if (!st.isFile()) throw new WaferError('bad_request', `${p} is not a regular file.`)
    if (st.size > MAX_POLICY_FILE_BYTES) {
      throw new WaferError(
        'bad_request',
        `${p} is ${formatBytes(st.size)}; policy files are at most ${formatBytes(MAX_POLICY_FILE_BYTES)}, so this is not one.`,
      )
    }
    let bytes: Uint8Array
    try {
      bytes = await this.fs.readFile(p)
    } catch (err) {
      throw fileError(err, 'read', p)
    }
    if (bytes.byteLength > MAX_POLICY_FILE_BYTES) {
      throw new WaferError('bad_request', `${p} grew past ${formatBytes(MAX_POLICY_FILE_BYTES)} while being read; policy files are smaller.`)
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      throw new WaferError('bad_request', `${p} is not UTF-8 text, so it cannot be a policy file.`)
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    return { path: p, text, mtimeMs: st.mtimeMs, bytes: bytes.byteLength }
  }

  /** Size and time of a file, or null when it is gone (for the active policy's cache). */
  async stat(p: string): Promise<{ mtimeMs: number; bytes: number } | null> {
    try {
      const st = await this.fs.stat(p)
      return st.isFile() ? { mtimeMs: st.mtimeMs, bytes: st.size } : null
    } catch {
      return null
    }
  }

  async write(args: PolicyWriteArgs): Promise<PolicyWriteResult> {
    const requested = this.resolve(args.path)
    const bytes = Buffer.byteLength(args.text, 'utf8')
    if (bytes > MAX_POLICY_FILE_BYTES) {
      throw new WaferError('bad_request', `The policy is ${formatBytes(bytes)}; files are at most ${formatBytes(MAX_POLICY_FILE_BYTES)}. Nothing was written.`)
    }
    // Write next to the real file, so a symlink to it stays a symlink.
    let target = requested
    let existing: PolicyStat | null = null
    try {
      target = await this.fs.realpath(requested)
      existing = await this.fs.stat(target)
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw fileError(err, 'write', requested)
    }
    if (existing) {
      if (existing.isDirectory()) throw new WaferError('bad_request', `${requested} is a folder, not a file. Nothing was written.`)
      if (!existing.isFile()) throw new WaferError('bad_request', `${requested} is not a regular file. Nothing was written.`)
      if (!args.overwrite) {
        if (args.expectedMtimeMs === undefined) {
          throw new WaferError('conflict', `${requested} already exists. Replace it?`, { reason: 'exists', path: requested })
        }
        if (Math.abs(existing.mtimeMs - args.expectedMtimeMs) > 1) {
          throw new WaferError(
            'conflict',
            `${requested} was changed on disk since you opened it. Nothing was written; overwrite it, or open it again to see the other changes.`,
            {
              reason: 'changed',
              path: requested,
              mtimeMs: existing.mtimeMs,
            },
          )
        }
      }
    }
    const dir = path.dirname(target)
    const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.wafer-tmp`)
    try {
      await this.fs.writeFile(temp, args.text, { flag: 'wx', mode: existing ? existing.mode & 0o777 : 0o644 })
    } catch (err) {
      throw fileError(err, 'write', requested, errnoOf(err) === 'ENOENT' ? `The folder ${dir} does not exist.` : undefined)
    }
    try {
      await this.fs.rename(temp, target)
    } catch (err) {
      await this.fs.unlink(temp).catch(() => undefined)
      throw fileError(err, 'write', requested)
    }
    const after = await this.fs.stat(target).catch(() => null)
    return { path: requested, mtimeMs: after?.mtimeMs ?? Date.now(), bytes }
  }
}

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined
}

/** A filesystem failure as a message a person can act on. */
function fileError(err: unknown, verb: 'read' | 'write', p: string, override?: string): WaferError {
  const code = errnoOf(err)
  const nothing = verb === 'write' ? ' Nothing was written.' : ''
  const detail = { errno: code ?? null, path: p }
  if (override) return new WaferError(code === 'ENOENT' ? 'not_found' : 'storage', `${override}${nothing}`, detail)
  switch (code) {
    case 'ENOENT':
      return new WaferError('not_found', `No file at ${p}.`, detail)
    case 'ENOTDIR':
      return new WaferError('not_found', `Part of ${p} is not a folder.${nothing}`, detail)
    case 'EACCES':
    case 'EPERM':
      return new WaferError('storage', `Permission denied: cannot ${verb} ${p}.${nothing}`, detail)
    case 'EISDIR':
      return new WaferError('bad_request', `${p} is a folder, not a file.${nothing}`, detail)
    case 'EROFS':
      return new WaferError('storage', `${p} is on a read-only file system.${nothing}`, detail)
    case 'ENOSPC':
    case 'EDQUOT':
      return new WaferError('storage', `The disk is full: cannot ${verb} ${p}.${nothing}`, detail)
    case 'ENAMETOOLONG':
      return new WaferError('bad_request', `The path is too long: ${p.slice(0, 80)}…`, detail)
    default: {
      const why = err instanceof Error ? err.message : String(err)
      return new WaferError('storage', `Cannot ${verb} ${p}: ${why}.${nothing}`, detail)
    }
  }
}

function formatBytes(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : n >= 1000 ? `${(n / 1000).toFixed(1)} kB` : `${n} bytes`
}
