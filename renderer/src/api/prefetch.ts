import type { Api, EventName } from '@shared/ipc/contract'

import type { StartAnswers } from './start-answers'
import { fromEnvelope } from './unwrap'

/*
 * Reads sent before the app's code has run. The page's entry asks main for what the first screen waits on the moment
 * it starts, before React, zod and the screens are evaluated (100–150 ms of start-up here): main answers meanwhile,
 * so the first render already has the answers, instead of asking once that code has run and rendering again when
 * they arrive. Each early answer goes to the first caller that asks for the same read; later callers ask main afresh.
 * Under the web host, the start-up reads' answers may already be on their way by HTTP (start-answers.ts): a read
 * they hold is taken from them, one they lack goes over the bridge.
 */

type ReadMethod = Exclude<keyof Api, 'on'>
type ArgsOf<M extends ReadMethod> = Parameters<Api[M]>[0]
type ValueOf<M extends ReadMethod> = Awaited<ReturnType<Api[M]>>

export interface Prefetcher {
  /**
   * Sends a read now, for the first `prefetched()` of the same method and arguments. `staleOn`: main's event that
   * says the answer changed; one arriving before the read is taken drops it (the taker then asks afresh, as it would
   * have without the prefetch: its own listener for that event is not registered yet).
   */
  prefetch<M extends ReadMethod>(method: M, args: ArgsOf<M>, staleOn?: EventName): void
  /** The prefetched answer to this read, once; otherwise (or once it was taken) main is asked now. */
  prefetched<M extends ReadMethod>(method: M, args: ArgsOf<M>): Promise<ValueOf<M>>
}

interface EarlyRead {
  answer: Promise<unknown>
  /** Stops watching for the event that makes the answer stale. */
  unwatch?: () => void
}

export function createPrefetcher(api: Api, startAnswers?: Promise<StartAnswers>): Prefetcher {
  const early = new Map<string, EarlyRead>()
  const keyOf = (method: string, args: unknown) => `${method} ${JSON.stringify(args)}`
  const call = <M extends ReadMethod>(method: M, args: ArgsOf<M>) => (api[method] as (a: ArgsOf<M>) => Promise<ValueOf<M>>)(args)
  const drop = (key: string) => {
    const read = early.get(key)
    early.delete(key)
    read?.unwatch?.()
  }
  return {
    prefetch(method, args, staleOn) {
      const key = keyOf(method, args)
      if (early.has(key)) return
      const noArgs = !!args && typeof args === 'object' && Object.keys(args).length === 0
      const answer =
        startAnswers && noArgs
          ? startAnswers.then((answers) => {
              const envelope = answers.reads.get(method)
              return envelope ? (fromEnvelope(envelope) as ValueOf<typeof method>) : call(method, args)
            })
          : call(method, args)
      // A failed read is the taker's to report; one nobody takes is nobody's.
      answer.catch(() => undefined)
      const read: EarlyRead = { answer }
      if (staleOn) read.unwatch = api.on(staleOn, () => drop(key))
      early.set(key, read)
    },
    prefetched(method, args) {
      const key = keyOf(method, args)
      const read = early.get(key)
      if (!read) return call(method, args)
      drop(key)
      return read.answer as Promise<ValueOf<typeof method>>
    },
  }
}
