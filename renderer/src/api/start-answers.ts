import type { Envelope } from '@shared/ipc/errors'
import { START_READS, START_READS_PATH } from '@shared/ipc/start-reads'

import { CHANNEL_METHODS } from './ipc-names'

const METHOD_OF = new Map(CHANNEL_METHODS)

/** The start-up reads (shared/ipc/start-reads.ts), each with its bridge method. */
export const START_READ_CALLS = START_READS.map((read) => ({ ...read, method: METHOD_OF.get(read.channel)! }))

/**
 * Early answers to the start-up reads, by bridge method name, and how many events main had broadcast before it made
 * them (`seq`: the bridge asks for what it missed since, web-bridge.ts); none of either when there were no early answers.
 */
export interface StartAnswers {
  reads: ReadonlyMap<string, Envelope<unknown>>
  seq?: number
}

const NO_ANSWERS: StartAnswers = { reads: new Map() }

const isEnvelope = (v: unknown): v is Envelope<unknown> =>
  !!v && typeof v === 'object' && ((v as { ok?: unknown }).ok === true ? 'value' in v : (v as { ok?: unknown }).ok === false && 'error' in v)

/**
 * How long the page waits for the early answers before it asks over the bridge instead: they normally come in well
 * under 100 ms, and this is under the first render's own wait for them (app/start.tsx), so answers that come over the
 * bridge instead can still be in that render.
 */
const START_ANSWERS_WAIT_MS = 1500

/**
 * The web host's answers to the start-up reads (shared/ipc/start-reads.ts),
 * fetched in one request the browser began as soon as it had the page's
 * headers (a `Link` preload), so they are in before the bridge's WebSocket
 * would even be open. Anything but a well-formed answer within `waitMs` (an
 * older host, a network failure, a host that does not answer) is no early
 * answers: each read then goes over the bridge.
 */
export function fetchStartAnswers(fetchFn: typeof fetch = fetch, waitMs = START_ANSWERS_WAIT_MS): Promise<StartAnswers> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<StartAnswers>((resolve) => (timer = setTimeout(() => resolve(NO_ANSWERS), waitMs)))
  return Promise.race([readStartAnswers(fetchFn), late]).finally(() => clearTimeout(timer))
}

async function readStartAnswers(fetchFn: typeof fetch): Promise<StartAnswers> {
  try {
    const res = await fetchFn(START_READS_PATH, { credentials: 'same-origin' })
    if (!res.ok) return NO_ANSWERS
    const body = (await res.json()) as { reads?: unknown; seq?: unknown }
    const reads = body && typeof body.reads === 'object' && body.reads ? (body.reads as Record<string, unknown>) : {}
    const answers = new Map<string, Envelope<unknown>>()
    for (const { channel, method } of START_READ_CALLS) {
      const envelope = Object.prototype.hasOwnProperty.call(reads, channel) ? reads[channel] : undefined
      if (isEnvelope(envelope)) answers.set(method, envelope)
    }
    if (!answers.size) return NO_ANSWERS
    const seq = Number.isSafeInteger(body.seq) && (body.seq as number) >= 0 ? (body.seq as number) : undefined
    return { reads: answers, seq }
  } catch {
    return NO_ANSWERS
  }
}
