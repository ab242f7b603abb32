import { LoadedRuns } from '@renderer/features/history/loaded-runs'
import type { RunSummary } from '@shared/ipc/domains/history'
import { describe, expect, it } from 'vitest'

function summary(id: string): RunSummary {
  return {
    id,
    startedAt: 1_700_000_000_000,
    model: 'llama3.1-8b',
    source: 'playground',
    groupId: null,
    status: 'ok',
    errorCode: null,
    promptPreview: `prompt of ${id}`,
    outputPreview: `answer of ${id}`,
    snippet: null,
    matchedIn: null,
    ttftMs: 12.5,
    decodeTokensPerSec: null,
    promptTokens: 3,
    completionTokens: 7,
    costUsd: 0.0001,
    endpoint: null,
  }
}
const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => summary(`run-${from + i}`))

describe('LoadedRuns (the History list store)', () => {
  it('gives back every run of every page appended, in order, whichever page is read and in any order', () => {
    const runs = new LoadedRuns()
    runs.append(page(0, 50))
    runs.append([])
    for (let p = 0; p < 7; p++) runs.append(page(50 + p * 200, 200))
    expect(runs.length).toBe(1450)
    expect(runs.ids[0]).toBe('run-0')
    expect(runs.ids[1449]).toBe('run-1449')
    // Far apart (more pages than are kept parsed), back and forth, and each page's edges.
    for (const i of [1449, 0, 49, 50, 249, 250, 1000, 3, 1249, 1250, 49, 1449]) {
      expect(runs.at(i)).toEqual(summary(`run-${i}`))
      expect(runs.ids[i]).toBe(`run-${i}`)
    }
  })

  it('refuses an index outside what is loaded', () => {
    const runs = new LoadedRuns()
    expect(() => runs.at(0)).toThrow(RangeError)
    runs.append(page(0, 3))
    expect(() => runs.at(3)).toThrow(/No run 3 of 3/)
    expect(() => runs.at(-1)).toThrow(RangeError)
  })
})
