import { type CoalescedDelta, DeltaCoalescer } from '@main/services/cerebras/delta-coalescer'
import { describe, expect, it } from 'vitest'

import { ManualClock } from '../../support/test-clocks'

function setup(interval = 16) {
  const clock = new ManualClock()
  const sent: { at: number; delta: CoalescedDelta }[] = []
  const c = new DeltaCoalescer((delta) => sent.push({ at: clock.now(), delta }), clock, interval)
  return { clock, sent, c }
}

describe('delta coalescing', () => {
  it('sends the first batch as soon as its read is parsed (no added TTFT)', () => {
    const { c, sent } = setup()
    c.addContent('Hel')
    c.addContent('lo')
    expect(sent).toHaveLength(0)
    c.endOfRead()
    expect(sent).toEqual([{ at: 0, delta: { content: 'Hello' } }])
  })

  it('sends at most one message per interval, each with only the new text', () => {
    const { c, sent, clock } = setup()
    for (let t = 0; t < 100; t += 2) {
      c.addContent(`${t},`)
      c.endOfRead()
      clock.advance(2)
    }
    clock.advance(50)
    const times = sent.map((s) => s.at)
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(16)
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(100 / 16) + 1)
    expect(sent.map((s) => s.delta.content).join('')).toBe(Array.from({ length: 50 }, (_, i) => `${i * 2},`).join(''))
    expect(c.sentContentText()).toBe(sent.map((s) => s.delta.content).join(''))
  })

  it('keeps content, reasoning and tool-call pieces apart and merges tool arguments by index', () => {
    const { c, sent } = setup()
    c.addReasoning('think ')
    c.addToolCall({ index: 0, id: 'call_1', name: 'search', arguments: '{"q":' })
    c.addToolCall({ index: 1, id: 'call_2', name: 'open' })
    c.addToolCall({ index: 0, arguments: '"x"}' })
    c.addToolCall({ index: 0, name: 'search' })
    c.addContent('done')
    c.endOfRead()
    expect(sent[0].delta).toEqual({
      reasoning: 'think ',
      content: 'done',
      toolCalls: [
        { index: 0, id: 'call_1', name: 'search', arguments: '{"q":"x"}' },
        { index: 1, id: 'call_2', name: 'open' },
      ],
    })
  })

  it('flush sends the rest at once (before done); nothing is sent after close', () => {
    const { c, sent, clock } = setup()
    c.addContent('a')
    c.endOfRead()
    c.addContent('b')
    c.endOfRead()
    expect(sent.map((s) => s.delta.content)).toEqual(['a'])
    clock.advance(5)
    c.flush()
    expect(sent.map((s) => [s.at, s.delta.content])).toEqual([
      [0, 'a'],
      [5, 'b'],
    ])
    // The timer for 'b' was cancelled: nothing is sent twice.
    clock.advance(100)
    expect(sent).toHaveLength(2)
    c.addContent('c')
    c.close()
    c.endOfRead()
    c.flush()
    clock.advance(100)
    expect(sent.map((s) => s.delta.content)).toEqual(['a', 'b'])
    expect(clock.pendingTimers).toBe(0)
  })

  it('re-checks the slot when a timer fires early', () => {
    const clock = new ManualClock()
    const sent: number[] = []
    // A clock whose timers fire 5 ms early, as event-loop timers can.
    const early = { now: () => clock.now(), setTimer: (fn: () => void, ms: number) => clock.setTimer(fn, Math.max(1, ms - 5)) }
    const c = new DeltaCoalescer(() => sent.push(clock.now()), early, 16)
    c.addContent('a')
    c.endOfRead()
    c.addContent('b')
    c.endOfRead()
    clock.advance(40)
    expect(sent).toEqual([0, 16])
  })

  it('sends nothing when there is nothing new', () => {
    const { c, sent, clock } = setup()
    c.endOfRead()
    c.flush()
    clock.advance(100)
    expect(sent).toEqual([])
  })
})
