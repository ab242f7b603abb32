import { join } from 'node:path'

import type { AuditStore } from '@main/services/audit/audit-store'
import { openAuditStore, type OpenStoreOptions } from '@main/services/audit/open-store'
import postgres from 'postgres'
import { test } from 'vitest'

import { rawAll, rawExec, tamper, tempDir } from './audit-helpers'
import { POSTGRES } from './postgres'
import { pgTest } from './postgres-test'

/*
 * The audit store's contract tests run on both stores: a `place` is where
 * one log lives (a temp folder's audit.db, or a fresh PostgreSQL database),
 * with what a test needs to look under the store (SQL as code would run it,
 * SQL as an attacker with the database would).
 */

export interface LogPlace {
  backend: 'sqlite' | 'postgres'
  /** What --audit-db would say. */
  db: string
  keyFile: string
  /** Opens the log here (stores opened are closed when the test ends). */
  open(opts?: OpenStoreOptions): Promise<AuditStore>
  /** SQL as code would run it: guard rails in force. */
  exec(sql: string): Promise<void>
  all(sql: string): Promise<Record<string, unknown>[]>
  /** SQL as someone holding the database runs it: guard-rail triggers out of the way. */
  tamper(sql: string): Promise<void>
  /** Puts a table of something else here, so this is not an empty database. */
  makeForeign(): Promise<void>
}

/** Opens stores and remembers them, to close them all when the test ends. */
function tracked(open: (opts: OpenStoreOptions) => Promise<AuditStore>) {
  const opened: AuditStore[] = []
  return {
    open: async (opts: OpenStoreOptions = {}) => {
      const s = await open(opts)
      opened.push(s)
      return s
    },
    closeAll: async () => {
      for (const s of opened.splice(0)) await s.close().catch(() => {})
    },
  }
}

const sqlitePlaceTest = test.extend('place', async ({}, { onCleanup }): Promise<LogPlace> => {
  const { dir, cleanup } = tempDir()
  const db = join(dir, 'audit.db')
  const { open, closeAll } = tracked((opts) => openAuditStore(db, opts))
  onCleanup(async () => {
    await closeAll()
    cleanup()
  })
  return {
    backend: 'sqlite',
    db,
    keyFile: `${db}.key`,
    open,
    exec: async (sql) => rawExec(db, sql),
    all: async (sql) => rawAll(db, sql),
    tamper: async (sql) => tamper(db, sql),
    makeForeign: async () => rawExec(db, 'CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (1)'),
  }
})

const pgPlaceTest = pgTest.extend('place', async ({ pg }, { onCleanup }): Promise<LogPlace> => {
  const { dir, cleanup } = tempDir()
  const db = await pg.createDatabase()
  const keyFile = join(dir, 'audit.key')
  const { open, closeAll } = tracked((opts) => openAuditStore(db, { keyFile, ...opts }))
  const admin = postgres(db, { max: 1, onnotice: () => {}, types: { int8: { to: 20, from: [20], serialize: String, parse: Number } } })
  onCleanup(async () => {
    await closeAll()
    await admin.end({ timeout: 1 })
    cleanup()
  })
  return {
    backend: 'postgres',
    db,
    keyFile,
    open,
    exec: async (sql) => {
      await admin.unsafe(sql)
    },
    all: async (sql) => [...(await admin.unsafe<Record<string, unknown>[]>(sql))],
    // A superuser sets the triggers aside for the session: what the database's holder can always do.
    tamper: async (sql) => {
      await admin.begin(async (tx) => {
        await tx.unsafe('SET LOCAL session_replication_role = replica')
        await tx.unsafe(sql)
      })
    },
    makeForeign: async () => {
      await admin.unsafe('CREATE TABLE notes (t text); INSERT INTO notes VALUES (1)')
    },
  }
})

export const BACKENDS = ['sqlite', 'postgres'] as const

/** `it` with a fresh `place` for a log on `backend`; PostgreSQL tests are skipped only where it is not installed (never under CI). */
export function placeTest(backend: (typeof BACKENDS)[number]): typeof sqlitePlaceTest {
  // The PostgreSQL test also has the file's cluster (`pg`); contract tests use only `place`.
  return backend === 'sqlite' ? sqlitePlaceTest : (pgPlaceTest as unknown as typeof sqlitePlaceTest)
}

export const backendAvailable = (backend: (typeof BACKENDS)[number]): boolean => backend === 'sqlite' || POSTGRES
