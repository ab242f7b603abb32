import { createPrefetcher } from '@renderer/api/prefetch'
import { fetchStartAnswers } from '@renderer/api/start-answers'
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

describe('createPrefetcher with the web host’s start-up answers', () => {
  it('takes a read the early answers hold from them, without asking main', async () => {
    const main = fakeApi()
    const early = new Map([['keyStatus', { ok: true as const, value: { configured: true, source: 'env' } }]])
    const { prefetch, prefetched } = createPrefetcher(main.api, Promise.resolve({ reads: early }))
    prefetch('keyStatus', {}, 'key:changed')
    expect(await prefetched('keyStatus', {})).toEqual({ configured: true, source: 'env' })
    expect(main.asked).toEqual([])
    // Taken: the next caller asks main.
    await prefetched('keyStatus', {})
    expect(main.asked).toEqual(['keyStatus'])
  })

  it('throws an early error answer as the WaferError it carries', async () => {
    const main = fakeApi()
    const early = new Map([['keyStatus', { ok: false as const, error: { code: 'storage' as const, message: 'The key file could not be read' } }]])
    const { prefetch, prefetched } = createPrefetcher(main.api, Promise.resolve({ reads: early }))
    prefetch('keyStatus', {})
    await expect(prefetched('keyStatus', {})).rejects.toBeInstanceOf(WaferError)
    prefetch('keyStatus', {})
    await expect(prefetched('keyStatus', {})).rejects.toMatchObject({ code: 'storage', message: 'The key file could not be read' })
    expect(main.asked).toEqual([])
  })

  it('asks main for a read the early answers lack, and for any read with arguments', async () => {
    const main = fakeApi()
    const { prefetch, prefetched } = createPrefetcher(main.api, Promise.resolve({ reads: new Map() }))
    prefetch('keyStatus', {})
    prefetch('stateGet', { key: 'a' })
    expect(await prefetched('keyStatus', {})).toMatchObject({ configured: expect.any(Boolean) })
    expect(await prefetched('stateGet', { key: 'a' })).toMatchObject({ value: expect.stringMatching(/^a #/) })
    expect(main.asked.sort()).toEqual(['keyStatus', 'stateGet a'])
  })
})

describe('fetchStartAnswers', () => {
  const respond = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch

  it('keys each well-formed envelope by its bridge method', async () => {
    const answers = await fetchStartAnswers(
      respond(200, {
        reads: {
          'settings:get': { ok: true, value: { theme: 'dark' } },
          'key:status': { ok: false, error: { code: 'storage', message: 'x' } },
          'demo:status': { ok: 'yes' },
          'no:such-channel': { ok: true, value: 1 },
        },
        seq: 7,
      }),
    )
    expect([...answers.reads.keys()].sort()).toEqual(['keyStatus', 'settingsGet'])
    expect(answers.reads.get('settingsGet')).toEqual({ ok: true, value: { theme: 'dark' } })
    // How many events main had broadcast: the bridge asks for what came after.
    expect(answers.seq).toBe(7)
  })

  it('has no broadcast count when the answer gives none, or not a whole number, or no reads with it', async () => {
    const reads = { 'settings:get': { ok: true, value: {} } }
    expect((await fetchStartAnswers(respond(200, { reads }))).seq).toBeUndefined()
    for (const seq of [-1, 1.5, '7', null, 2 ** 60]) expect((await fetchStartAnswers(respond(200, { reads, seq }))).seq).toBeUndefined()
    expect(await fetchStartAnswers(respond(200, { reads: {}, seq: 3 }))).toEqual({ reads: new Map() })
  })

  it('is no answers at all on a refusal, a body that is not the answer, or a network failure', async () => {
    expect(await fetchStartAnswers(respond(401, { reads: { 'settings:get': { ok: true, value: 1 } }, seq: 1 }))).toEqual({ reads: new Map() })
    expect(await fetchStartAnswers(respond(200, ['not', 'an', 'answer']))).toEqual({ reads: new Map() })
    expect(await fetchStartAnswers((async () => new Response('<html>', { status: 200 })) as unknown as typeof fetch)).toEqual({ reads: new Map() })
    expect(await fetchStartAnswers((async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch)).toEqual({ reads: new Map() })
  })
})

describe('fetchStartAnswers when the host does not answer', () => {
  it('gives up after its wait, so every read goes over the bridge', async () => {
    const never = (() => new Promise<Response>(() => undefined)) as unknown as typeof fetch
    expect(await fetchStartAnswers(never, 20)).toEqual({ reads: new Map() })
  })
})
