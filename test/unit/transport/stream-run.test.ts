import { CerebrasClient } from '@main/services/cerebras/cerebras-client'
import type { ChatPolicyGate } from '@main/services/cerebras/chat-policy'
import type { ChatRunDeps, ChatSink } from '@main/services/cerebras/chat-run'
import type { Clock } from '@main/services/cerebras/clock'
import { ModelsService } from '@main/services/cerebras/models-service'
import { RateLimitStore } from '@main/services/cerebras/rate-limits'
import { DEFAULT_RETRY_POLICY } from '@main/services/cerebras/retry-policy'
import { StreamRun } from '@main/services/cerebras/stream-run'
import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import type { ChatDelta, ChatDone, ChatError, ChatRetry, ChatStartArgs } from '@shared/ipc/domains/chat'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { FastForwardClock } from '../../support/test-clocks'

// StreamRun's states, driven against the fake Cerebras server: policy check →
// attempt (→ waiting → attempt)* → exactly one done or error.

const fake = new FakeCerebras({ ttftMs: 2, tokensPerSecond: 20_000, replyTokens: 120 })
let baseUrl: string
beforeAll(async () => {
  baseUrl = await fake.start()
})
afterAll(() => fake.stop())
beforeEach(() => fake.reset())

/** Every event the run sent, in order. */
class RecordingSink implements ChatSink {
  readonly events: Array<{ kind: 'delta'; e: ChatDelta } | { kind: 'retry'; e: ChatRetry } | { kind: 'done'; e: ChatDone } | { kind: 'error'; e: ChatError }> =
    []
  onDelta?: (d: ChatDelta) => void
  onRetry?: (r: ChatRetry) => void
  delta(e: ChatDelta) {
    this.events.push({ kind: 'delta', e })
    this.onDelta?.(e)
  }
  retry(e: ChatRetry) {
    this.events.push({ kind: 'retry', e })
    this.onRetry?.(e)
  }
  done(e: ChatDone) {
    this.events.push({ kind: 'done', e })
  }
  error(e: ChatError) {
    this.events.push({ kind: 'error', e })
  }
  get deltas() {
    return this.events.flatMap((x) => (x.kind === 'delta' ? [x.e] : []))
  }
  get retries() {
    return this.events.flatMap((x) => (x.kind === 'retry' ? [x.e] : []))
  }
  get terminals() {
    return this.events.filter((x) => x.kind === 'done' || x.kind === 'error')
  }
  get text() {
    return this.deltas.map((d) => d.content ?? '').join('')
  }
}

function deps(clock: Clock, policy?: ChatPolicyGate): ChatRunDeps {
  const client = new CerebrasClient({ fetch, now: () => clock.now() })
  return {
    client,
    models: new ModelsService({ client, fetch, clock }),
    rateLimits: new RateLimitStore(),
    clock,
    retryPolicy: DEFAULT_RETRY_POLICY,
    coalesceMs: 16,
    idleTimeoutMs: 10_000,
    modelHintTimeoutMs: 1000,
    policy,
  }
}

let n = 0
function run(opts: { args?: Partial<ChatStartArgs>; clock?: Clock; policy?: ChatPolicyGate; sink?: RecordingSink } = {}) {
  const clock = opts.clock ?? new FastForwardClock()
  const sink = opts.sink ?? new RecordingSink()
  const controller = new AbortController()
  const args: ChatStartArgs = { request: { model: 'fake-fast', messages: [{ role: 'user', content: 'Tell me about wafers.' }] }, ...opts.args }
  const call = { requestId: `run-${++n}`, args, connection: { baseUrl, apiKey: 'csk-test', compression: { msgpack: false, gzip: false } }, controller }
  const finished = new StreamRun(deps(clock, opts.policy), call, sink).run()
  return { finished, sink, controller, clock }
}

describe('StreamRun', () => {
  it('coalesces tokens into fewer deltas, numbered from 0, with exactly the text the server sent, then one done', async () => {
    const { finished, sink } = run()
    const outcome = await finished
    expect(outcome.terminal.kind).toBe('done')
    expect(sink.terminals).toHaveLength(1)
    expect(sink.events.at(-1)?.kind).toBe('done')
    const sent = fake.chatRequests[0].sent.content
    expect(sink.text).toBe(sent)
    expect(outcome.content).toBe(sent)
    expect(sink.deltas.map((d) => d.seq)).toEqual(sink.deltas.map((_, i) => i))
    const done = outcome.terminal.event as ChatDone
    expect(sink.deltas.length).toBeLessThan(done.metrics.contentChunks)
    expect(done.metrics.attempts).toBe(1)
  })

  it('retries a 429 that came before the first byte, after the wait the server asked for, with a countdown', async () => {
    fake.queuedFaults.push('429?retry_after_ms=2500')
    const clock = new FastForwardClock()
    const { finished, sink } = run({ clock })
    const outcome = await finished
    expect(outcome.terminal.kind).toBe('done')
    expect(fake.chatRequests.map((r) => r.status)).toEqual([429, 200])
    const [first] = sink.retries
    expect(first).toMatchObject({ reason: 'rate_limited', attempt: 1 })
    expect(first.waitMs).toBeGreaterThanOrEqual(2500)
    // The countdown ticks on whole seconds of what is left, and the waits add up to the plan.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(first.waitMs)
    expect(sink.retries.map((r) => r.remainingMs)).toEqual(clock.sleeps.map((_, i) => first.waitMs - clock.sleeps.slice(0, i).reduce((a, b) => a + b, 0)))
    // No text before the retry, all of it after; one done at the end.
    const kinds = sink.events.map((e) => e.kind)
    expect(kinds.indexOf('delta')).toBeGreaterThan(kinds.lastIndexOf('retry'))
    expect(sink.terminals).toHaveLength(1)
    expect((outcome.terminal.event as ChatDone).metrics).toMatchObject({ attempts: 2, retryWaitMs: first.waitMs })
  })

  it('gives up on 429s after the caller’s limit, with one error that says when to come back', async () => {
    fake.queuedFaults.push('429?retry_after_ms=1000', '429?retry_after_ms=1000')
    const { finished, sink } = run({ args: { retry: { maxRateLimitRetries: 1 } } })
    const outcome = await finished
    expect(fake.chatRequests).toHaveLength(2)
    expect(sink.retries.filter((r) => r.remainingMs === r.waitMs)).toHaveLength(1)
    expect(outcome.terminal.kind).toBe('error')
    expect((outcome.terminal.event as ChatError).error.code).toBe('rate_limited')
    expect(sink.terminals).toHaveLength(1)
  })

  it('retries a stream that ended early before any text, as a connection failure', async () => {
    fake.queuedFaults.push('end_early?after=0')
    const { finished, sink } = run()
    const outcome = await finished
    expect(outcome.terminal.kind).toBe('done')
    expect(sink.retries[0]).toMatchObject({ reason: 'network', attempt: 1 })
    expect(fake.chatRequests).toHaveLength(2)
  })

  it('does not retry once the caller has text: one error, and the text it has is kept', async () => {
    fake.queuedFaults.push('drop?after=20')
    const { finished, sink } = run()
    const outcome = await finished
    expect(fake.chatRequests).toHaveLength(1)
    expect(sink.retries).toHaveLength(0)
    expect(outcome.terminal.kind).toBe('error')
    expect(sink.terminals).toHaveLength(1)
    expect(sink.text.length).toBeGreaterThan(0)
    expect(outcome.content).toBe(sink.text)
    expect((outcome.terminal.event as ChatError).received.contentChars).toBeGreaterThanOrEqual(sink.text.length)
  })

  it('ends at once on abort mid-stream, with one error and nothing after it', async () => {
    const slow = new FakeCerebras({ ttftMs: 1, tokensPerSecond: 200, replyTokens: 400 })
    const slowUrl = await slow.start()
    try {
      const sink = new RecordingSink()
      const clock = new FastForwardClock()
      const controller = new AbortController()
      sink.onDelta = () => controller.abort()
      const call = {
        requestId: 'abort-mid',
        args: { request: { model: 'fake-fast', messages: [{ role: 'user' as const, content: 'Go on.' }] } },
        connection: { baseUrl: slowUrl, apiKey: 'k', compression: { msgpack: false, gzip: false } },
        controller,
      }
      const outcome = await new StreamRun(deps(clock), call, sink).run()
      expect(outcome.terminal.kind).toBe('error')
      expect((outcome.terminal.event as ChatError).error.code).toBe('aborted')
      expect(sink.terminals).toHaveLength(1)
      expect(sink.events.at(-1)?.kind).toBe('error')
      expect(slow.chatRequests).toHaveLength(1)
    } finally {
      await slow.stop()
    }
  })

  it('ends without another attempt when aborted while waiting to retry', async () => {
    fake.queuedFaults.push('429?retry_after_ms=3000')
    const sink = new RecordingSink()
    const { finished, controller } = run({ sink })
    sink.onRetry = () => controller.abort()
    const outcome = await finished
    expect((outcome.terminal.event as ChatError).error.code).toBe('aborted')
    expect(fake.chatRequests).toHaveLength(1)
    expect(sink.terminals).toHaveLength(1)
  })

  it('fails closed when the policy check itself throws: one error, nothing sent', async () => {
    const policy: ChatPolicyGate = {
      begin: async () => {
        throw new Error('detector crashed')
      },
    }
    const { finished, sink } = run({ policy })
    const outcome = await finished
    expect(fake.chatRequests).toHaveLength(0)
    const e = outcome.terminal.event as ChatError
    expect(e.error).toMatchObject({ code: 'policy_blocked', details: { code: 'policy_unavailable' } })
    expect(e.error.message).toContain('detector crashed')
    expect(e.policy?.blocked).toMatchObject({ policy: '(policy check)', code: 'policy_unavailable' })
    expect(sink.events.map((x) => x.kind)).toEqual(['error'])
  })

  it('is already over when started with an aborted signal', async () => {
    const sink = new RecordingSink()
    const controller = new AbortController()
    controller.abort()
    const call = {
      requestId: 'pre-aborted',
      args: { request: { model: 'fake-fast', messages: [{ role: 'user' as const, content: 'x' }] } },
      connection: { baseUrl, apiKey: 'k', compression: { msgpack: false, gzip: false } },
      controller,
    }
    const outcome = await new StreamRun(deps(new FastForwardClock()), call, sink).run()
    expect((outcome.terminal.event as ChatError).error.code).toBe('aborted')
    expect(sink.events.map((x) => x.kind)).toEqual(['error'])
    expect(fake.chatRequests).toHaveLength(0)
  })
})
