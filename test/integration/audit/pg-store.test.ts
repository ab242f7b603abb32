import { createHmac, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import type { AuditStore } from '@main/services/audit/audit-store'
import { openAuditStore } from '@main/services/audit/open-store'
import postgres from 'postgres'
import { describe, expect } from 'vitest'

import { requestEntry, tempDir } from '../../support/audit-helpers'
import { PG_PASSWORD, POSTGRES, startPostgres } from '../../support/postgres'
import { pgTest as it } from '../../support/postgres-test'

/*
 * What only the PostgreSQL store does: many writers (a fleet of gateways)
 * on one log, serialised by the head row's lock; migrations; a database that
 * goes away and comes back. The behaviour both stores share is in
 * store-contract.test.ts.
 */

describe.skipIf(!POSTGRES)('PostgreSQL audit store', () => {
  it('three writers opening an empty database at once make one log, and their concurrent appends make one chain', async ({ pg }) => {
    const { dir, cleanup } = tempDir()
    const db = await pg.createDatabase()
    const keyFile = join(dir, 'fleet.key')
    const stores: AuditStore[] = []
    try {
      stores.push(...(await Promise.all([1, 2, 3].map((n) => openAuditStore(db, { keyFile, actor: `gw-${n}` })))))
      const ids = await Promise.all(stores.map(async (s) => (await s.info()).logId))
      expect(new Set(ids).size).toBe(1)
      // Each writer sends 10 bursts of 20 in its own ticks; commits interleave in the database.
      await Promise.all(
        stores.map(async (s, w) => {
          for (let burst = 0; burst < 10; burst++) {
            for (let i = 0; i < 20; i++) s.append(requestEntry(w * 1000 + burst * 20 + i))
            await s.flush()
          }
        }),
      )
      const v = await stores[0].verify()
      expect(v).toMatchObject({ ok: true, records: 600 })
      const ids2 = new Set((await stores[1].query({ limit: 1000 })).records.map((r) => r.requestId))
      expect(ids2.size).toBe(600)
      // The three writers interleaved: the chain is not three runs of 200.
      const order = (await stores[2].query({ limit: 1000 })).records.reverse().map((r) => Math.floor(Number(r.requestId!.slice(4)) / 1000))
      const switches = order.filter((w, i) => i > 0 && w !== order[i - 1]).length
      expect(switches).toBeGreaterThan(2)
      const migrations = postgres(db, { max: 1, onnotice: () => {} })
      try {
        expect((await migrations`SELECT version FROM audit_migrations ORDER BY version`).map((r) => r.version)).toEqual([1, 2])
      } finally {
        await migrations.end()
      }
    } finally {
      for (const s of stores) await s.close()
      cleanup()
    }
  })

  it('takes a key file the operator made beforehand (as for a fleet on several machines): the log is created with it, and it checks the MACs', async ({
    pg,
  }) => {
    const { dir, cleanup } = tempDir()
    const db = await pg.createDatabase()
    const keyFile = join(dir, 'provisioned.key')
    const key = randomBytes(32).toString('hex')
    // What docs/deploy.md tells operators to run: 64 hex digits and the format-2 mark, readable by the service only.
    writeFileSync(keyFile, `${key}\nchain: v2\n`, { mode: 0o600 })
    try {
      const log = await openAuditStore(db, { keyFile })
      log.append({ ...requestEntry(1), findings: [{ policy: 'pii-detector', entity: 'US_SSN', start: 0, end: 11, text: '078-05-1120' }] })
      const [rec] = await log.flush()
      expect(rec.findings[0].hash).toBe(createHmac('sha256', Buffer.from(key, 'hex')).update('078-05-1120').digest('hex'))
      expect(readFileSync(keyFile, 'utf8')).toBe(`${key}\nchain: v2\n`)
      expect(await log.verify()).toMatchObject({ ok: true, proofs: { mac: 'checked' } })
      await log.close()
    } finally {
      cleanup()
    }
  })

  it('a commit waits for the head row another writer holds; past lock_timeout it fails, keeps its records, and writes them once the lock is free', async ({
    pg,
  }) => {
    const { dir, cleanup } = tempDir()
    const db = await pg.createDatabase()
    const errors: string[] = []
    const log = await openAuditStore(db, { keyFile: join(dir, 'k.key'), lockTimeoutMs: 200, onError: (e) => errors.push(e.message) })
    const other = postgres(db, { max: 1, onnotice: () => {} })
    try {
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      let locked!: () => void
      const isLocked = new Promise<void>((r) => (locked = r))
      const holder = other.begin(async (tx) => {
        await tx`SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE`
        locked()
        await held
      })
      await isLocked
      log.append(requestEntry(1))
      await expect(log.flush()).rejects.toThrow(/Writing the audit log failed: .*lock/)
      expect(log.health()).toMatchObject({ pending: 1, reachable: true, failedCommits: 1 })
      release()
      await holder
      // A retry may already be under way; flush() waits for it and commits whatever is left.
      await log.flush()
      expect((await log.query({})).records.map((r) => r.requestId)).toEqual(['req-1'])
      expect(log.health()).toMatchObject({ pending: 0, lastError: null })
      expect(await log.verify()).toMatchObject({ ok: true, records: 1 })
    } finally {
      await other.end()
      await log.close()
      cleanup()
    }
  })

  it('names the database without its password, in its info and in its errors', async ({ pg }) => {
    const { dir, cleanup } = tempDir()
    const db = await pg.createDatabase()
    try {
      const log = await openAuditStore(db, { keyFile: join(dir, 'k.key') })
      expect(log.location).toBe(db.replace(`:${PG_PASSWORD}`, ''))
      expect((await log.info()).file).not.toContain(PG_PASSWORD)
      await log.close()
      const wrong = db.replace(PG_PASSWORD, 'not-the-password')
      const err = await openAuditStore(wrong, { keyFile: join(dir, 'k.key') }).catch((e: Error) => e)
      expect(err).toBeInstanceOf(Error)
      expect((err as Error).message).toMatch(/Cannot open the audit log postgres:\/\/wafer@127\.0\.0\.1:\d+\/audit_\w+: .*password/)
      expect((err as Error).message).not.toContain('not-the-password')
      await expect(openAuditStore(db.replace(/\/audit_\w+$/, '/no_such_db'), { keyFile: join(dir, 'k.key') })).rejects.toThrow(/no_such_db/)
      await expect(openAuditStore('mysql://u@h/db')).rejects.toThrow(/not a mysql: URL/)
      await expect(openAuditStore(db)).rejects.toThrow(/needs its key file/)
    } finally {
      cleanup()
    }
  })

  it('when PostgreSQL goes away commits fail at once and say so; when it is back the queued records are written and the chain verifies', async () => {
    const cluster = await startPostgres()
    const { dir, cleanup } = tempDir()
    const errors: string[] = []
    let log: AuditStore | undefined
    try {
      const db = await cluster.createDatabase()
      log = await openAuditStore(db, { keyFile: join(dir, 'k.key'), onError: (e) => errors.push(e.message) })
      log.append(requestEntry(1))
      await log.flush()
      await cluster.stop()
      log.append(requestEntry(2))
      const started = Date.now()
      await expect(log.flush()).rejects.toThrow(/cannot be reached/)
      expect(Date.now() - started).toBeLessThan(5000)
      expect(log.health()).toMatchObject({ reachable: false, pending: 1 })
      expect(await log.ping()).toBe(false)
      log.append(requestEntry(3))
      await cluster.start()
      expect(await log.ping()).toBe(true)
      await log.flush()
      expect((await log.query({})).records.map((r) => r.requestId)).toEqual(['req-3', 'req-2', 'req-1'])
      expect(log.health()).toMatchObject({ reachable: true, pending: 0, lastError: null })
      expect(await log.verify()).toMatchObject({ ok: true, records: 3 })
    } finally {
      await log?.close().catch(() => {})
      await cluster.destroy()
      cleanup()
    }
  })
})
