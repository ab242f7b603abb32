import { ManualFrames } from '@renderer/stream/frame-scheduler'
import { StreamHub, type StreamText } from '@renderer/stream/stream-hub'
import { BUCKET_MS, CAPACITY, ThroughputSeries } from '@renderer/stream/throughput'
import type { ChatDelta, ChatDone, ChatError, ChatRetry, ResponseMetrics } from '@shared/ipc/domains/chat'
import { describe, expect, it } from 'vitest'

type Listener = (p: unknown) => void

/** Stands in for `api.on`: lets the test emit main's chat events. */
class FakeEvents {
  private readonly listeners = new Map<string, Set<Listener>>()
  on(event: string, l: Listener): () => void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set())
    this.listeners.get(event)!.add(l)
    return () => this.listeners.get(event)!.delete(l)
  }
  emit(event: 'chat:delta', p: ChatDelta): void
  emit(event: 'chat:done', p: ChatDone): void
  emit(event: 'chat:error', p: ChatError): void
  emit(event: 'chat:retry', p: ChatRetry): void
  emit(event: string, p: unknown): void {
    this.listeners.get(event)?.forEach((l) => l(p))
  }
}

const metrics: ResponseMetrics = {
  ttftMs: 80,
  gapP50Ms: 1,
  gapP95Ms: 2,
  contentChunks: 3,
  clientTotalMs: 200,
  clientTokensPerSec: 100,
  serverDecodeTokensPerSec: 2000,
  queueMs: 1,
  promptMs: 1,
  completionMs: 10,
  serverTotalMs: 12,
  networkOverheadMs: 188,
  request: null,
  attempts: 1,
  retryWaitMs: 0,
}

function setup() {
  const events = new FakeEvents()
  const frames = new ManualFrames()
  let now = 1000
  const hub = new StreamHub(events as never, { frames, now: () => now, wallNow: () => 1_700_000_000_000 })
  return { events, frames, hub, advance: (ms: number) => (now += ms) }
}

describe('the stream hub', () => {
  it('appends deltas outside React and notifies painters once per frame, however many deltas arrived', () => {
    const { events, frames, hub, advance } = setup()
    hub.begin('r1', 'gpt-oss-120b')
    const paints: { content: string; final: boolean }[] = []
    hub.onText('r1', (t, final) => paints.push({ content: t.content, final }))
    advance(50)
    for (let i = 0; i < 10; i++) events.emit('chat:delta', { requestId: 'r1', seq: i, content: `w${i} ` })
    expect(paints).toEqual([])
    expect(hub.text('r1')!.content).toBe('w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ')
    expect(frames.pending).toBe(true)
    frames.frame()
    expect(paints).toEqual([{ content: 'w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ', final: false }])
    expect(hub.meta('r1')).toMatchObject({ status: 'streaming', firstTextMs: 50, seqGap: false })
    frames.frame() // nothing new: no paint
    expect(paints).toHaveLength(1)
  })

  it('keeps N concurrent streams apart and ends each with exactly one final paint', () => {
    const { events, frames, hub } = setup()
    const seen: Record<string, string[]> = { a: [], b: [] }
    for (const id of ['a', 'b']) {
      hub.begin(id, 'm')
      hub.onText(id, (t: StreamText, final) => seen[id].push(`${t.content}${final ? '|final' : ''}`))
    }
    events.emit('chat:delta', { requestId: 'a', seq: 0, content: 'A1' })
    events.emit('chat:delta', { requestId: 'b', seq: 0, content: 'B1' })
    events.emit('chat:delta', { requestId: 'zzz', seq: 0, content: 'not ours' })
    frames.frame()
    events.emit('chat:delta', { requestId: 'a', seq: 1, content: 'A2' })
    events.emit('chat:done', { requestId: 'a', model: 'm', completionId: 'c', finishReason: 'stop', usage: null, timeInfo: null, metrics })
    events.emit('chat:done', { requestId: 'a', model: 'm', completionId: 'c', finishReason: 'stop', usage: null, timeInfo: null, metrics })
    frames.frame()
    expect(seen.a).toEqual(['A1', 'A1A2|final'])
    expect(seen.b).toEqual(['B1'])
    expect(hub.meta('a')!.status).toBe('done')
    expect(hub.meta('b')!.status).toBe('streaming')
    expect(hub.text('zzz')).toBeUndefined()
  })

  it('keeps the partial text of a stopped or failed stream and marks how it ended', () => {
    const { events, frames, hub } = setup()
    hub.begin('s', 'm')
    events.emit('chat:delta', { requestId: 's', seq: 0, content: 'partial ', reasoning: 'thinking' })
    events.emit('chat:error', {
      requestId: 's',
      model: 'm',
      error: { code: 'aborted', message: 'Stopped.' },
      received: { contentChars: 8, reasoningChars: 8, toolCalls: 0 },
      metrics,
    })
    expect(hub.text('s')).toMatchObject({ content: 'partial ', reasoning: 'thinking' })
    expect(hub.meta('s')).toMatchObject({ status: 'aborted', error: { error: { code: 'aborted' } } })
    events.emit('chat:delta', { requestId: 's', seq: 1, content: 'late' })
    frames.frame()
    expect(hub.text('s')!.content).toBe('partial ') // a finished view is never reopened
    expect(hub.meta('s')!.status).toBe('aborted')

    hub.begin('f', 'm')
    hub.failToStart('f', { code: 'bad_request', message: 'Invalid arguments' })
    expect(hub.meta('f')).toMatchObject({ status: 'error', error: { error: { code: 'bad_request' } } })
  })

  it('shows the retry countdown, then streams, and flags a gap in the delta sequence', () => {
    const { events, frames, hub } = setup()
    hub.begin('r', 'm')
    events.emit('chat:retry', {
      requestId: 'r',
      reason: 'rate_limited',
      attempt: 1,
      maxRetries: 3,
      waitMs: 2000,
      remainingMs: 1000,
      retryAt: 0,
      message: 'Rate limited; retrying in 1 s',
    })
    expect(hub.meta('r')).toMatchObject({ status: 'retrying', retry: { remainingMs: 1000 } })
    events.emit('chat:delta', { requestId: 'r', seq: 0, content: 'x' })
    events.emit('chat:delta', { requestId: 'r', seq: 2, content: 'y' })
    frames.frame()
    expect(hub.meta('r')).toMatchObject({ status: 'streaming', retry: null, seqGap: true })
  })

  it('assembles tool calls from pieces by index', () => {
    const { events, hub } = setup()
    hub.begin('t', 'm')
    events.emit('chat:delta', { requestId: 't', seq: 0, toolCalls: [{ index: 1, id: 'call_b', name: 'second', arguments: '{"a"' }] })
    events.emit('chat:delta', { requestId: 't', seq: 1, toolCalls: [{ index: 0, id: 'call_a', name: 'first', arguments: '{}' }] })
    events.emit('chat:delta', { requestId: 't', seq: 2, toolCalls: [{ index: 1, arguments: ':1}' }] })
    expect(hub.text('t')!.toolCalls).toEqual([
      { index: 0, id: 'call_a', name: 'first', arguments: '{}' },
      { index: 1, id: 'call_b', name: 'second', arguments: '{"a":1}' },
    ])
  })

  it('scales the throughput series to the server token count when usage arrives', () => {
    const { events, hub, advance } = setup()
    hub.begin('u', 'm')
    advance(100)
    events.emit('chat:delta', { requestId: 'u', seq: 0, content: 'x'.repeat(400) })
    advance(100)
    events.emit('chat:delta', { requestId: 'u', seq: 1, content: 'x'.repeat(400) })
    const series = hub.series('u')!
    expect(series.calibrated).toBe(false)
    expect(series.tokens).toBe(200) // 800 characters at the 4-per-token guess
    events.emit('chat:done', {
      requestId: 'u',
      model: 'm',
      completionId: null,
      finishReason: 'stop',
      usage: { prompt_tokens: 5, completion_tokens: 100, total_tokens: 105 },
      timeInfo: null,
      metrics,
    })
    expect(series.calibrated).toBe(true)
    expect(series.tokens).toBeCloseTo(100)
    expect(series.points().map((p) => p.tokensPerSec)).toEqual([0, 500, 500])
  })
})

describe('the throughput series', () => {
  it('stays within its buffer on long streams by doubling the bucket width, keeping every character', () => {
    const s = new ThroughputSeries(0)
    for (let t = 0; t < CAPACITY * BUCKET_MS * 3; t += 10) s.add(t, 4)
    expect(s.width).toBe(BUCKET_MS * 4)
    const points = s.points()
    expect(points.length).toBeLessThanOrEqual(CAPACITY)
    expect(s.characters).toBe(((CAPACITY * BUCKET_MS * 3) / 10) * 4)
    // 4 characters (1 token) every 10 ms is 100 tokens/s in every full bucket.
    expect(points.slice(0, -1).every((p) => Math.abs(p.tokensPerSec - 100) < 1e-9)).toBe(true)
  })
})
