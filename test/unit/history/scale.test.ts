import { HistoryStore } from '@main/services/history'
import { buildListQuery, buildMetricQuery } from '@main/services/history/list-query'
import type { OpenedDatabase } from '@main/storage/database'
import type { RunQuery } from '@shared/ipc/domains/history'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { freshDatabase, runInput } from './helpers'

/*
 * History must stay fast at 100,000 runs. Speed is proven here by the query
 * plans (every list, search, filter and page uses an index and never sorts),
 * not by timing; timings live in benches.
 */

const RUNS = 100_000
const MODELS = ['gpt-oss-120b', 'llama3.1-8b', 'qwen-3-32b', 'zai-glm-4.7']
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima']
const T0 = 1_750_000_000_000

let opened: OpenedDatabase
let store: HistoryStore

beforeAll(() => {
  opened = freshDatabase()
  store = new HistoryStore(opened.db, () => T0)
  let batch: ReturnType<typeof runInput>[] = []
  for (let i = 0; i < RUNS; i++) {
    const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length]
    const failed = i % 50 === 0
    batch.push(
      runInput({
        id: `r${i}`,
        startedAt: T0 + i * 60_000,
        source: i % 10 === 0 ? 'compare' : 'playground',
        groupId: i % 10 === 0 ? `g${Math.floor(i / 10)}` : null,
        request: { model: MODELS[i % MODELS.length], messages: [{ role: 'user', content: `${w(0)} ${w(1)} question ${i}` }] },
        answer: failed ? '' : `${w(2)} ${w(3)} answer number${i}`,
        status: failed ? 'error' : 'ok',
        error: failed ? { code: 'rate_limited', message: 'Too many requests' } : null,
      }),
    )
    if (batch.length === 5000) {
      store.saveRuns(batch)
      batch = []
    }
  }
}, 240_000)

afterAll(() => opened?.close())

function plan(sql: string, params: (string | number)[]): string[] {
  return (opened.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail)
}

const FULL_SCAN = /^SCAN (r|runs)\b(?! VIRTUAL)(?!.*USING)/

/** The demo flag and the endpoint of each row shown: one primary-key lookup in demo_runs (d) and run_endpoints (e) per row. */
const DEMO_LOOKUP = /^(CORRELATED SCALAR SUBQUERY \d+|SEARCH [de] USING PRIMARY KEY \(id=\?\))$/

function expectIndexed(lines: string[], expected: RegExp): void {
  const text = lines.join('\n')
  expect(text, text).not.toMatch(/TEMP B-TREE/)
  for (const l of lines) if (/\b[de]\b/.test(l) && /^(SCAN|SEARCH)/.test(l)) expect(l, text).toMatch(DEMO_LOOKUP)
  const main = lines.filter((l) => !DEMO_LOOKUP.test(l))
  // A bare "SCAN r" is only right for the unfiltered list: it walks the
  // primary key backwards and LIMIT stops it after one page.
  if (main.join('\n') !== 'SCAN r') for (const l of main) expect(l, text).not.toMatch(FULL_SCAN)
  expect(main.join('\n'), text).toMatch(expected)
}

const MID = String((T0 + 50_000 * 60_000) * 1024)

const CASES: [string, RunQuery, RegExp][] = [
  ['newest first', {}, /^SCAN r$|USING INTEGER PRIMARY KEY/],
  ['a later page', { cursor: MID }, /SEARCH r USING INTEGER PRIMARY KEY \(rowid<\?\)/],
  ['one model', { model: 'qwen-3-32b' }, /USING (COVERING )?INDEX runs_by_model|USING INTEGER PRIMARY KEY/],
  ['one model, a later page', { model: 'qwen-3-32b', cursor: MID }, /runs_by_model \(model=\? AND rowid<\?\)|INTEGER PRIMARY KEY \(rowid<\?\)/],
  ['errors only', { errorsOnly: true }, /USING (COVERING )?INDEX runs_errors/],
  ['errors of one model', { errorsOnly: true, model: 'llama3.1-8b', cursor: MID }, /INDEX runs_errors_by_model|INDEX runs_errors/],
  ['a date range', { from: T0 + 10_000 * 60_000, to: T0 + 20_000 * 60_000 }, /INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/],
  ['a source', { source: 'compare', cursor: MID }, /INDEX runs_by_source \(source=\? AND rowid<\?\)|INTEGER PRIMARY KEY/],
  ['a compare group', { groupId: 'g42' }, /INDEX runs_by_group/],
  ['an endpoint', { endpoint: 'cerebras', cursor: MID }, /INTEGER PRIMARY KEY \(rowid<\?\)/],
  ['search', { text: 'bravo answer' }, /SCAN runs_fts VIRTUAL TABLE INDEX/],
  ['search, a later page', { text: 'bravo', cursor: MID }, /SCAN runs_fts VIRTUAL TABLE INDEX/],
  ['search with filters', { text: 'delta', model: 'zai-glm-4.7', errorsOnly: true, from: T0 }, /runs_fts VIRTUAL TABLE INDEX/],
]

describe(`history at ${RUNS.toLocaleString('en')} runs`, () => {
  it.each(CASES)('plans "%s" on an index, without a sort or a full scan', (_name, query, expected) => {
    const built = buildListQuery(query)
    expectIndexed(plan(built.sql, built.params), expected)
  })

  it('plans the Metrics query and the model list on indexes too', () => {
    const metric = buildMetricQuery({ from: T0 + 1000 })
    expectIndexed(plan(metric.sql, metric.params), /INTEGER PRIMARY KEY \(rowid>\?\)/)
    expectIndexed(plan('SELECT DISTINCT model FROM runs ORDER BY model', []), /COVERING INDEX runs_by_model/)
  })

  it('returns the right rows deep in the history: pages, filters and search agree with the data', () => {
    const page = store.listRuns({ cursor: MID, limit: 3 })
    expect(page.runs.map((r) => r.id)).toEqual(['r49999', 'r49998', 'r49997'])
    const next = store.listRuns({ cursor: page.nextCursor!, limit: 2 })
    expect(next.runs.map((r) => r.id)).toEqual(['r49996', 'r49995'])

    const errors = store.listRuns({ errorsOnly: true, model: 'gpt-oss-120b', cursor: MID, limit: 3 })
    // Failed runs are every 50th; gpt-oss-120b is every 4th: every 100th below 50,000.
    expect(errors.runs.map((r) => r.id)).toEqual(['r49900', 'r49800', 'r49700'])

    const found = store.listRuns({ text: 'number77777' })
    expect(found.runs.map((r) => r.id)).toEqual(['r77777'])
    expect(store.listRuns({ text: 'question', limit: 5 }).nextCursor).not.toBeNull()
    expect(store.listRuns({ groupId: 'g4242' }).runs.map((r) => r.id)).toEqual(['r42420'])
    expect(store.models()).toEqual([...MODELS].sort())
  })
  it('keeps the plans indexed once SQLite has statistics (ANALYZE)', () => {
    // Last in the file: the statistics stay for the rest of this database's life.
    opened.db.exec('ANALYZE')
    for (const [, query, expected] of CASES) {
      const built = buildListQuery(query)
      expectIndexed(plan(built.sql, built.params), expected)
    }
    const metric = buildMetricQuery({ from: T0, model: 'gpt-oss-120b' })
    expectIndexed(plan(metric.sql, metric.params), /INTEGER PRIMARY KEY|INDEX runs_by_model/)
  })
})
