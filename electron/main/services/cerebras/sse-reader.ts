import { StringDecoder } from 'node:string_decoder'

import { createParser } from 'eventsource-parser'

import type { Clock } from './clock'

/**
 * Reads a text/event-stream body and hands each event's data to `onData`,
 * once. Events may be split across network reads or packed many to a read;
 * the parser handles both. A stream that goes quiet for `idleTimeoutMs`
 * fails with IdleTimeoutError instead of hanging for ever.
 */

export class IdleTimeoutError extends Error {
  constructor(readonly idleMs: number) {
    super(`No data from the server for ${idleMs} ms`)
    this.name = 'IdleTimeoutError'
  }
}

export interface SseReadOptions {
  onData: (data: string) => void
  /**
   * Called after each network read has been fully parsed. A promise it
   * returns holds the next read back until it settles (backpressure: a
   * consumer that cannot keep up stops the reading); that wait does not
   * count as the server being idle.
   */
  onReadEnd?: () => void | Promise<void>
  /** Called as each network read arrives, before it is parsed. */
  onBytes?: (byteLength: number) => void
  idleTimeoutMs?: number
  /** Aborting stops the read at once (the fetch may not be tied to it any more). */
  signal?: AbortSignal
  clock: Pick<Clock, 'now' | 'setTimer'>
}

export async function readSse(body: ReadableStream<Uint8Array> | null, opts: SseReadOptions): Promise<void> {
  if (!body) return
  const reader = body.getReader()
  // Node's StringDecoder: about twice as fast as TextDecoder's streaming mode
  // on answers with any non-ASCII text, and it too keeps a character cut
  // between reads for the next. (A leading BOM is the parser's to drop.)
  const decoder = new StringDecoder('utf8')
  const onData = opts.onData
  const parser = createParser({ onEvent: (e) => onData(e.data) })

  let lastReadAt = opts.clock.now()
  let waiting = false
  let idleFired = false
  let cancelIdle = null as (() => void) | null
  const idleMs = opts.idleTimeoutMs
  const armIdle = (wait: number) => {
    cancelIdle = opts.clock.setTimer(() => {
      const quiet = opts.clock.now() - lastReadAt
      if (waiting) {
        armIdle(idleMs!)
      } else if (quiet >= idleMs!) {
        idleFired = true
        reader.cancel(new IdleTimeoutError(idleMs!)).catch(() => {})
      } else {
        armIdle(idleMs! - quiet)
      }
    }, wait)
  }
  if (idleMs && idleMs > 0) armIdle(idleMs)
  if (opts.signal?.aborted) {
    cancelIdle?.()
    reader.cancel().catch(() => {})
    throw opts.signal.reason ?? new DOMException('Aborted', 'AbortError')
  }
  const onAbort = () => void reader.cancel(opts.signal!.reason).catch(() => {})
  opts.signal?.addEventListener('abort', onAbort, { once: true })

  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (idleFired) throw new IdleTimeoutError(idleMs!)
      if (opts.signal?.aborted) throw opts.signal.reason ?? new DOMException('Aborted', 'AbortError')
      if (done) break
      lastReadAt = opts.clock.now()
      opts.onBytes?.(value.byteLength)
      parser.feed(decoder.write(value))
      const wait = opts.onReadEnd?.()
      if (wait) {
        waiting = true
        try {
          await wait
        } finally {
          waiting = false
          lastReadAt = opts.clock.now()
        }
      }
    }
    // A last event whose data line ended but whose blank line never came still counts.
    parser.feed(decoder.end() + '\n')
    await opts.onReadEnd?.()
  } catch (err) {
    reader.cancel().catch(() => {})
    throw err
  } finally {
    cancelIdle?.()
    opts.signal?.removeEventListener('abort', onAbort)
  }
}
