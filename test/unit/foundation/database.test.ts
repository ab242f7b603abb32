import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { type Migration, openDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import { describe, expect, it } from 'vitest'

const file = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-db-')), 'wafer.db')

describe('the app database', () => {
  it('creates, migrates, reopens without re-running migrations, and closes', () => {
    const f = file()
    const a = openDatabase(f, migrations)
    expect(a.applied).toEqual(migrations.map((m) => m.version))
    a.db.prepare("INSERT INTO ui_state (key, value, updated_at) VALUES ('k', '1', 'now')").run()
    a.close()
    const b = openDatabase(f, migrations)
    expect(b.applied).toEqual([])
    expect(b.version).toBe(migrations.length)
    expect(b.db.prepare('SELECT value FROM ui_state WHERE key = ?').get('k')).toMatchObject({ value: '1' })
    b.close()
    expect(() => b.db.prepare('SELECT 1').get()).toThrow()
  })

  it('applies only new migrations, each recorded with its version', () => {
    const f = file()
    openDatabase(f, migrations).close()
    const more: Migration[] = [...migrations, { version: migrations.length + 1, name: 'extra', up: (db) => db.exec('CREATE TABLE extra (x)') }]
    const o = openDatabase(f, more)
    expect(o.applied).toEqual([migrations.length + 1])
    expect(o.db.prepare('SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1').get()).toMatchObject({ name: 'extra' })
    o.close()
  })

  it('rolls back a failing migration and keeps the previous version', () => {
    const f = file()
    openDatabase(f, migrations).close()
    const bad: Migration[] = [
      ...migrations,
      { version: migrations.length + 1, name: 'half done', up: (db) => db.exec('CREATE TABLE half (x); THIS IS NOT SQL') },
    ]
    expect(() => openDatabase(f, bad)).toThrow(/Migration .* \(half done\) failed/)
    const o = openDatabase(f, migrations)
    expect(o.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toMatchObject({ n: 0 })
    o.close()
  })

  it('says clearly when the file is not a database', () => {
    const f = file()
    writeFileSync(f, 'definitely not sqlite\n'.repeat(100))
    expect(() => openDatabase(f, migrations)).toThrow(/not a SQLite database/)
  })

  it('refuses a database from a newer version of the app', () => {
    const f = file()
    const newer: Migration[] = [...migrations, { version: migrations.length + 1, name: 'future', up: () => {} }]
    openDatabase(f, newer).close()
    expect(() => openDatabase(f, migrations)).toThrow(/newer than this app knows/)
  })
})
