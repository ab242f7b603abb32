import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createHistoryHandlers } from '@main/handlers/history'
import { createHistoryServices, HistoryStore, PromptVersionStore } from '@main/services/history'
import { HistoryRetention } from '@main/services/history/retention'
import { openDatabase, type OpenedDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import { afterEach, describe, expect, it } from 'vitest'

import { chatRuns } from '../../support/history-fill'
import { freshDatabase, promptDoc, runInput } from './helpers'

// Retention deletes the oldest runs beyond a policy (days, runs, megabytes),
// compacts the file after a large deletion, and never touches prompt versions.

let opened: OpenedDatabase | undefined
afterEach(() => opened?.close())

const DAY = 86_400_000
const NOW = Date.UTC(2026, 5, 1)

function setup() {
  opened = freshDatabase()
  const runs = new HistoryStore(opened.db, () => NOW)
  const versions = new PromptVersionStore(opened.db, () => NOW)
  const retention = new HistoryRetention(opened.db, () => NOW)
  return { runs, versions, retention }
}

const ids = (runs: HistoryStore) => {
  const out: string[] = []
  let cursor: string | undefined
  do {
    const page = runs.listRuns({ limit: 200, ...(cursor ? { cursor } : {}) })
    out.push(...page.runs.map((r) => r.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return out
}

// Thousands of runs are written per test: slower than most unit tests on a busy machine.
describe('history retention', { timeout: 60_000 }, () => {
  it('keeps everything by default', () => {
    const { runs, retention } = setup()
    runs.saveRuns([0, 10, 400].map((d) => runInput({ id: `d${d}`, startedAt: NOW - d * DAY })))
    expect(retention.apply({ kind: 'all' })).toMatchObject({ deleted: 0, compacted: false })
    expect(ids(runs)).toEqual(['d0', 'd10', 'd400'])
  })

  it('deletes runs older than N days, and only those', () => {
    const { runs, retention } = setup()
    runs.saveRuns([0, 29, 31, 400].map((d) => runInput({ id: `d${d}`, startedAt: NOW - d * DAY })))
    expect(retention.apply({ kind: 'days', days: 30 }).deleted).toBe(2)
    expect(ids(runs)).toEqual(['d0', 'd29'])
    expect(retention.apply({ kind: 'days', days: 30 }).deleted).toBe(0)
  })

  it('keeps at most N runs (the newest), in batches, compacts after a large deletion, and leaves prompt versions alone', () => {
    const { runs, versions, retention } = setup()
    runs.saveRuns([...chatRuns(1500, { maxTurns: 5, promptWords: 20, answerWords: 60 }, { endAt: NOW })])
    versions.save({ name: 'kept', prompt: promptDoc() })
    const newest = ids(runs).slice(0, 100)
    const r = retention.apply({ kind: 'runs', runs: 100 })
    expect(r.deleted).toBe(1400)
    expect(r.compacted).toBe(true)
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore / 3)
    expect(ids(runs)).toEqual(newest)
    // Search follows the deletion: a word of the newest run finds only kept runs.
    const word = runs.getRun(newest[0]).response.content.split(' ')[0]
    const found = runs.listRuns({ text: word, limit: 200 }).runs.map((x) => x.id)
    expect(found.length).toBeGreaterThan(0)
    expect(found.every((id) => newest.includes(id))).toBe(true)
    expect(versions.list().length).toBe(1)
    expect(retention.apply({ kind: 'runs', runs: 0 }).deleted).toBe(100)
    expect(ids(runs)).toEqual([])
  })

  it('fits the database in N MB by deleting the oldest runs, and says the size', () => {
    const { runs, retention } = setup()
    runs.saveRuns([...chatRuns(1200, { maxTurns: 6, promptWords: 30, answerWords: 200 }, { endAt: NOW })])
    const before = retention.databaseBytes()
    expect(before).toBeGreaterThan(3 * 1024 * 1024)
    const r = retention.apply({ kind: 'megabytes', megabytes: 1 })
    expect(r.deleted).toBeGreaterThan(0)
    expect(r.bytesAfter).toBeLessThanOrEqual(1024 * 1024)
    expect(retention.databaseBytes()).toBe(r.bytesAfter)
    // The newest runs are the ones kept.
    const kept = ids(runs)
    expect(kept.length).toBe(1200 - r.deleted)
    expect(kept.length).toBeGreaterThan(0)
    expect(runs.listRuns({ limit: 1 }).runs[0].startedAt).toBe(NOW - 1000)
  })
})

describe('history retention through the history handlers', () => {
  it('keeps the chosen policy in the database, applies it when chosen and when the services start again, and says the size', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-retention-')), 'wafer.db')
    opened = openDatabase(file, migrations)
    let now = NOW
    const services = createHistoryServices(opened.db, () => now)
    const events: string[] = []
    const handlers = createHistoryHandlers({ history: services, broadcast: (e, p) => events.push(`${e}:${(p as { reason: string }).reason}`) })
    services.runs.saveRuns([0, 10, 40].map((d) => runInput({ id: `d${d}`, startedAt: NOW - d * DAY })))
    const ctx = {} as never
    expect(await handlers['history:retention']({}, ctx)).toEqual({ policy: { kind: 'all' }, databaseBytes: expect.any(Number) })
    const set = await handlers['history:set-retention']({ policy: { kind: 'days', days: 30 } }, ctx)
    expect(set).toMatchObject({ policy: { kind: 'days', days: 30 }, deleted: 1 })
    expect(events).toEqual(['history:changed:deleted'])
    expect(ids(services.runs)).toEqual(['d0', 'd10'])
    services.stopRetention()

    // Twenty-five days later the app starts again: the kept policy applies at once.
    now = NOW + 25 * DAY
    const again = createHistoryServices(opened.db, () => now)
    again.stopRetention()
    expect(again.retention.policy()).toEqual({ kind: 'days', days: 30 })
    expect(ids(again.runs)).toEqual(['d0'])
  })

  it('reads an unreadable kept policy as keep everything', () => {
    opened = freshDatabase()
    opened.db.prepare(`INSERT INTO ui_state (key, value, updated_at) VALUES ('history.retention', '{"kind":"days","days":-4}', 'x')`).run()
    const services = createHistoryServices(opened.db, () => NOW)
    services.stopRetention()
    expect(services.retention.policy()).toEqual({ kind: 'all' })
  })
})
