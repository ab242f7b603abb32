import { WaferError } from '@shared/ipc/errors'
import Database from 'libsql'

import { createPrivateFileSync, makeDatabaseFilesPrivate } from './private-files'

/** A numbered schema change. Each runs in its own transaction. */
export interface Migration {
  version: number
  name: string
  up: (db: Database.Database) => void
}

export interface OpenedDatabase {
  db: Database.Database
  /** The schema version after migrating. */
  version: number
  /** Versions applied by this open (empty when already current). */
  applied: number[]
  close(): void
}

/**
 * Open (creating if needed) the app's SQLite database and bring its schema up
 * to date. Migrations are numbered; each runs in a transaction together with
 * the row that records it, so a failed migration leaves the previous version.
 */
export function openDatabase(file: string, migrations: readonly Migration[]): OpenedDatabase {
  const sorted = [...migrations].sort((a, b) => a.version - b.version)
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1..n without gaps (found ${m.version} at ${i + 1})`)
  })

  let db: Database.Database
  try {
    // 0600 before SQLite opens it: its WAL and SHM files take the database file's mode.
    if (onDisk(file)) createPrivateFileSync(file)
    db = new Database(file)
    db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 3000;')
    if (onDisk(file)) makeDatabaseFilesPrivate(file)
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`)
  } catch (err) {
    throw new WaferError('storage', `Cannot open ${file} as a database: ${describe(err)}`, { file })
  }

  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0
  const latest = sorted.length
  if (current > latest) {
    db.close()
    throw new WaferError('storage', `${file} has schema version ${current}, newer than this app knows (${latest}). Update Wafer Console.`, { file })
  }

  const applied: number[] = []
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  for (const m of sorted.slice(current)) {
    const run = db.transaction(() => {
      m.up(db)
      record.run(m.version, m.name, new Date().toISOString())
    })
    try {
      run()
    } catch (err) {
      db.close()
      throw new WaferError('storage', `Migration ${m.version} (${m.name}) failed: ${describe(err)}`, { file })
    }
    applied.push(m.version)
  }

  return {
    db,
    version: latest,
    applied,
    close: () => db.close(),
  }
}

const onDisk = (file: string) => file !== '' && file !== ':memory:' && !file.startsWith('file:')

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return /not a database|file is encrypted/i.test(msg) ? 'the file is not a SQLite database' : msg
}
