import { resolve } from 'node:path'
import Database from 'libsql'
import { WaferError } from '../../../../shared/ipc/errors'
import { createPrivateFileSync, makeDatabaseFilesPrivate } from '../../storage/private-files'

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
