import type { IncomingHttpHeaders } from 'node:http'

import type { Envelope } from '../../shared/ipc/errors'
import { START_READS, START_READS_PATH } from '../../shared/ipc/start-reads'
import type { Dispatch } from '../main/ipc/dispatcher'

/**
 * What GET START_READS_PATH answers: each start-up read's envelope, by channel, as the bridge would have sent it, and
 * how many events main had broadcast before the reads were made (what the page's socket sends as `since`, state-events.ts).
 */
export interface StartReadsBody {
  reads: Record<string, Envelope<unknown>>
  seq: number
}

/**
 * The `Link` header index.html is served with: the browser fetches the
 * start-up reads as soon as it has the page's headers, while it loads the
 * scripts, and hands the answer to the page's own fetch of the same URL
 * (renderer/src/api/start-answers.ts). `crossorigin` makes the preload's
 * mode and credentials those of a plain same-origin fetch().
 */
export const START_READS_LINK = `<${START_READS_PATH}>; rel=preload; as=fetch; crossorigin`

/**
 * A browser's fetch of the start-up reads comes from our own page: a request
 * that says it comes from another site or origin (Sec-Fetch-Site, Origin) is
 * refused. Its answer holds the user's settings; the session cookie alone is
 * not enough, since every loopback port shares cookies.
 */
export function isOwnPageFetch(headers: IncomingHttpHeaders, ownOrigin: (origin: string | undefined) => boolean): boolean {
  const site = headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin') return false
  return ownOrigin(headers.origin)
}

/**
 * Runs each start-up read through the dispatcher (the same checks as over the bridge), side by side. `seq`: the
 * broadcasts so far, taken before the reads start, so that any broadcast the reads may have missed is after it.
 */
export async function answerStartReads(dispatch: Dispatch, seq: number): Promise<StartReadsBody> {
  const envelopes = await Promise.all(START_READS.map(({ channel }) => dispatch(channel, {}, { via: 'web', emit: () => undefined })))
  return { reads: Object.fromEntries(START_READS.map(({ channel }, i) => [channel, envelopes[i]])), seq }
}
