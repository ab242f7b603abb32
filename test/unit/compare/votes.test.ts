import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createCompareHandlers } from '@main/handlers/compare'
import { systemClock } from '@main/services/cerebras/clock'
import { createCompareServices } from '@main/services/compare'
import { VoteStore } from '@main/services/compare/vote-store'
import { openDatabase, type OpenedDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import { VoteArgs } from '@shared/ipc/domains/compare'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { FakeChat } from './fake-chat'

let dir: string
let opened: OpenedDatabase

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-votes-'))
  opened = openDatabase(path.join(dir, 'wafer.db'), migrations)
})
afterEach(() => {
  opened.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('blind votes', () => {
  it('folds votes into one summary per pair, whichever side each model was shown on', () => {
    let t = Date.parse('2026-11-21T10:00:00Z')
    const store = new VoteStore(opened.db, () => new Date((t += 1000)))
    store.record({ modelA: 'fake-fast', modelB: 'fake-slow', verdict: 'a' })
    store.record({ modelA: 'fake-slow', modelB: 'fake-fast', verdict: 'b' }) // fake-fast shown second, still wins
    store.record({ modelA: 'fake-slow', modelB: 'fake-fast', verdict: 'a' })
    store.record({ modelA: 'fake-fast', modelB: 'fake-slow', verdict: 'tie' })
    const last = store.record({ modelA: 'fake-fast', modelB: 'fake-slow', verdict: 'both_bad', groupId: 'g1', promptPreview: 'hi' })
    expect(last.vote).toMatchObject({ modelA: 'fake-fast', modelB: 'fake-slow', verdict: 'both_bad', groupId: 'g1' })
    expect(last.pair).toEqual({
      modelA: 'fake-fast',
      modelB: 'fake-slow',
      winsA: 2,
      winsB: 1,
      ties: 1,
      bothBad: 1,
      total: 5,
      lastVoteAt: '2026-11-21T10:00:05.000Z',
    })
    store.record({ modelA: 'gpt-oss-120b', modelB: 'fake-fast', verdict: 'a' })
    const summary = store.summary()
    expect(summary.total).toBe(6)
    expect(summary.pairs.map((p) => `${p.modelA}|${p.modelB}|${p.winsA}-${p.ties}-${p.winsB}`)).toEqual([
      'fake-fast|fake-slow|2-1-1',
      'fake-fast|gpt-oss-120b|0-0-1',
    ])
  })

  it('keeps votes across reopening the database', () => {
    new VoteStore(opened.db).record({ modelA: 'x', modelB: 'y', verdict: 'b' })
    opened.close()
    opened = openDatabase(path.join(dir, 'wafer.db'), migrations)
    expect(new VoteStore(opened.db).summary().pairs[0]).toMatchObject({ modelA: 'x', modelB: 'y', winsB: 1, total: 1 })
  })

  it('refuses a vote between a model and itself, or an unknown verdict', () => {
    expect(VoteArgs.safeParse({ modelA: 'x', modelB: 'x', verdict: 'a' }).success).toBe(false)
    expect(VoteArgs.safeParse({ modelA: 'x', modelB: 'y', verdict: 'maybe' }).success).toBe(false)
    expect(() => opened.db.prepare("INSERT INTO compare_votes (model_a, model_b, verdict, created_at) VALUES ('x','y','maybe','t')").run()).toThrow()
  })

  it('answers compare:vote and compare:votes through the handlers', async () => {
    const services = createCompareServices({ db: opened.db, chat: new FakeChat(() => ({})), clock: systemClock })
    const handlers = createCompareHandlers({ services })
    const ctx = { emit: () => {}, via: 'web' as const }
    const saved = await handlers['compare:vote']({ modelA: 'a', modelB: 'b', verdict: 'a' }, ctx)
    expect(saved.pair).toMatchObject({ winsA: 1, total: 1 })
    expect(await handlers['compare:votes']({}, ctx)).toMatchObject({ total: 1, pairs: [{ modelA: 'a', modelB: 'b' }] })
  })
})
