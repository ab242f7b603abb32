import { batchToCsv, batchToJson, passCounts } from '@renderer/features/compare/batch/export'
import { parseInputs } from '@renderer/features/compare/batch/parse-inputs'
import { shuffled } from '@renderer/features/compare/blind'
import { aggregateRuns, bestByChip, runFigures } from '@renderer/features/compare/lane-metrics'
import { CompareSetup, defaultSetup, laneRequest, newLane, readSetup } from '@renderer/features/compare/lanes'
import { cumulativeTokens } from '@renderer/features/compare/race-series'
import { laneHistory, type Turn } from '@renderer/features/compare/session-store'
import { BatchSnapshot } from '@shared/ipc/domains/compare'
import { describe, expect, it } from 'vitest'

import { metrics } from './fake-chat'

describe('compare lanes', () => {
  it('builds each lane’s request from the shared system prompt, its own history and its parameters', () => {
    const lane = { ...newLane('gpt-oss-120b'), params: { temperature: 0.3, topP: null, maxCompletionTokens: 256, seed: null, reasoningEffort: 'low' as const } }
    const request = laneRequest(
      lane,
      'Be brief.',
      [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
      'next',
    )
    expect(request).toEqual({
      model: 'gpt-oss-120b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'next' },
      ],
      temperature: 0.3,
      max_completion_tokens: 256,
      reasoning_effort: 'low',
    })
    expect(laneRequest(newLane(' m '), '  ', [], 'q')).toEqual({ model: 'm', messages: [{ role: 'user', content: 'q' }] })
  })

  it('reads a stored setup, or says why not', () => {
    const setup = defaultSetup(['a', 'b', 'c'])
    expect(setup.lanes.map((l) => l.model)).toEqual(['a', 'b'])
    expect(readSetup(JSON.parse(JSON.stringify(setup)))).toEqual({ setup, problem: null })
    expect(readSetup(null)).toEqual({ setup: null, problem: null })
    const bad = readSetup({ ...setup, lanes: [setup.lanes[0]] })
    expect(bad.setup).toBeNull()
    expect(bad.problem).toMatch(/lanes/)
    expect(CompareSetup.safeParse({ ...setup, repeat: 21 }).success).toBe(false)
    expect(defaultSetup([]).lanes.map((l) => l.model)).toEqual(['gpt-oss-120b', 'gpt-oss-120b'])
  })

  it('gives every lane the earlier inputs and its own first answer', () => {
    const run = (content: string | null) => ({
      requestId: 'r',
      model: 'm',
      index: 0,
      status: 'done' as const,
      content,
      done: null,
      error: null,
      figures: runFigures(null, null),
    })
    const turns: Turn[] = [
      {
        id: '1',
        groupId: 'g',
        input: 'one',
        startedAt: 0,
        blind: null,
        lanes: {
          a: { laneId: 'a', model: 'm', planned: 1, status: 'done', runs: [run('A1')] },
          b: { laneId: 'b', model: 'm', planned: 1, status: 'done', runs: [run(null)] },
        },
      },
      {
        id: '2',
        groupId: 'g',
        input: 'two',
        startedAt: 0,
        blind: null,
        lanes: { a: { laneId: 'a', model: 'm', planned: 2, status: 'done', runs: [run('A2'), run('A2 again')] } },
      },
    ]
    expect(laneHistory(turns, 'a')).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'A2' },
    ])
    expect(laneHistory(turns, 'b')).toEqual([
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two' },
    ])
  })

  it('shuffles with every order possible and nothing lost', () => {
    const seen = new Set<string>()
    let x = 0
    const random = () => (x = (x * 9301 + 49297) % 233280) / 233280
    for (let i = 0; i < 200; i++) seen.add(shuffled(['a', 'b', 'c'], random).join(''))
    expect([...seen].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba'])
    expect(shuffled(['x', 'y']).sort()).toEqual(['x', 'y'])
  })
})

describe('lane figures', () => {
  const done = (ttftMs: number, decode: number | null, total: number, tokens: number) => ({
    requestId: 'r',
    model: 'm',
    completionId: null,
    finishReason: 'stop',
    usage: { prompt_tokens: 5, completion_tokens: tokens, total_tokens: tokens + 5 },
    timeInfo: null,
    metrics: { ...metrics(total), ttftMs, serverDecodeTokensPerSec: decode, clientTokensPerSec: tokens / (total / 1000) },
  })

  it('takes the server’s decode speed, and the client’s only when the server gave none', () => {
    expect(runFigures(done(100, 2900, 300, 360), 0.001)).toEqual({ ttftMs: 100, decodeTokensPerSec: 2900, totalMs: 300, tokens: 360, costUsd: 0.001 })
    expect(runFigures(done(100, null, 500, 100), null).decodeTokensPerSec).toBe(200)
    expect(runFigures(null, null).ttftMs).toBeNull()
  })

  it('marks the best lane per figure, tying on what the chips show', () => {
    const fast = runFigures(done(85.2, 2950, 210, 360), 0.0001)
    const slow = runFigures(done(85.4, 600, 700, 360), 0.0001)
    const best = bestByChip([slow, fast])
    expect([...best.decodeTokensPerSec]).toEqual([1])
    expect([...best.totalMs]).toEqual([1])
    // 85.2 and 85.4 ms both show as "85 ms": a tie, not a win.
    expect([...best.ttftMs]).toEqual([0, 1])
    expect([...best.tokens]).toEqual([0, 1])
  })

  it('withholds a decode speed the honesty rule cannot stand behind, saying why, also over repeats', () => {
    const twoTokens = { ...done(90, 47_192, 97, 2), metrics: { ...metrics(97), ttftMs: 90, serverDecodeTokensPerSec: 47_192, completionMs: 0.0424 } }
    const figures = runFigures(twoTokens, null)
    expect(figures.decodeTokensPerSec).toBeNull()
    expect(figures.withheld?.decodeTokensPerSec).toEqual({ kind: 'too_few_tokens', tokens: 2, min: 16 })
    const agg = aggregateRuns([
      { figures, content: 'Hi' },
      { figures, content: 'Hi' },
    ])
    expect(agg.chips.decodeTokensPerSec).toBeNull()
    expect(agg.chips.withheld?.decodeTokensPerSec?.kind).toBe('too_few_tokens')
    // One honest run among them gives the chip its figure, and no reason.
    const honest = aggregateRuns([
      { figures, content: 'Hi' },
      { figures: runFigures(done(90, 2000, 300, 400), null), content: 'Hi' },
    ])
    expect(honest.chips.decodeTokensPerSec).toBe(2000)
    expect(honest.chips.withheld).toBeUndefined()
  })

  it('summarises repeat runs with medians for the chips and p50 / p95', () => {
    const runs = [100, 120, 140, 400].map((t, i) => ({ figures: runFigures(done(t, 1000 + i * 100, t * 2, 50), null), content: 'same words here' }))
    const agg = aggregateRuns(runs)
    expect(agg.runs).toBe(4)
    expect(agg.chips.ttftMs).toBe(130)
    expect(agg.ttft?.p95).toBeCloseTo(361, 6)
    expect(agg.decode?.p50).toBe(1150)
    expect(agg.variability?.level).toBe('identical')
  })
})

describe('the race chart series', () => {
  it('turns per-bucket throughput into cumulative tokens at each bucket’s end', () => {
    const points = [
      { t: 0, tokensPerSec: 0 },
      { t: 0.1, tokensPerSec: 1000 },
      { t: 0.2, tokensPerSec: 3000 },
    ]
    expect(cumulativeTokens(points, 100)).toEqual([
      { t: 0, tokens: 0 },
      { t: 0.1, tokens: 0 },
      { t: 0.2, tokens: 100 },
      { t: 0.3, tokens: 400 },
    ])
    expect(cumulativeTokens([], 100)).toEqual([])
  })

  it('fits a finished lane to its run’s figures: rising at the TTFT, ending at the total with the server’s count', () => {
    // The renderer saw text from 150 ms to 450 ms of its own clock (its buckets and its start differ from main's).
    const points = [
      { t: 0, tokensPerSec: 0 },
      { t: 0.1, tokensPerSec: 100 },
      { t: 0.2, tokensPerSec: 200 },
      { t: 0.3, tokensPerSec: 100 },
      { t: 0.4, tokensPerSec: 40 },
    ]
    const out = cumulativeTokens(points, 100, 160, { firstAt: 150, lastAt: 450, ttftMs: 40, totalMs: 97, tokens: 44 })
    expect(out[0]).toEqual({ t: 0, tokens: 0 })
    expect(out[1]).toEqual({ t: 0.04, tokens: 0 })
    expect(out.at(-1)).toEqual({ t: 0.097, tokens: 44 })
    for (let i = 1; i < out.length; i++) expect(out[i].t).toBeGreaterThanOrEqual(out[i - 1].t)
    expect(Math.max(...out.map((p) => p.t))).toBe(0.097)
    // All text in one read: straight from the TTFT to the end.
    const burst = cumulativeTokens([{ t: 0, tokensPerSec: 440 }], 100, 160, { firstAt: 60, lastAt: 60, ttftMs: 50, totalMs: 55, tokens: 44 })
    expect(burst).toEqual([
      { t: 0, tokens: 0 },
      { t: 0.05, tokens: 0 },
      { t: 0.055, tokens: 44 },
    ])
  })

  it('keeps at most the given number of points, always including the last', () => {
    const points = Array.from({ length: 600 }, (_, i) => ({ t: i * 0.1, tokensPerSec: 10 }))
    const out = cumulativeTokens(points, 100, 50)
    expect(out).toHaveLength(50)
    expect(out[0]).toEqual({ t: 0, tokens: 0 })
    expect(out.at(-1)).toEqual({ t: 60, tokens: 600 })
    for (let i = 1; i < out.length; i++) expect(out[i].t).toBeGreaterThan(out[i - 1].t)
  })
})

describe('batch inputs', () => {
  it('reads CSV with quoted fields, a BOM and blank lines, every value a string', () => {
    const parsed = parseInputs('\uFEFFcity,notes\nOslo,"cold, dark"\n\nLima,"said ""hi"""\n')
    expect(parsed.format).toBe('csv')
    expect(parsed.columns).toEqual(['city', 'notes'])
    expect(parsed.rows).toEqual([
      { city: 'Oslo', notes: 'cold, dark' },
      { city: 'Lima', notes: 'said "hi"' },
    ])
    expect(parsed.problems).toEqual([])
  })

  it('names the CSV line that has the wrong number of fields, keeping the others', () => {
    const parsed = parseInputs('a,b\n1,2\n3,4,5\n6,7')
    expect(parsed.rows).toHaveLength(3)
    expect(parsed.problems[0]).toMatch(/^line 3: /)
  })

  it('reads JSON Lines and JSON arrays, stringifying non-string values and naming bad lines', () => {
    const parsed = parseInputs('{"city": "Oslo", "n": 3, "tags": ["a"]}\nnot json\n[1]\n{"city": "Lima"}', 'in.jsonl')
    expect(parsed.format).toBe('jsonl')
    expect(parsed.rows).toEqual([{ city: 'Oslo', n: '3', tags: '["a"]' }, { city: 'Lima' }])
    expect(parsed.columns).toEqual(['city', 'n', 'tags'])
    expect(parsed.problems).toHaveLength(2)
    expect(parsed.problems[0]).toMatch(/^line 2: not valid JSON/)
    expect(parsed.problems[1]).toMatch(/^line 3: expected an object/)
    expect(parseInputs('[{"q": "x"}, {"q": "y"}]').rows).toEqual([{ q: 'x' }, { q: 'y' }])
  })

  it('keeps at most 5,000 rows and says so', () => {
    const text = 'q\n' + Array.from({ length: 5003 }, (_, i) => `r${i}`).join('\n')
    const parsed = parseInputs(text)
    expect(parsed.rows).toHaveLength(5000)
    expect(parsed.problems[0]).toBe('5003 rows: only the first 5000 are used.')
  })
})

describe('batch export', () => {
  const snapshot = BatchSnapshot.parse({
    batchId: 'b1',
    lanes: [
      { laneId: 'f', model: 'fake-fast' },
      { laneId: 's', model: 'fake-slow' },
    ],
    rowCount: 2,
    assertions: [
      { id: 'c', kind: 'contains', text: 'Oslo' },
      { id: 'j', kind: 'json', laneId: 's' },
    ],
    cells: [
      {
        row: 0,
        laneId: 'f',
        model: 'fake-fast',
        status: 'done',
        output: 'Oslo, "Norway"\nyes',
        error: null,
        metrics: { ttftMs: 10, totalMs: 123.456, promptTokens: 5, completionTokens: 7, decodeTokensPerSec: 2900 },
        assertions: [{ id: 'c', pass: true }],
        rateLimitWaits: 0,
      },
      {
        row: 0,
        laneId: 's',
        model: 'fake-slow',
        status: 'error',
        output: null,
        error: { code: 'model_not_found', message: 'gone' },
        metrics: null,
        assertions: [],
        rateLimitWaits: 0,
      },
      {
        row: 1,
        laneId: 'f',
        model: 'fake-fast',
        status: 'done',
        output: 'Lima',
        error: null,
        metrics: null,
        assertions: [{ id: 'c', pass: false }],
        rateLimitWaits: 0,
      },
      {
        row: 1,
        laneId: 's',
        model: 'fake-slow',
        status: 'done',
        output: '{}',
        error: null,
        metrics: null,
        assertions: [
          { id: 'c', pass: false },
          { id: 'j', pass: true },
        ],
        rateLimitWaits: 0,
      },
    ],
    progress: {
      status: 'completed',
      total: 4,
      done: 3,
      failed: 1,
      cancelled: 0,
      running: 0,
      queued: 0,
      startedAt: 0,
      etaMs: null,
      pausedUntil: null,
      concurrency: 4,
      rateLimitWaits: 0,
      reason: null,
    },
  })
  const inputs = [{ city: 'Oslo' }, { city: 'Lima' }]

  it('counts passes per column and assertion', () => {
    expect(passCounts(snapshot)).toEqual({
      f: { c: { passed: 1, checked: 2 } },
      s: { c: { passed: 0, checked: 1 }, j: { passed: 1, checked: 1 } },
    })
  })

  it('writes one CSV line per input with each column’s answer, figures and checks, quoted safely', () => {
    const csv = batchToCsv(snapshot, inputs)
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const header = csv.slice(1).split('\r\n')[0]
    expect(header).toBe(
      'row,city,fake-fast output,fake-fast status,fake-fast error,fake-fast latency_ms,fake-fast ttft_ms,fake-fast completion_tokens,fake-fast decode_tokens_per_sec,"fake-fast contains ""Oslo""",fake-slow output,fake-slow status,fake-slow error,fake-slow latency_ms,fake-slow ttft_ms,fake-slow completion_tokens,fake-slow decode_tokens_per_sec,"fake-slow contains ""Oslo""",fake-slow valid JSON',
    )
    expect(csv).toContain('1,Oslo,"Oslo, ""Norway""\nyes",done,,123.46,10,7,2900,pass,,error,gone,,,,,,')
  })

  it('writes the same matrix as JSON with the inputs', () => {
    const json = JSON.parse(batchToJson(snapshot, inputs, new Date('2026-11-21T00:00:00Z')))
    expect(json).toMatchObject({ format: 'wafer-console.batch', batchId: 'b1', status: 'completed', exportedAt: '2026-11-21T00:00:00.000Z' })
    expect(json.rows[1]).toMatchObject({ row: 2, input: { city: 'Lima' }, results: { f: { output: 'Lima' }, s: { output: '{}' } } })
    expect(json.assertions[0].description).toBe('contains "Oslo"')
  })
})
