import { percentile, percentileLines } from '@renderer/features/history/percentiles'
import { docFromRequest, docFromRun } from '@renderer/features/history/reopen'
import { diffVersions } from '@renderer/features/history/version-diff'
import { buildRequest } from '@renderer/features/playground/build-request'
import { loadRequestChecks } from '@renderer/features/playground/request-checks'
import { RunInput, type RunRecord } from '@shared/ipc/domains/history'
import { beforeAll, describe, expect, it } from 'vitest'

import { promptDoc, runInput } from './helpers'

// The request's schemas load after the playground's first frame in the app (request-checks.ts); here, up front.
beforeAll(() => loadRequestChecks())

const record = (over: Parameters<typeof runInput>[0] = {}): RunRecord => ({ ...RunInput.parse(runInput(over)), savedAt: 1 })

describe('reopening a run in the playground', () => {
  it('restores the prompt as written, with its variables, followed by the answer', () => {
    const doc = docFromRun(record({ prompt: promptDoc(), answer: 'A one-line summary.' }))
    expect(doc.variables).toEqual({ topic: 'wafer-scale chips' })
    expect(doc.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Summarise {{topic}} in one line.'],
      ['assistant', 'A one-line summary.'],
    ])
  })

  it('rebuilds an editable prompt from the exact request when none was kept, and it sends the same request', () => {
    const request = {
      model: 'gpt-oss-120b',
      messages: [
        { role: 'system' as const, content: 'Be terse.' },
        { role: 'user' as const, content: 'Weather?' },
        { role: 'assistant' as const, content: null, tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'weather', arguments: '{}' } }] },
        { role: 'tool' as const, content: 'sunny', tool_call_id: 'c1' },
      ],
      temperature: 0.4,
      max_completion_tokens: 300,
      stop: 'END',
      reasoning_effort: 'low' as const,
      response_format: { type: 'json_schema' as const, json_schema: { name: 'r', schema: { type: 'object' }, strict: false } },
      tools: [{ type: 'function' as const, function: { name: 'weather' } }],
    }
    const doc = docFromRequest(request)
    expect(doc.params).toMatchObject({
      temperature: 0.4,
      maxCompletionTokens: 300,
      stop: ['END'],
      reasoningEffort: 'low',
      responseFormat: 'json_schema',
      schemaName: 'r',
      schemaStrict: false,
    })
    const rebuilt = buildRequest(doc)
    expect(rebuilt.issues.filter((i) => i.level === 'error')).toEqual([])
    expect(rebuilt.request).toEqual({ ...request, stop: ['END'] })
  })

  it('does not add an empty answer for a run that failed before any text', () => {
    const doc = docFromRun(
      record({
        status: 'error',
        error: { code: 'network', message: 'down' },
        response: { content: '', reasoning: null, toolCalls: [], finishReason: null, completionId: null },
      }),
    )
    expect(doc.messages.map((m) => m.role)).toEqual(['user'])
  })
})

describe('percentile lines for the Metrics view', () => {
  it('interpolates percentiles between ranks', () => {
    expect(percentile([10], 95)).toBe(10)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5)
    expect(percentile([0, 100], 95)).toBeCloseTo(95)
  })

  it('groups runs per model and bucket, skipping runs without the figure, placed at their mean time', () => {
    const pts = [
      { id: 'a', startedAt: 1000, model: 'm1', ttftMs: 100, decodeTokensPerSec: 10 },
      { id: 'b', startedAt: 3000, model: 'm1', ttftMs: 300, decodeTokensPerSec: null },
      { id: 'c', startedAt: 2000, model: 'm2', ttftMs: 50, decodeTokensPerSec: 20 },
      { id: 'd', startedAt: 12_000, model: 'm1', ttftMs: 80, decodeTokensPerSec: 30 },
      { id: 'e', startedAt: 12_500, model: 'm1', ttftMs: null, decodeTokensPerSec: 40 },
    ]
    expect(percentileLines(pts, 'ttftMs', 10_000)).toEqual([
      { t: 2000, bucket: 0, model: 'm1', count: 2, p50: 200, p95: 290 },
      { t: 2000, bucket: 0, model: 'm2', count: 1, p50: 50, p95: 50 },
      { t: 12_000, bucket: 10_000, model: 'm1', count: 1, p50: 80, p95: 80 },
    ])
    expect(percentileLines(pts, 'decodeTokensPerSec', 10_000).map((r) => [r.model, r.count, r.p50])).toEqual([
      ['m1', 1, 10],
      ['m2', 1, 20],
      ['m1', 2, 35],
    ])
  })
})

describe('diffing two prompt versions', () => {
  it('marks changed words, added and removed messages, parameters and variables', () => {
    const a = promptDoc({ system: 'You are a terse assistant.' })
    const b = promptDoc({
      system: 'You are a poetic assistant.',
      messages: [...promptDoc().messages, { id: 'm2', role: 'user', content: 'And again.' }],
      variables: { topic: 'tides' },
    })
    b.params = { ...b.params, temperature: 0.9, topP: 0.8, toolsText: '[{"type":"function","function":{"name":"lookup"}}]', maxCompletionTokens: 256 }
    const d = diffVersions(a, b)
    expect(d.texts[0].left?.filter((s) => s.kind === 'removed').map((s) => s.text)).toEqual(['terse'])
    expect(d.texts[0].right?.filter((s) => s.kind === 'added').map((s) => s.text)).toEqual(['poetic'])
    expect(d.texts[1].changed).toBe(false)
    expect(d.texts[2]).toMatchObject({ label: 'Message 2 (user)', left: null, changed: true })
    // Parameters go by the names the API gives them in the request body, not the editor's.
    expect(d.params.filter((p) => p.changed).map((p) => p.name)).toEqual(['temperature', 'top_p', 'max_completion_tokens', 'tools'])
    expect(d.params.find((p) => p.name === 'temperature')).toEqual({ name: 'temperature', left: '0.2', right: '0.9', changed: true })
    expect(d.params.find((p) => p.name === 'top_p')).toMatchObject({ left: '—', right: '0.8' })
    expect(d.params.map((p) => p.name)).not.toContain('topP')
    expect(d.params.map((p) => p.name)).not.toContain('toolsText')
    expect(d.variables).toEqual([{ name: 'topic', left: 'wafer-scale chips', right: 'tides', changed: true }])
  })
})
