import type { ServerResponse } from 'node:http'

import { type Fault, numberParam } from './faults'
import { buildEvents, finalChunk, recordSent, type ReplyContext, type StreamEvent } from './reply-shapes'
import { sleep } from './sleep'
import { SseWriter } from './sse-writer'

/**
 * A streamed chat answer: SSE after the time to first token, tokens at the
 * answer's speed (or as fast as the socket drains, in firehose mode), and
 * the faults that strike mid-stream.
 */

export interface StreamReplyOptions {
  firehose: boolean
  splitEvents: boolean
  tickMs: number
  sendDoneMarker: boolean
}

const MID_STREAM_FAULTS = new Set(['midstream_error', 'drop', 'malformed', 'stall', 'end_early'])

export async function streamReply(res: ServerResponse, ctx: ReplyContext, opts: StreamReplyOptions): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'inference-id': ctx.id,
    ...ctx.rl,
  })
  res.flushHeaders()
  const events = buildEvents(ctx)
  if (opts.firehose) return firehose(res, events, ctx, opts.sendDoneMarker)

  const writer = new SseWriter(res, opts.splitEvents)
  const midStream = ctx.fault && MID_STREAM_FAULTS.has(ctx.fault.kind) ? ctx.fault : null
  const faultAt = midStream ? numberParam(midStream, 'after', 10) : Infinity
  await sleep(ctx.ttftMs)
  const genStart = Date.now()
  const msPerToken = 1000 / ctx.tps
  let next = 0
  let tokensWritten = 0
  while (next < events.length) {
    if (res.destroyed) return
    const due = Math.floor((Date.now() - genStart) / msPerToken) + 1
    while (next < events.length && (events[next].token ? tokensWritten < due : true)) {
      const ev = events[next]
      if (ev.token && ctx.fault && tokensWritten >= faultAt) {
        const stop = await streamFault(ctx.fault, writer, res, ctx)
        if (stop) return
      }
      if (ev.final) ev.data = finalChunk(ctx, (Date.now() - genStart) / 1000)
      writer.event(ev.data)
      recordSent(ctx.record.sent, ev)
      if (ev.token) tokensWritten++
      next++
    }
    await writer.flush(next >= events.length)
    if (next < events.length) await sleep(opts.tickMs)
  }
  if (opts.sendDoneMarker) writer.event('[DONE]')
  await writer.flush(true)
  res.end()
}

/** Streams everything as fast as the socket drains: for measuring the client, not the fake. */
async function firehose(res: ServerResponse, events: StreamEvent[], ctx: ReplyContext, sendDoneMarker: boolean): Promise<void> {
  const batch: string[] = []
  let size = 0
  for (const ev of events) {
    if (ev.final) ev.data = finalChunk(ctx, 0.001)
    batch.push(`data: ${ev.data}\n\n`)
    size += ev.data.length + 8
    if (size >= 64 * 1024) {
      if (!res.write(batch.join(''))) await new Promise((r) => res.once('drain', r))
      batch.length = 0
      size = 0
      if (res.destroyed) return
    }
  }
  if (sendDoneMarker) batch.push('data: [DONE]\n\n')
  res.end(batch.join(''))
}

/** A fault that strikes mid-stream; true when the stream is over. */
async function streamFault(f: Fault, writer: SseWriter, res: ServerResponse, ctx: ReplyContext): Promise<boolean> {
  ctx.record.beforeFault = { ...ctx.record.sent }
  switch (f.kind) {
    case 'midstream_error': {
      const status = numberParam(f, 'status', 500)
      writer.event(
        JSON.stringify({
          error: {
            id: ctx.id,
            code: status === 429 ? 'queue_exceeded' : 'internal_error',
            message: 'Error during generation: the model server failed',
            param: null,
            type: 'server_error',
          },
          status_code: status,
        }),
      )
      await writer.flush(true)
      res.end()
      return true
    }
    case 'drop':
      await writer.flush(true)
      res.socket?.destroy()
      res.destroy()
      return true
    case 'malformed':
      writer.raw(`data: {"id":"${ctx.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"brok\n\n`)
      ctx.fault = null
      return false
    case 'stall':
      await writer.flush(true)
      // Keep the connection open and silent until the client gives up or the server stops.
      await new Promise<void>((r) => res.once('close', () => r()))
      return true
    case 'end_early':
      await writer.flush(true)
      res.end()
      return true
    default:
      return false
  }
}
