import { computeMetrics, percentile, ResponseTimings } from '@main/services/cerebras/response-metrics'
import { describe, expect, it } from 'vitest'

describe('response metrics', () => {
  it('computes client and server figures from what was measured and reported', () => {
    const t = new ResponseTimings(1000)
    for (const at of [1120, 1120, 1120, 1130, 1140, 1190]) t.token(at)
    t.end(1200)
    const m = computeMetrics({
      timings: t,
      streamed: true,
      usage: { prompt_tokens: 10, completion_tokens: 60, total_tokens: 70 },
      timeInfo: { queue_time: 0.01, prompt_time: 0.02, completion_time: 0.05, total_time: 0.09 },
      request: null,
      attempts: 1,
      retryWaitMs: 0,
    })
    expect(m.ttftMs).toBe(120)
    expect(m.clientTotalMs).toBe(200)
    // Gaps: 0, 0, 10, 10, 50 → p50 10, p95 50.
    expect(m.gapP50Ms).toBe(10)
    expect(m.gapP95Ms).toBe(50)
    expect(m.clientTokensPerSec).toBe(300)
    expect(m.serverDecodeTokensPerSec).toBe(1200)
    expect(m.queueMs).toBe(10)
    expect(m.promptMs).toBe(20)
    expect(m.completionMs).toBe(50)
    expect(m.serverTotalMs).toBe(90)
    expect(m.networkOverheadMs).toBe(110)
    expect(m.contentChunks).toBe(6)
  })

  it('leaves out what was not reported: no usage, no tokens/s; no time_info, no server times', () => {
    const t = new ResponseTimings(0)
    t.token(50)
    t.end(80)
    const m = computeMetrics({ timings: t, streamed: true, usage: null, timeInfo: null, request: null, attempts: 2, retryWaitMs: 1500 })
    expect(m).toMatchObject({
      ttftMs: 50,
      gapP50Ms: null,
      clientTokensPerSec: null,
      serverDecodeTokensPerSec: null,
      queueMs: null,
      serverTotalMs: null,
      networkOverheadMs: null,
      attempts: 2,
      retryWaitMs: 1500,
    })
  })

  it('has no TTFT when nothing streamed or the call was not streamed', () => {
    const none = new ResponseTimings(0)
    none.end(10)
    expect(computeMetrics({ timings: none, streamed: true, usage: null, timeInfo: null, request: null, attempts: 1, retryWaitMs: 0 }).ttftMs).toBeNull()
    const t = new ResponseTimings(0)
    t.token(5)
    t.end(10)
    expect(computeMetrics({ timings: t, streamed: false, usage: null, timeInfo: null, request: null, attempts: 1, retryWaitMs: 0 }).ttftMs).toBeNull()
  })

  it('percentile is nearest-rank', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2)
    expect(percentile([1, 2, 3, 4], 0.95)).toBe(4)
    expect(percentile([7], 0.5)).toBe(7)
  })
})
