import { createPrefetcher } from '@renderer/api/prefetch'
import type { Api } from '@shared/ipc/contract'
import { WaferError } from '@shared/ipc/errors'
import { describe, expect, it } from 'vitest'

/*
 * Start-up reads sent before the app's code runs: the first caller of a read gets the answer already on its way,
 * later callers (and any after main said the answer changed) ask main afresh.
 */

/** An Api whose keyStatus and stateGet answer with a count of how often main was asked, and whose events the test fires. */
function fakeApi() {
  const asked: string[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let fail = false
  const api = {
    keyStatus: async () => {
      asked.push('keyStatus')
      if (fail) throw new WaferError('network', 'main is gone')
      return { configured: asked.length > 1, source: null }
    },
    stateGet: async ({ key }: { key: string }) => {
      asked.push(`stateGet ${key}`)
      return { value: `${key} #${asked.length}`, updatedAt: null }
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
  }
  return {
    api: api as unknown as Api,
    asked,
    fire: (event: string) => listeners.get(event)?.forEach((l) => l({})),
    listening: (event: string) => listeners.get(event)?.size ?? 0,
    failNext: () => (fail = true),
  }
}

describe('createPrefetcher', () => {
  it('sends the read at once and hands its answer to the first caller only', async () => {
    const main = fakeApi()
    const { prefetch, prefetched } = createPrefetcher(main.api)
    prefetch('stateGet', { key: 'playground.draft' })
    expect(main.asked).toEqual(['stateGet playground.draft'])

    expect(await prefetched('stateGet', { key: 'playground.draft' })).toMatchObject({ value: 'playground.draft #1' })
    expect(main.asked).toHaveLength(1)
    // Taken: the next caller asks main again, and gets what main says now.
    expect(await prefetched('stateGet', { key: 'playground.draft' })).toMatchObject({ value: 'playground.draft #2' })
    expect(main.asked).toHaveLength(2)
  })

  it('keeps reads of the same method with other arguments apart, and sends each read once however often it is prefetched', async () => {
    const main = fakeApi()
    const { prefetch, prefetched } = createPrefetcher(main.api)
    prefetch('stateGet', { key: 'a' })
    prefetch('stateGet', { key: 'a' })
    expect(main.asked).toEqual(['stateGet a'])
    expect(await prefetched('stateGet', { key: 'b' })).toMatchObject({ value: 'b #2' })
    expect(await prefetched('stateGet', { key: 'a' })).toMatchObject({ value: 'a #1' })
    expect(main.asked).toEqual(['stateGet a', 'stateGet b'])
  })

  it('drops an answer main has since said is stale, and stops listening once a read is taken', async () => {
    const main = fakeApi()
    const { prefetch, prefetched } = createPrefetcher(main.api)
    prefetch('keyStatus', {}, 'key:changed')
    expect(main.listening('key:changed')).toBe(1)
    // A key saved before the app's own listener is registered: the early answer (no key) is out of date.
    main.fire('key:changed')
    expect(main.listening('key:changed')).toBe(0)
    expect(await prefetched('keyStatus', {})).toMatchObject({ configured: true })
    expect(main.asked).toEqual(['keyStatus', 'keyStatus'])

    prefetch('keyStatus', {}, 'key:changed')
    await prefetched('keyStatus', {})
    expect(main.listening('key:changed')).toBe(0)
  })

  it('gives a failed early read to its taker as the same error, and nobody else', async () => {
    const main = fakeApi()
    const { prefetch, prefetched } = createPrefetcher(main.api)
    main.failNext()
    prefetch('keyStatus', {})
    // Nobody has taken it yet: no unhandled rejection meanwhile (vitest fails the run on one).
    await new Promise((resolve) => setImmediate(resolve))
    await expect(prefetched('keyStatus', {})).rejects.toMatchObject({ code: 'network', message: 'main is gone' })
  })
})
