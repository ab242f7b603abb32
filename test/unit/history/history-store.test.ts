import { HistoryStore } from '@main/services/history'
import { toFtsQuery } from '@main/services/history/fts-query'
import type { OpenedDatabase } from '@main/storage/database'
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/ipc/domains/history'
import { WaferError } from '@shared/ipc/errors'
import { afterEach, describe, expect, it } from 'vitest'

import { freshDatabase, metrics, runInput } from './helpers'

let opened: OpenedDatabase | undefined
afterEach(() => opened?.close())

function store(now = () => 1_770_000_000_000): HistoryStore {
  opened = freshDatabase()
  return new HistoryStore(opened.db, now)
}

describe('saving and reading runs', () => {
  it('keeps request, response, reasoning, tool calls, usage, time_info, metrics and error exactly', () => {
    const s = store()
    const input = runInput({
      id: 'req-full',
      response: {
        content: 'partial answ',
        reasoning: 'thinking…',
        toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
        finishReason: null,
        completionId: null,
      },
      error: { code: 'aborted', message: 'Stopped by you', details: { hint: 'none' } },
      status: 'aborted',
      metrics: metrics({ ttftMs: 99, serverDecodeTokensPerSec: null }),
      policyVerdicts: [{ policy: 'pii', action: 'redact' }],
    })
    const saved = s.saveRun(input, 1234)
    expect(saved).toEqual({ id: 'req-full', savedAt: 1234 })
    const back = s.getRun('req-full')
    expect(back).toEqual({ ...input, groupId: null, prompt: null, endpoint: null, savedAt: 1234 })
  })

  it('replaces a run saved twice under the same id instead of duplicating it', () => {
    const s = store()
    const a = runInput({ id: 'same', answer: 'first text' })
    s.saveRun(a)
    s.saveRun({ ...a, response: { ...a.response, content: 'second text' } })
    expect(s.listRuns().runs.map((r) => r.id)).toEqual(['same'])
    expect(s.getRun('same').response.content).toBe('second text')
    expect(s.listRuns({ text: 'first' }).runs).toEqual([])
    expect(s.listRuns({ text: 'second' }).runs.map((r) => r.id)).toEqual(['same'])
  })

  it('rejects a malformed run with a clear message and a missing one with not_found', () => {
    const s = store()
    const bad = { ...runInput(), status: 'finished' } as unknown as Parameters<HistoryStore['saveRun']>[0]
    expect(() => s.saveRun(bad)).toThrow(/Cannot save the run: status/)
    try {
      s.getRun('nope')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(WaferError)
      expect((err as WaferError).code).toBe('not_found')
    }
  })

  it('lists newest first with previews and figures, and pages with a cursor without gaps or repeats', () => {
    const s = store()
    const ids: string[] = []
    for (let i = 0; i < 23; i++) {
      const r = runInput({ user: `question ${i}`, answer: `answer ${i}` })
      ids.push(r.id)
      s.saveRun(r)
    }
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = s.listRuns({ limit: 10, cursor })
      seen.push(...page.runs.map((r) => r.id))
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual([...ids].reverse())
    const first = s.listRuns({ limit: 1 }).runs[0]
    expect(first).toMatchObject({
      promptPreview: 'question 22',
      outputPreview: 'answer 22',
      ttftMs: 120,
      decodeTokensPerSec: 1800,
      promptTokens: 12,
      completionTokens: 40,
      status: 'ok',
      errorCode: null,
      snippet: null,
    })
  })

  it('orders by start time even when runs are saved out of order (imports), and in the same millisecond', () => {
    const s = store()
    s.saveRun(runInput({ id: 'late', startedAt: 3000 }))
    s.saveRun(runInput({ id: 'early', startedAt: 1000 }))
    s.saveRun(runInput({ id: 'mid-a', startedAt: 2000 }))
    s.saveRun(runInput({ id: 'mid-b', startedAt: 2000 }))
    expect(s.listRuns().runs.map((r) => r.id)).toEqual(['late', 'mid-b', 'mid-a', 'early'])
    expect(s.listRuns({ from: 2000, to: 2000 }).runs.map((r) => r.id)).toEqual(['mid-b', 'mid-a'])
    expect(s.listRuns({ from: 1500 }).runs.map((r) => r.id)).toEqual(['late', 'mid-b', 'mid-a'])
    expect(s.listRuns({ to: 1999 }).runs.map((r) => r.id)).toEqual(['early'])
  })

  it('filters by model, errors only, source and group, alone and together', () => {
    const s = store()
    s.saveRun(runInput({ id: 'a', request: { model: 'llama3.1-8b', messages: [{ role: 'user', content: 'x' }] } }))
    s.saveRun(
      runInput({
        id: 'b',
        request: { model: 'llama3.1-8b', messages: [{ role: 'user', content: 'x' }] },
        status: 'error',
        error: { code: 'model_not_found', message: 'Model llama3.1-8b does not exist' },
        response: { content: '', reasoning: null, toolCalls: [], finishReason: null, completionId: null },
      }),
    )
    s.saveRun(runInput({ id: 'c', status: 'error', error: { code: 'rate_limited', message: 'slow down' } }))
    s.saveRun(runInput({ id: 'd', status: 'aborted', source: 'compare', groupId: 'g1' }))
    s.saveRun(runInput({ id: 'e', source: 'compare', groupId: 'g1' }))
    const ids = (q: Parameters<HistoryStore['listRuns']>[0]) => s.listRuns(q).runs.map((r) => r.id)
    expect(ids({ model: 'llama3.1-8b' })).toEqual(['b', 'a'])
    expect(ids({ errorsOnly: true })).toEqual(['c', 'b'])
    expect(ids({ errorsOnly: true, model: 'llama3.1-8b' })).toEqual(['b'])
    expect(ids({ source: 'compare' })).toEqual(['e', 'd'])
    expect(ids({ groupId: 'g1', errorsOnly: true })).toEqual([])
    expect(s.listRuns({ errorsOnly: true }).runs[1]).toMatchObject({ errorCode: 'model_not_found', outputPreview: 'Model llama3.1-8b does not exist' })
    expect(s.models()).toEqual(['gpt-oss-120b', 'llama3.1-8b'])
  })

  it('finds runs by words in the prompt or the output, with a snippet, combined with filters', () => {
    const s = store()
    s.saveRun(runInput({ id: 'p', user: 'Explain the wafer-scale engine', answer: 'It is one big chip.' }))
    s.saveRun(runInput({ id: 'o', user: 'Name a colour', answer: 'Vermilion, a bright orange-red.' }))
    s.saveRun(
      runInput({
        id: 'r',
        user: 'Plan',
        answer: '',
        response: { content: 'ok', reasoning: 'consider the zeppelin', toolCalls: [], finishReason: 'stop', completionId: null },
      }),
    )
    s.saveRun(runInput({ id: 'x', user: 'Résumé tips', answer: 'Keep it short.' }))
    const ids = (q: Parameters<HistoryStore['listRuns']>[0]) => s.listRuns(q).runs.map((r) => r.id)
    expect(ids({ text: 'wafer' })).toEqual(['p'])
    expect(ids({ text: 'vermilion' })).toEqual(['o'])
    expect(ids({ text: 'zeppelin' })).toEqual(['r'])
    expect(ids({ text: 'verm' })).toEqual(['o']) // the last word is a prefix while typing
    expect(ids({ text: 'verm ' })).toEqual([]) // …but not once it is finished
    expect(ids({ text: 'resume' })).toEqual(['x']) // diacritics folded
    expect(ids({ text: '"big chip"' })).toEqual(['p'])
    expect(ids({ text: '"chip big"' })).toEqual([])
    expect(ids({ text: 'chip', model: 'llama3.1-8b' })).toEqual([])
    expect(s.listRuns({ text: 'vermilion' }).runs[0]).toMatchObject({
      snippet: expect.stringContaining(`${SNIPPET_OPEN}Vermilion${SNIPPET_CLOSE}`),
      matchedIn: 'answer',
    })
  })

  it('treats FTS operators and stray quotes as plain text instead of failing', () => {
    const s = store()
    s.saveRun(runInput({ id: 'q', user: 'What does NOT mean in SQL?', answer: 'Negation: col:value AND x' }))
    for (const text of ['NOT', 'AND OR NEAR', '"unbalanced', 'col:value', '-x', '*', '(', '""', '^start']) {
      expect(() => s.listRuns({ text })).not.toThrow()
    }
    expect(s.listRuns({ text: 'NOT mean' }).runs.map((r) => r.id)).toEqual(['q'])
    expect(s.listRuns({ text: 'col:value' }).runs.map((r) => r.id)).toEqual(['q'])
    expect(toFtsQuery('  ')).toBeNull()
    expect(toFtsQuery('a "b c" d')).toBe('"a" "b c" "d"*')
  })

  it('deletes runs and drops them from search', () => {
    const s = store()
    s.saveRun(runInput({ id: 'k1', answer: 'keep me' }))
    s.saveRun(runInput({ id: 'k2', answer: 'delete me' }))
    expect(s.deleteRuns(['k2', 'missing'])).toBe(1)
    expect(s.listRuns().runs.map((r) => r.id)).toEqual(['k1'])
    expect(s.listRuns({ text: 'delete' }).runs).toEqual([])
  })

  it('gives TTFT and decode speed points per model, newest first, skipping runs without figures', () => {
    const s = store()
    s.saveRun(runInput({ id: 'm1', startedAt: 1000, metrics: metrics({ ttftMs: 100, serverDecodeTokensPerSec: 2000 }) }))
    s.saveRun(runInput({ id: 'm2', startedAt: 2000, metrics: null, status: 'error', error: { code: 'network', message: 'down' } }))
    s.saveRun(
      runInput({
        id: 'm3',
        startedAt: 3000,
        request: { model: 'llama3.1-8b', messages: [{ role: 'user', content: 'x' }] },
        metrics: metrics({ ttftMs: 80, serverDecodeTokensPerSec: 2200 }),
      }),
    )
    expect(s.metricPoints()).toEqual([
      { id: 'm3', startedAt: 3000, model: 'llama3.1-8b', ttftMs: 80, decodeTokensPerSec: 2200 },
      { id: 'm1', startedAt: 1000, model: 'gpt-oss-120b', ttftMs: 100, decodeTokensPerSec: 2000 },
    ])
    expect(s.metricPoints({ model: 'gpt-oss-120b' }).map((p) => p.id)).toEqual(['m1'])
    expect(s.metricPoints({ from: 2500 }).map((p) => p.id)).toEqual(['m3'])
  })

  it('leaves a decode speed that cannot be honest out of the list, the charts and the medians, rows saved before the rule too', () => {
    const s = store()
    // A 2-token answer: Cerebras's completion_time made it "47,192 tok/s".
    s.saveRun(
      runInput({
        id: 'tiny',
        startedAt: 1000,
        usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
        metrics: metrics({ ttftMs: 90, serverDecodeTokensPerSec: 47_192, completionMs: 0.0424 }),
      }),
    )
    s.saveRun(runInput({ id: 'ok', startedAt: 2000, metrics: metrics({ ttftMs: 100, serverDecodeTokensPerSec: 2000 }) }))
    expect(s.metricPoints().map((p) => [p.id, p.decodeTokensPerSec])).toEqual([
      ['ok', 2000],
      ['tiny', null],
    ])
    expect(s.listRuns().runs.map((r) => [r.id, r.decodeTokensPerSec])).toEqual([
      ['ok', 2000],
      ['tiny', null],
    ])
    // The run itself keeps what was measured.
    expect(s.getRun('tiny').metrics?.serverDecodeTokensPerSec).toBe(47_192)
  })
})
