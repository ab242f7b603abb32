import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * What the fake server keeps of each request it received (for tests to
 * inspect): the request as it arrived, the status it got, and the text that
 * was sent back, including how far a stream got before a fault.
 */

export interface SentText {
  content: string
  reasoning: string
  toolArguments: string
}

export interface ReceivedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  contentType: string | null
  contentEncoding: string | null
  /** Bytes on the wire (before gunzip). */
  wireBytes: number
  /** The decoded body, or null if it could not be decoded. */
  body: Record<string, unknown> | null
  format: 'json' | 'msgpack' | null
  gzip: boolean
  fault: string | null
  status: number
  /** The headers the response was given (names lower-cased). */
  responseHeaders: Record<string, string>
  /** Epoch ms. */
  arrivedAt: number
  /** What was streamed or returned. */
  sent: SentText
  /** What had been streamed when a mid-stream fault struck (the stream may go on after a malformed chunk). */
  beforeFault: SentText | null
  /** The client closed the connection before the response was complete. */
  clientClosed: boolean
}

/** A fresh record of a request whose body (`raw`) has been read. */
export function newRecord(req: IncomingMessage, url: URL, raw: Buffer): ReceivedRequest {
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    headers: { ...req.headers },
    contentType: req.headers['content-type'] ?? null,
    contentEncoding: (req.headers['content-encoding'] as string | undefined) ?? null,
    wireBytes: raw.length,
    body: null,
    format: null,
    gzip: false,
    fault: null,
    status: 0,
    responseHeaders: {},
    arrivedAt: Date.now(),
    sent: { content: '', reasoning: '', toolArguments: '' },
    beforeFault: null,
    clientClosed: false,
  }
}

/** Keep the status the response is given, and whether the client left before it was complete. */
export function watchResponse(res: ServerResponse, record: ReceivedRequest): void {
  res.on('close', () => {
    if (!res.writableFinished) record.clientClosed = true
  })
  const origWriteHead = res.writeHead.bind(res)
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    record.status = status
    const headers = rest.find((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r))
    for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) record.responseHeaders[k.toLowerCase()] = String(v)
    return (origWriteHead as (...a: unknown[]) => ServerResponse)(status, ...rest)
  }) as typeof res.writeHead
}
