import { checkOutput, compileAssertions } from '@main/services/batch/assertions'
import { batchRunToHistory } from '@main/services/batch/history-record'
import { estimateRemainingMs } from '@main/services/batch/progress'
import { RateGate } from '@main/services/batch/rate-gate'
import { fillTemplate, templateVariables } from '@main/services/batch/template'
import { runCostUsd } from '@main/services/compare'
import type { CellMetrics } from '@shared/ipc/domains/compare'
import { RunInput } from '@shared/ipc/domains/history'
import { describe, expect, it } from 'vitest'

import { metrics } from './fake-chat'

const m = (totalMs: number | null): CellMetrics => ({ ttftMs: 1, totalMs, promptTokens: 1, completionTokens: 1, decodeTokensPerSec: 1 })

describe('prompt templates', () => {
  it('fills {{variables}} from a row and reports the ones it lacks', () => {
    expect(templateVariables('{{a}} {{ b }} {{a}} {{c.d}}')).toEqual(['a', 'b', 'c.d'])
    expect(fillTemplate('Hi {{ name }}, {{name}}! {{x}}', { name: 'Ada' })).toEqual({ text: 'Hi Ada, Ada! {{x}}', missing: ['x'] })
    // Values are inserted literally, even when they look like replacement patterns.
    expect(fillTemplate('{{v}}', { v: '$& $1 {{v}}' }).text).toBe('$& $1 {{v}}')
  })
})

describe('assertions', () => {
  const compiled = compileAssertions([
    { id: 'has', kind: 'contains', text: 'Paris' },
    { id: 'case', kind: 'contains', text: 'Paris', caseSensitive: true },
    { id: 're', kind: 'regex', pattern: '^\\d{3}-\\d{4}$', ignoreCase: false },
    { id: 'json', kind: 'json' },
    { id: 'schema', kind: 'json_schema', schema: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } },
    { id: 'fast', kind: 'max_latency', ms: 100 },
    { id: 'only-b', kind: 'json', laneId: 'b' },
  ])
  const results = (lane: string, output: string, metrics: CellMetrics | null = m(50)) =>
    Object.fromEntries(checkOutput(compiled, lane, output, metrics).map((r) => [r.id, r.pass]))

  it('checks contains (case-insensitive unless asked), regex, JSON, JSON schema and latency', () => {
    expect(results('a', 'paris')).toEqual({ has: true, case: false, re: false, json: false, schema: false, fast: true })
    expect(results('a', '555-1234', m(150))).toMatchObject({ re: true, fast: false })
    expect(results('a', '{"city": "Paris"}')).toMatchObject({ has: true, case: true, json: true, schema: true })
    expect(results('a', '{"town": "Paris"}')).toMatchObject({ json: true, schema: false })
    expect(results('a', 'x', null)).toMatchObject({ fast: false })
  })

  it('accepts JSON inside a ```json fence', () => {
    expect(results('a', '```json\n{"city": "Oslo"}\n```')).toMatchObject({ json: true, schema: true })
  })

  it('applies a column’s assertion to that column only', () => {
    expect(Object.keys(results('a', '{}'))).not.toContain('only-b')
    expect(results('b', '{}')['only-b']).toBe(true)
  })

  it('says why an assertion failed', () => {
    const byId = Object.fromEntries(checkOutput(compiled, 'a', '{"city": 3}', m(250)).map((r) => [r.id, r.detail]))
    expect(byId.has).toBe('does not contain "Paris"')
    expect(byId.schema).toMatch(/city/)
    expect(byId.fast).toBe('took 250 ms (limit 100 ms)')
  })

  it('runs a pattern that would backtrack forever in linear time', () => {
    const [evil] = compileAssertions([{ id: 'e', kind: 'regex', pattern: '(a+)+$' }])
    const started = Date.now()
    expect(evil.check(`${'a'.repeat(50_000)}b`, null).pass).toBe(false)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('refuses duplicate ids and patterns it cannot compile', () => {
    expect(() =>
      compileAssertions([
        { id: 'x', kind: 'json' },
        { id: 'x', kind: 'json' },
      ]),
    ).toThrow(/share the id/)
    expect(() => compileAssertions([{ id: 'r', kind: 'regex', pattern: '([a-z]' }])).toThrow(/cannot be used/)
  })
})

describe('the rate gate', () => {
  it('closes for everyone for the wait the server gives, and halves the concurrency once per pause', () => {
    const gate = new RateGate({ maxConcurrency: 8, random: () => 0.5 })
    const d = gate.onRateLimited(1000, 2000)
    expect(d).toEqual({ until: 3000, waitMs: 2000, source: 'server' })
    expect(gate.concurrency).toBe(4)
    expect(gate.pausedAt(2999)).toBe(3000)
    expect(gate.pausedAt(3000)).toBeNull()
    // More 429s from requests already in flight: the pause may lengthen, the limit is not halved again.
    gate.onRateLimited(1100, 500)
    gate.onRateLimited(1200, 2500)
    expect(gate.concurrency).toBe(4)
    expect(gate.pausedAt(1300)).toBe(3700)
  })

  it('backs off exponentially with jitter when the server gives no wait', () => {
    const gate = new RateGate({ maxConcurrency: 2, baseBackoffMs: 1000, maxBackoffMs: 4000, random: () => 0 })
    expect(gate.onRateLimited(0, undefined).waitMs).toBe(500)
    expect(gate.onRateLimited(10_000, undefined).waitMs).toBe(1000)
    expect(gate.onRateLimited(20_000, undefined).waitMs).toBe(2000)
    expect(gate.onRateLimited(30_000, undefined).waitMs).toBe(2000)
    expect(gate.concurrency).toBe(1)
  })

  it('raises the limit again only on successes of requests sent after the last 429', () => {
    const gate = new RateGate({ maxConcurrency: 4 })
    gate.onRateLimited(1000, 10) // 4 → 2
    gate.onSuccess(900)
    gate.onSuccess(950)
    expect(gate.concurrency).toBe(2)
    gate.onSuccess(1100)
    gate.onSuccess(1200)
    expect(gate.concurrency).toBe(3)
    for (let i = 0; i < 10; i++) gate.onSuccess(2000 + i)
    expect(gate.concurrency).toBe(4)
  })

  it('pauses on headers that show a minute or hour window used up, but not a day window', () => {
    const gate = new RateGate({ maxConcurrency: 2 })
    const win = (window: 'requests-minute' | 'tokens-day', remaining: number, resetsAt: number) => ({ window, limit: 10, remaining, resetSeconds: 1, resetsAt })
    expect(gate.onHeaders({ model: 'm', updatedAt: 0, windows: [win('requests-minute', 3, 5000)] }, 0)).toBeNull()
    expect(gate.onHeaders({ model: 'm', updatedAt: 0, windows: [win('tokens-day', 0, 99_000)] }, 0)).toBeNull()
    expect(gate.onHeaders({ model: 'm', updatedAt: 0, windows: [win('requests-minute', 0, 5000)] }, 0)).toEqual({
      until: 5000,
      waitMs: 5000,
      source: 'headers',
    })
    expect(gate.concurrency).toBe(2)
  })
})

describe('batch ETA', () => {
  it('projects the pace so far onto what is left, plus the rest of a pause', () => {
    expect(estimateRemainingMs({ startedAt: 0, now: 10_000, finished: 4, remaining: 6, pausedUntil: null })).toBe(15_000)
    expect(estimateRemainingMs({ startedAt: 0, now: 10_000, finished: 4, remaining: 6, pausedUntil: 12_000 })).toBe(17_000)
    expect(estimateRemainingMs({ startedAt: 0, now: 10_000, finished: 1, remaining: 6, pausedUntil: null })).toBeNull()
    expect(estimateRemainingMs({ startedAt: 0, now: 10_000, finished: 0, remaining: 0, pausedUntil: null })).toBe(0)
  })
})

describe('batch answers in history', () => {
  it('saves a cell as a valid history run of source batch, grouped by the batch', () => {
    const run = batchRunToHistory(
      {
        requestId: 'batch-1-1',
        batchId: 'b1',
        row: 0,
        laneId: 'l',
        model: 'gpt-oss-120b',
        request: { model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'hi' }] },
        startedAt: 1_700_000_000_000,
        outcome: {
          terminal: {
            kind: 'done',
            event: {
              requestId: 'batch-1-1',
              model: 'gpt-oss-120b',
              completionId: 'c1',
              finishReason: 'stop',
              usage: { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 },
              timeInfo: null,
              metrics: metrics(),
            },
          },
          content: 'hello',
          reasoning: '',
          toolCalls: [],
        },
      },
      runCostUsd('gpt-oss-120b', { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 }),
    )
    const parsed = RunInput.parse(run)
    expect(parsed).toMatchObject({ source: 'batch', groupId: 'b1', status: 'ok', response: { content: 'hello', reasoning: null } })
    expect(parsed.costUsd).toBeCloseTo(0.35 + 0.75, 10)
  })

  it('prices a run at the user’s override when there is one', () => {
    const usage = { prompt_tokens: 2_000_000, completion_tokens: 0, total_tokens: 2_000_000 }
    const state = { 'models.pricing-overrides': { 'gpt-oss-120b': { inputPer1M: 1, outputPer1M: null, updatedAt: 'x' } } } as Record<string, unknown>
    expect(runCostUsd('gpt-oss-120b', usage, (k) => state[k])).toBe(2)
    expect(runCostUsd('unknown-model', usage)).toBeNull()
    expect(runCostUsd('gpt-oss-120b', null)).toBeNull()
  })
})
