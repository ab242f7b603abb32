import { BatchRunner, type FinishedRun } from '@main/services/batch/batch-runner'
import { systemClock } from '@main/services/cerebras/clock'
import { type BatchCell, type BatchProgress, BatchStartArgs } from '@shared/ipc/domains/compare'
import { WaferError } from '@shared/ipc/errors'
import { describe, expect, it } from 'vitest'

import { FakeChat, type Script } from './fake-chat'

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ city: `City ${i + 1}`, id: String(i + 1) }))

function args(over: Partial<BatchStartArgs> = {}) {
  return BatchStartArgs.parse({
    rows: rows(5),
    template: { user: 'What country is {{city}} in?' },
    lanes: [
      { laneId: 'fast', model: 'fake-fast' },
      { laneId: 'slow', model: 'fake-slow', params: { temperature: 0.2 } },
    ],
    concurrency: 3,
    ...over,
  })
}

function harness(script: Script, opts: ConstructorParameters<typeof BatchRunner>[0] extends infer D ? Partial<D> : never = {}) {
  const chat = new FakeChat(script)
  const progress: Array<{ cells: BatchCell[]; progress: BatchProgress }> = []
  const done: BatchProgress[] = []
  const finishedRuns: FinishedRun[] = []
  const runner = new BatchRunner({
    chat,
    clock: systemClock,
    progressIntervalMs: 5,
    gate: { baseBackoffMs: 20, maxBackoffMs: 40 },
    onRunFinished: (r) => finishedRuns.push(r),
    ...opts,
  })
  const events = {
    progress: (p: { cells: BatchCell[]; progress: BatchProgress }) => progress.push(p),
    done: (d: { progress: BatchProgress }) => done.push(d.progress),
  }
  return { chat, runner, progress, done, finishedRuns, events }
}

describe('the batch runner', () => {
  it('runs every input over every column, bounded, row by row, and checks the assertions', async () => {
    const h = harness((a) => ({ delayMs: 15, content: a.request.model === 'fake-fast' ? '{"country": "X"}' : 'It is in X.' }))
    const started = h.runner.start(
      args({
        assertions: [
          { id: 'json', kind: 'json' },
          { id: 'x', kind: 'contains', text: 'x' },
          { id: 'fast-only', kind: 'max_latency', ms: 10, laneId: 'fast' },
        ],
      }),
      h.events,
    )
    expect(started.total).toBe(10)
    await h.runner.finished(started.batchId)

    const snap = h.runner.get(started.batchId)
    expect(snap.progress).toMatchObject({ status: 'completed', total: 10, done: 10, failed: 0, queued: 0, running: 0, etaMs: null })
    expect(snap.cells.map((c) => `${c.row}:${c.laneId}`)).toEqual([0, 1, 2, 3, 4].flatMap((r) => [`${r}:fast`, `${r}:slow`]))
    expect(h.chat.maxInFlight).toBe(3)
    // Row-major: the first requests are row 0's two columns, then row 1's.
    expect(h.chat.calls.slice(0, 3).map((c) => c.args.request.messages[0].content)).toEqual([
      'What country is City 1 in?',
      'What country is City 1 in?',
      'What country is City 2 in?',
    ])
    expect(h.chat.calls[1].args.request).toMatchObject({ model: 'fake-slow', temperature: 0.2 })
    // Each request leaves 429s to the queue.
    expect(h.chat.calls.every((c) => c.args.retry?.maxRateLimitRetries === 0)).toBe(true)

    const fast = snap.cells.filter((c) => c.laneId === 'fast')
    const slow = snap.cells.filter((c) => c.laneId === 'slow')
    expect(fast.every((c) => c.assertions.map((a) => `${a.id}:${a.pass}`).join() === 'json:true,x:true,fast-only:false')).toBe(true)
    expect(slow.every((c) => c.assertions.map((a) => `${a.id}:${a.pass}`).join() === 'json:false,x:true')).toBe(true)
    expect(fast[0].assertions[2].detail).toBe('took 50 ms (limit 10 ms)')
    expect(fast[0].metrics).toMatchObject({ completionTokens: 20, promptTokens: 10, totalMs: 50, ttftMs: 10, decodeTokensPerSec: 1000 })

    expect(h.done).toHaveLength(1)
    expect(h.finishedRuns).toHaveLength(10)
    expect(new Set(h.finishedRuns.map((r) => r.requestId)).size).toBe(10)
    // Progress events carry only changed cells and end with the final counts.
    expect(h.progress.at(-1)!.progress.done).toBe(10)
    expect(h.progress.every((p) => p.cells.length <= 10)).toBe(true)
  })

  it('pauses the whole queue on a 429, halves the concurrency, and retries the refused cell after the wait', async () => {
    const h = harness((_a, call) =>
      call === 1 ? { delayMs: 5, error: { code: 'rate_limited', message: 'Cerebras rate limit reached', details: { resetSeconds: 0.15 } } } : { delayMs: 5 },
    )
    const { batchId } = h.runner.start(args({ concurrency: 4 }), h.events)
    await h.runner.finished(batchId)
    const snap = h.runner.get(batchId)
    expect(snap.progress).toMatchObject({ status: 'completed', done: 10, failed: 0, rateLimitWaits: 1 })
    expect(snap.cells[1].rateLimitWaits).toBe(1)
    expect(h.chat.calls).toHaveLength(11)
    // Nothing was sent while the gate was closed (the 150 ms the server asked for).
    const refused = h.chat.calls[1]
    const after = h.chat.calls.filter((c) => c.startSeq > refused.settleSeq!)
    expect(after.length).toBeGreaterThan(0)
    expect(Math.min(...after.map((c) => c.startedAt)) - refused.settledAt!).toBeGreaterThanOrEqual(145)
    // The refused cell went back to the front of the queue.
    const afterPause = after[0]
    expect(afterPause.args.request).toMatchObject({ model: 'fake-slow' })
    expect(afterPause.args.request.messages[0].content).toBe('What country is City 1 in?')
    expect(h.progress.some((p) => p.progress.pausedUntil !== null && p.progress.concurrency === 2)).toBe(true)
    // The refused attempt is not a run of its own in history.
    expect(h.finishedRuns).toHaveLength(10)
  })

  it('does not fire a burst of retries when several requests are refused at once', async () => {
    let refusals = 0
    const h = harness(() => {
      if (refusals < 4) {
        refusals++
        return { delayMs: 5, error: { code: 'rate_limited', message: 'limit' } }
      }
      return { delayMs: 5 }
    })
    const { batchId } = h.runner.start(args({ concurrency: 4 }), h.events)
    await h.runner.finished(batchId)
    const snap = h.runner.get(batchId)
    expect(snap.progress.status).toBe('completed')
    expect(snap.progress.done).toBe(10)
    // Four refusals arrived together: one pause, one halving (4 → 2), not four.
    const lowest = Math.min(...h.progress.map((p) => p.progress.concurrency))
    expect(lowest).toBe(2)
    // After the pause the requeued cells go out at the lowered concurrency, not all at once.
    const firstAfter = h.chat.calls.slice(4)
    const gap = firstAfter[2].startedAt - firstAfter[0].startedAt
    expect(gap).toBeGreaterThanOrEqual(3)
  })

  it('stops instead of waiting hours when the server asks for a daily-quota wait, keeping finished cells', async () => {
    const h = harness((_a, call) =>
      call >= 4
        ? { delayMs: 5, error: { code: 'rate_limited', message: 'Cerebras rate limit reached for fake-fast: token quota.', details: { resetSeconds: 86_399 } } }
        : { delayMs: 5 },
    )
    const { batchId } = h.runner.start(args({ concurrency: 1 }), h.events)
    await h.runner.finished(batchId)
    const snap = h.runner.get(batchId)
    expect(snap.progress.status).toBe('failed')
    expect(snap.progress.reason).toMatch(/stopped rather than wait 24 h/)
    expect(snap.progress.done).toBe(4)
    expect(snap.cells[4]).toMatchObject({ status: 'error', error: { code: 'rate_limited' } })
    expect(snap.cells.slice(5).every((c) => c.status === 'cancelled')).toBe(true)
    expect(h.chat.calls).toHaveLength(5)
  })

  it('gives up on a cell after the allowed number of rate-limit waits', async () => {
    const h = harness(
      (a) =>
        a.request.model === 'fake-slow' ? { delayMs: 2, error: { code: 'rate_limited', message: 'limit', details: { resetSeconds: 0.001 } } } : { delayMs: 2 },
      {
        maxRateLimitWaitsPerCell: 2,
      },
    )
    const { batchId } = h.runner.start(args({ rows: rows(1) }), h.events)
    await h.runner.finished(batchId)
    const snap = h.runner.get(batchId)
    expect(snap.cells[1]).toMatchObject({ status: 'error', rateLimitWaits: 2, error: { code: 'rate_limited' } })
    expect(h.chat.calls.filter((c) => c.args.request.model === 'fake-slow')).toHaveLength(3)
  })

  it('waits for a window the headers show exhausted before sending more', async () => {
    const h = harness((a, call) =>
      call === 0
        ? {
            delayMs: 2,
            rateLimit: {
              model: a.request.model,
              updatedAt: Date.now(),
              windows: [{ window: 'requests-minute', limit: 30, remaining: 0, resetSeconds: 0.12, resetsAt: Date.now() + 120 }],
            },
          }
        : { delayMs: 2 },
    )
    const { batchId } = h.runner.start(args({ rows: rows(2), concurrency: 1 }), h.events)
    await h.runner.finished(batchId)
    const [first, second] = h.chat.calls
    expect(second.startedAt - first.startedAt).toBeGreaterThanOrEqual(100)
    expect(h.runner.get(batchId).progress.done).toBe(4)
  })

  it('cancels: stops the queue and the requests in flight, and keeps finished cells and partial text', async () => {
    const h = harness((_a, call) => ({ delayMs: call < 2 ? 5 : 400, content: 'a long answer that streams slowly' }))
    const { batchId } = h.runner.start(args({ concurrency: 2 }), h.events)
    // Cancel once the two quick cells are done and the slow ones are streaming.
    await expect.poll(() => h.runner.get(batchId).progress.done).toBe(2)
    expect(h.runner.cancel(batchId)).toBe(true)
    expect(h.runner.cancel(batchId)).toBe(false)
    await h.runner.finished(batchId)
    const snap = h.runner.get(batchId)
    expect(snap.progress).toMatchObject({ status: 'cancelled', done: 2, cancelled: 8, running: 0, queued: 0 })
    expect(snap.progress.reason).toContain('Cancelled')
    expect(snap.cells.slice(0, 2).every((c) => c.status === 'done' && c.output)).toBe(true)
    const stopped = snap.cells.filter((c) => c.status === 'cancelled' && c.output)
    expect(stopped.map((c) => c.output)).toEqual(['a long answer tha', 'a long answer tha'])
    expect(h.chat.calls).toHaveLength(4)
    expect(h.done).toHaveLength(1)
    expect(h.done[0].status).toBe('cancelled')
  })

  it('refuses a prompt variable no input has, before sending anything', () => {
    const h = harness(() => ({}))
    expect(() => h.runner.start(args({ template: { user: '{{cty}} and {{city}}' } }), h.events)).toThrow(/\{\{cty\}\} but no input has that column/)
    expect(h.chat.calls).toHaveLength(0)
  })

  it('fails only the inputs that lack a value, and sends the rest', async () => {
    const h = harness(() => ({ delayMs: 2 }))
    const input: Record<string, string>[] = [{ city: 'Oslo' }, { other: 'x' }, { city: 'Lima' }]
    const { batchId } = h.runner.start(args({ rows: input, lanes: [{ laneId: 'a', model: 'm' }] }), h.events)
    await h.runner.finished(batchId)
    const snap = h.runner.get(batchId)
    expect(snap.cells.map((c) => c.status)).toEqual(['done', 'error', 'done'])
    expect(snap.cells[1].error?.message).toBe('Input 2 has no value for {{city}}, so it was not sent.')
    expect(h.chat.calls).toHaveLength(2)
  })

  it('refuses an assertion that cannot run or names a missing column', () => {
    const h = harness(() => ({}))
    expect(() => h.runner.start(args({ assertions: [{ id: 'r', kind: 'regex', pattern: '(unclosed' }] }), h.events)).toThrow(WaferError)
    expect(() => h.runner.start(args({ assertions: [{ id: 'j', kind: 'json', laneId: 'nope' }] }), h.events)).toThrow(/not in the batch/)
  })

  it('stops the batch when the key is refused, since every cell would fail the same way', async () => {
    const h = harness(() => ({ delayMs: 2, error: { code: 'auth', message: 'Cerebras refused the API key' } }))
    const { batchId } = h.runner.start(args({ concurrency: 1 }), h.events)
    await h.runner.finished(batchId)
    const snap = h.runner.get(batchId)
    expect(snap.progress.status).toBe('failed')
    expect(snap.progress.failed).toBe(1)
    expect(snap.progress.cancelled).toBe(9)
    expect(h.chat.calls).toHaveLength(1)
  })

  it('answers not_found for a batch it does not have', () => {
    const h = harness(() => ({}))
    expect(() => h.runner.get('nope')).toThrow(/No batch nope/)
  })
})
