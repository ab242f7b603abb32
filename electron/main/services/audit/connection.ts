import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

import { WaferError } from '@shared/ipc/errors'
import Database from 'libsql'

import { createPrivateFileSync, makeDatabaseFilesPrivate } from '../../storage/private-files'
import { notAnAuditLog } from './schema'

export type Db = Database.Database

export const AUDIT_DB_NAME = 'audit.db'

/** How the log's file is opened, for the writer's connection and each read snapshot's. */
export interface ConnectOptions {
  file: string
  durability: 'full' | 'normal'
  busyTimeoutMs: number
}

/** The log's file from `file`, or `dir/audit.db`. */
export function resolveFile(opts: { file?: string; dir?: string }): string {
  if (opts.file) return resolve(opts.file)
  if (opts.dir) return resolve(opts.dir, AUDIT_DB_NAME)
  throw new WaferError('bad_request', 'The audit log needs a file or a dir')
}

export function connect({ file, durability, busyTimeoutMs }: ConnectOptions): Db {
  // The log and its WAL/SHM are this user's only (SQLite gives them the file's mode).
  createPrivateFileSync(file)
  const db = new Database(file)
  makeDatabaseFilesPrivate(file)
  // Another process (the CLI beside the gateway) may hold the write lock
  // briefly. Kept short: libsql is synchronous, so this wait blocks the event loop.
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`)
  db.exec(`PRAGMA synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`)
  return db
}

export const storageError = (what: string, err: unknown): WaferError =>
  err instanceof WaferError ? err : new WaferError('storage', `${what}: ${err instanceof Error ? err.message : String(err)}`)

/** Runs fn on a separate connection inside one read transaction: a stable snapshot that never blocks the writer. */
export async function withSnapshot<T>(conn: ConnectOptions, fn: (db: Db) => Promise<T>): Promise<T> {
  let db: Db
  try {
    db = connect(conn)
    db.exec('BEGIN')
  } catch (err) {
    throw storageError('Reading the audit log failed', err)
  }
  try {
    return await fn(db)
  } finally {
    try {
      db.exec('COMMIT')
    } catch {
      // a read transaction has nothing to lose
    }
    db.close()
  }
}

/** The writer's connection to the log's file: created (with its folder) when missing and allowed, refused with a clear error otherwise. */
export function openLogFile(conn: ConnectOptions, create: boolean): Db {
  const { file } = conn
  if (!existsSync(file)) {
    if (!create) throw new WaferError('not_found', `No audit log at ${file}`, { reason: 'missing', file })
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  } else if (statSync(file).isDirectory()) {
    throw new WaferError('bad_request', `${file} is a directory; pass the audit log file or use dir`, { file })
  }
  try {
    return connect(conn)
  } catch (err) {
    if (/not a database|malformed/i.test(err instanceof Error ? err.message : '')) throw notAnAuditLog(file, (err as Error).message)
    throw storageError(`Cannot open the audit log ${file}`, err)
  }
}
