import { getHeapSpaceStatistics } from 'node:v8'

import { memoryReducingGc, startIdleMemoryTrim } from '@main/services/idle-memory-trim'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.useRealTimers()
})

/** A thread whose event-loop work the test decides, period by period. */
function scripted() {
  let active = 0
  return { activeMs: () => active, work: (ms: number) => (active += ms) }
}

describe('idle memory trim', () => {
  it('collects once at start, then only after work followed by an idle period, never while busy', () => {
    vi.useFakeTimers()
    const gc = vi.fn()
    const loop = scripted()
    let inFlight = 0
    const trim = startIdleMemoryTrim({ gc, checkMs: 1_000, activeMs: loop.activeMs, busy: () => inFlight > 0 })
    expect(gc).toHaveBeenCalledTimes(1)

    // Idle with nothing done since: no collection however long it lasts.
    vi.advanceTimersByTime(10_000)
    expect(gc).toHaveBeenCalledTimes(1)

    // A busy period: no collection during it.
    loop.work(400)
    vi.advanceTimersByTime(1_000)
    expect(gc).toHaveBeenCalledTimes(1)

    // Quiet event loop but a stream in flight: still busy.
    inFlight = 1
    vi.advanceTimersByTime(3_000)
    expect(gc).toHaveBeenCalledTimes(1)

    // Idle at last: one collection, and no more while it stays idle.
    inFlight = 0
    vi.advanceTimersByTime(1_000)
    expect(gc).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(20_000)
    expect(gc).toHaveBeenCalledTimes(2)
    expect(trim.runs).toBe(2)

    // Work too small to be worth a collection (a health check) does not cause one.
    loop.work(5)
    vi.advanceTimersByTime(5_000)
    expect(gc).toHaveBeenCalledTimes(2)

    trim.stop()
    loop.work(1_000)
    vi.advanceTimersByTime(5_000)
    expect(gc).toHaveBeenCalledTimes(2)
  })

  it('does not count a period with steady light work as idle', () => {
    vi.useFakeTimers()
    const gc = vi.fn()
    const loop = scripted()
    startIdleMemoryTrim({ gc, checkMs: 1_000, activeMs: loop.activeMs })
    for (let i = 0; i < 10; i++) {
      loop.work(30) // 3% of each period
      vi.advanceTimersByTime(1_000)
    }
    expect(gc).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1_000)
    expect(gc).toHaveBeenCalledTimes(2)
  })

  it("V8's memory-reducing collection is available under Node and shrinks a grown young generation", () => {
    const gc = memoryReducingGc()
    expect(gc).toBeTypeOf('function')
    const youngSize = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size
    // Allocate short-lived objects quickly so that V8 grows the young generation.
    let made = 0
    for (let i = 0; i < 200; i++) made += Array.from({ length: 20_000 }, (_, j) => ({ i, j, s: `x${j}` })).length
    expect(made).toBe(4_000_000)
    const grown = youngSize()
    gc!()
    expect(youngSize()).toBeLessThanOrEqual(grown)
    expect(youngSize()).toBeLessThanOrEqual(2 * 1024 * 1024)
  })
})
