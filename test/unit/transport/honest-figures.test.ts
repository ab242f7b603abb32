import { computeMetrics, ResponseTimings } from '@main/services/cerebras/response-metrics'
import { chipsFor } from '@renderer/ui/chip-figures'
import type { ResponseMetrics, Usage } from '@shared/ipc/domains/chat'
import { honestFigures, honestNetworkShare, honestRate, honestStoredRate, MIN_RATE_SPAN_MS, MIN_RATE_TOKENS } from '@shared/metrics/honest-figures'
import { describe, expect, it } from 'vitest'

/* The honesty rule: a tokens/s or "network + client" figure that cannot mean what it says is withheld, with why. */

function measured(opts: { tokens: number; completionS: number; totalS: number; clientMs: number }): { metrics: ResponseMetrics; usage: Usage } {
  const t = new ResponseTimings(0)
  t.token(opts.clientMs / 2)
  t.end(opts.clientMs)
  const usage = { prompt_tokens: 40, completion_tokens: opts.tokens, total_tokens: 40 + opts.tokens }
  const metrics = computeMetrics({
    timings: t,
    streamed: true,
    usage,
    timeInfo: { queue_time: 0.001, prompt_time: 0.001, completion_time: opts.completionS, total_time: opts.totalS },
    request: null,
    attempts: 1,
    retryWaitMs: 0,
  })
  return { metrics, usage }
}

describe('rates', () => {
  it('are shown when enough tokens came over a long enough time', () => {
    expect(honestRate(360, 120)).toEqual({ value: 3000, withheld: null })
    expect(honestRate(MIN_RATE_TOKENS, MIN_RATE_SPAN_MS)).toEqual({ value: 1600, withheld: null })
  })

  it('are withheld for too few tokens: a 2-token answer is not "47,192 tok/s"', () => {
    expect(honestRate(2, 0.0424)).toEqual({ value: null, withheld: { kind: 'too_few_tokens', tokens: 2, min: MIN_RATE_TOKENS } })
    expect(honestRate(MIN_RATE_TOKENS - 1, 1000).withheld?.kind).toBe('too_few_tokens')
  })

  it('are withheld over too short a time, however many tokens', () => {
    expect(honestRate(500, 2)).toEqual({ value: null, withheld: { kind: 'too_short', spanMs: 2, min: MIN_RATE_SPAN_MS } })
  })

  it('are simply unknown without tokens or a span', () => {
    expect(honestRate(null, 100)).toEqual({ value: null, withheld: null })
    expect(honestRate(100, 0)).toEqual({ value: null, withheld: null })
  })

  it('checks a stored quotient by the span its token count implies (History rows saved before the rule)', () => {
    expect(honestStoredRate(47_192, 2).withheld?.kind).toBe('too_few_tokens')
    expect(honestStoredRate(200_000, 400).withheld?.kind).toBe('too_short')
    expect(honestStoredRate(2200, 600)).toEqual({ value: 2200, withheld: null })
    expect(honestStoredRate(null, 600)).toEqual({ value: null, withheld: null })
  })
})

describe('network + client', () => {
  it('is the client total minus the server total when the client span is the longer', () => {
    expect(honestNetworkShare(240, 90)).toEqual({ value: 150, withheld: null })
  })

  it('is withheld when the server total exceeds the client span (two clocks), never negative', () => {
    expect(honestNetworkShare(120, 295)).toEqual({ value: null, withheld: { kind: 'clock_domains', clientTotalMs: 120, serverTotalMs: 295 } })
  })
})

describe('one response', () => {
  it('withholds what cannot be honest and keeps the rest as measured', () => {
    const { metrics, usage } = measured({ tokens: 2, completionS: 0.0000424, totalS: 0.3, clientMs: 150 })
    // computeMetrics keeps the raw quotients: the rule decides what is shown.
    expect(metrics.serverDecodeTokensPerSec).toBeGreaterThan(40_000)
    expect(metrics.networkOverheadMs).toBeLessThan(0)
    const h = honestFigures(metrics, usage)
    expect(h.serverDecodeTokensPerSec.withheld?.kind).toBe('too_few_tokens')
    expect(h.clientTokensPerSec.withheld?.kind).toBe('too_few_tokens')
    expect(h.networkOverheadMs.withheld?.kind).toBe('clock_domains')
  })

  it('keeps every figure of an ordinary answer', () => {
    const { metrics, usage } = measured({ tokens: 300, completionS: 0.1, totalS: 0.12, clientMs: 400 })
    const h = honestFigures(metrics, usage)
    expect(h.serverDecodeTokensPerSec).toEqual({ value: 3000, withheld: null })
    expect(h.clientTokensPerSec).toEqual({ value: 750, withheld: null })
    expect(h.networkOverheadMs).toEqual({ value: 280, withheld: null })
  })
})

describe('the playground chips', () => {
  it('show "—" with the reason for a withheld figure, and the figure otherwise', () => {
    const { metrics, usage } = measured({ tokens: 2, completionS: 0.0000424, totalS: 0.3, clientMs: 150 })
    const chips = Object.fromEntries(chipsFor(metrics, usage, null).map((c) => [c.id, c]))
    expect(chips.decode.value).toBe('—')
    expect(chips.decode.why).toBe('Not shown: only 2 tokens. A speed needs at least 16; with fewer, one token more or less swings it.')
    expect(chips.network.value).toBe('—')
    expect(chips.network.why).toMatch(/server's total_time \(300 ms\) is longer than the whole request as this app timed it \(150 ms\)/)
    expect(chips.ttft.why).toBeUndefined()

    const ok = measured({ tokens: 300, completionS: 0.1, totalS: 0.12, clientMs: 400 })
    const fine = Object.fromEntries(chipsFor(ok.metrics, ok.usage, null).map((c) => [c.id, c]))
    expect(fine.decode).toMatchObject({ value: '3,000 tok/s', why: null })
    expect(fine.network).toMatchObject({ value: '280 ms', why: null })
  })

  it('show cached prompt tokens when the server reports them, priced at the input rate and saying so', () => {
    const { metrics } = measured({ tokens: 300, completionS: 0.1, totalS: 0.12, clientMs: 400 })
    const usage = { prompt_tokens: 700, completion_tokens: 300, total_tokens: 1000, prompt_tokens_details: { cached_tokens: 512 } }
    const chips = Object.fromEntries(chipsFor(metrics, usage, 0.0002).map((c) => [c.id, c]))
    expect(chips.cached.value).toBe('512')
    expect(chips.cached.title).toMatch(/priced at the input rate: Cerebras publishes no discount/)
    expect(chips.cost.title).toMatch(/priced at the input rate/)
    // Not reported: no chip rather than a made-up 0.
    expect(chipsFor(metrics, { prompt_tokens: 7, completion_tokens: 300, total_tokens: 307 }, null).some((c) => c.id === 'cached')).toBe(false)
  })
})
