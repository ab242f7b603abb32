import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { HistoryStore } from '@main/services/history'
import { RunEndpoints } from '@main/services/history/run-endpoints'
import { openDatabase, type OpenedDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import { classifyEndpoint, ENDPOINT_HEADER } from '@shared/endpoint'
import { afterEach, describe, expect, it } from 'vitest'

import { freshDatabase, runInput } from './helpers'

let opened: OpenedDatabase | undefined
afterEach(() => opened?.close())

describe('classifyEndpoint', () => {
  it('names Cerebras, the demo, a server that announced itself, and any other base URL, with the host', () => {
    expect(classifyEndpoint('https://api.cerebras.ai/v1')).toEqual({ kind: 'cerebras', host: 'api.cerebras.ai' })
    expect(classifyEndpoint('https://eu.api.cerebras.ai/v1')).toEqual({ kind: 'cerebras', host: 'eu.api.cerebras.ai' })
    // Plain http or a look-alike host is not Cerebras.
    expect(classifyEndpoint('http://api.cerebras.ai/v1').kind).toBe('custom')
    expect(classifyEndpoint('https://api.cerebras.ai.evil.example/v1').kind).toBe('custom')
    expect(classifyEndpoint('https://notcerebras.ai/v1').kind).toBe('custom')
    expect(classifyEndpoint('http://127.0.0.1:4100/v1', { demo: true })).toEqual({ kind: 'demo', host: '127.0.0.1:4100' })
    expect(classifyEndpoint('http://127.0.0.1:8787/v1', { announced: 'replay' })).toEqual({ kind: 'replay', host: '127.0.0.1:8787' })
    expect(classifyEndpoint('http://localhost:8787/v1', { announced: 'fake' })).toEqual({ kind: 'fake', host: 'localhost:8787' })
    // A server cannot pass itself off as Cerebras, and Cerebras stays Cerebras whatever a header says.
    expect(classifyEndpoint('https://api.cerebras.ai/v1', { announced: 'fake' }).kind).toBe('cerebras')
    expect(classifyEndpoint('https://proxy.example.com/cerebras/v1')).toEqual({ kind: 'custom', host: 'proxy.example.com' })
  })
})

describe('RunEndpoints', () => {
  const respond = (headers: Record<string, string>) => (async () => new Response('{}', { headers })) as unknown as typeof fetch

  it('saves a run with the base URL its request went to and what that server said it is', async () => {
    const endpoints = new RunEndpoints()
    endpoints.noteRequest('r1', 'http://127.0.0.1:8787/v1')
    expect(endpoints.endpointOf('r1', false)).toEqual({ kind: 'custom', host: '127.0.0.1:8787' })
    const res = await endpoints.observe(respond({ [ENDPOINT_HEADER]: 'replay', 'x-other': '1' }))('http://127.0.0.1:8787/v1/chat/completions')
    expect(res.headers.get('x-other')).toBe('1')
    expect(endpoints.endpointOf('r1', false)).toEqual({ kind: 'replay', host: '127.0.0.1:8787' })
    // Another origin said nothing: still custom.
    endpoints.noteRequest('r2', 'http://127.0.0.1:9999/v1')
    expect(endpoints.endpointOf('r2', false)?.kind).toBe('custom')
    // An unknown value is ignored; a later answer without the header forgets the claim.
    await endpoints.observe(respond({ [ENDPOINT_HEADER]: 'cerebras' }))('http://127.0.0.1:9999/v1/models')
    expect(endpoints.endpointOf('r2', false)?.kind).toBe('custom')
    await endpoints.observe(respond({}))(new URL('http://127.0.0.1:8787/v1/models'))
    expect(endpoints.endpointOf('r1', false)?.kind).toBe('custom')
  })

  it('applies to a run it knows, keeps the caller’s value otherwise, and marks demo runs', () => {
    const endpoints = new RunEndpoints()
    endpoints.noteRequest('known', 'https://api.cerebras.ai/v1')
    expect(endpoints.apply({ id: 'known', endpoint: null })).toEqual({ id: 'known', endpoint: { kind: 'cerebras', host: 'api.cerebras.ai' } })
    const imported = { id: 'elsewhere', endpoint: { kind: 'replay' as const, host: 'x:1' } }
    expect(endpoints.apply(imported)).toBe(imported)
    expect(endpoints.apply({ id: 'demo-run', demo: true as const })).toEqual({ id: 'demo-run', demo: true, endpoint: { kind: 'demo', host: '' } })
  })
})

describe('endpoints in the history', () => {
  it('keeps each run’s endpoint, shows it in the list, the run and the metric points, and filters by it', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    s.saveRun(runInput({ id: 'real', endpoint: { kind: 'cerebras', host: 'api.cerebras.ai' } }))
    s.saveRun(runInput({ id: 'replayed', endpoint: { kind: 'replay', host: '127.0.0.1:8787' } }))
    s.saveRun(runInput({ id: 'demo', demo: true, endpoint: { kind: 'demo', host: '127.0.0.1:4100' } }))
    s.saveRun(runInput({ id: 'old-export' }))
    const ids = (q: Parameters<HistoryStore['listRuns']>[0]) => s.listRuns(q).runs.map((r) => r.id)
    expect(s.listRuns().runs.map((r) => [r.id, r.endpoint])).toEqual([
      ['old-export', null],
      ['demo', { kind: 'demo', host: '127.0.0.1:4100' }],
      ['replayed', { kind: 'replay', host: '127.0.0.1:8787' }],
      ['real', { kind: 'cerebras', host: 'api.cerebras.ai' }],
    ])
    expect(ids({ endpoint: 'cerebras' })).toEqual(['real'])
    expect(ids({ endpoint: 'replay' })).toEqual(['replayed'])
    expect(ids({ endpoint: 'unknown' })).toEqual(['old-export'])
    expect(ids({ endpoint: 'custom' })).toEqual([])
    expect(ids({ endpoint: 'replay', text: 'hello' })).toEqual(['replayed'])
    expect(s.getRun('replayed').endpoint).toEqual({ kind: 'replay', host: '127.0.0.1:8787' })
    expect(s.getRun('old-export').endpoint).toBeNull()
    expect(Object.fromEntries(s.metricPoints().map((p) => [p.id, p.endpoint?.kind ?? null]))).toEqual({
      real: 'cerebras',
      replayed: 'replay',
      demo: 'demo',
      'old-export': null,
    })
    // Saved again without one: the old endpoint does not linger; deleting the run removes its row.
    s.saveRun(runInput({ id: 'replayed', startedAt: s.getRun('replayed').startedAt }))
    expect(s.getRun('replayed').endpoint).toBeNull()
    s.deleteRuns(['real'])
    expect(opened.db.prepare('SELECT id FROM run_endpoints ORDER BY id').all()).toEqual([{ id: 'demo' }])
  })

  it('rejects an endpoint kind it does not know', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    expect(() => s.saveRun(runInput({ endpoint: { kind: 'mars' as 'custom', host: 'x' } }))).toThrow(/endpoint/)
  })
})

describe('migration 5 on a database written before endpoints were recorded', () => {
  it('keeps every run, marks the demo runs as answered by the demo, and leaves the others not recorded', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-endpoints-')), 'wafer.db')
    const before = migrations.filter((m) => m.version <= 4)
    const old = openDatabase(file, before)
    expect(old.version).toBe(4)
    // Rows as the version-4 store wrote them: the columns of migration 2 and a demo_runs row for the demo run.
    const insert = old.db.prepare(`INSERT INTO runs (rid, id, started_at, saved_at, source, group_id, model, status, is_error, error_code,
      ttft_ms, decode_tps, prompt_tokens, completion_tokens, cost_usd, prompt_preview, output_preview, prompt_text, output_text, data)
      VALUES (?, ?, ?, ?, 'playground', NULL, 'gpt-oss-120b', 'ok', 0, NULL, 120, 1800, 12, 40, NULL, 'hi', 'hello', 'hi', 'hello', ?)`)
    for (const [i, id] of ['old-real', 'old-demo'].entries()) {
      const run = runInput({ id, startedAt: 1_760_000_000_000 + i, ...(id === 'old-demo' ? { demo: true as const } : {}) })
      insert.run((1_760_000_000_000 + i) * 1024, id, 1_760_000_000_000 + i, 1_760_000_000_100, JSON.stringify(run))
    }
    old.db.prepare('INSERT INTO demo_runs (id) VALUES (?)').run('old-demo')
    old.close()

    opened = openDatabase(file, migrations)
    expect(opened.applied).toEqual(migrations.filter((m) => m.version > 4).map((m) => m.version))
    const s = new HistoryStore(opened.db)
    expect(s.listRuns().runs.map((r) => [r.id, r.endpoint, r.demo ?? false])).toEqual([
      ['old-demo', { kind: 'demo', host: '' }, true],
      ['old-real', null, false],
    ])
    expect(s.getRun('old-real')).toMatchObject({ id: 'old-real', endpoint: null, response: { content: 'Hello there!' } })
    expect(s.listRuns({ endpoint: 'demo' }).runs.map((r) => r.id)).toEqual(['old-demo'])
    expect(s.listRuns({ endpoint: 'unknown' }).runs.map((r) => r.id)).toEqual(['old-real'])
    // New runs after the migration keep theirs, next to the old ones.
    s.saveRun(runInput({ id: 'new-real', endpoint: { kind: 'cerebras', host: 'api.cerebras.ai' } }))
    expect(s.listRuns({ endpoint: 'cerebras' }).runs.map((r) => r.id)).toEqual(['new-real'])
  })
})
