import { systemClock } from '@main/services/cerebras/clock'
import { IdleTimeoutError, readSse } from '@main/services/cerebras/sse-reader'
import { describe, expect, it } from 'vitest'

import { ManualClock } from '../../support/test-clocks'

function bodyOf(parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(typeof p === 'string' ? enc.encode(p) : p)
      c.close()
    },
  })
}

async function collect(parts: (string | Uint8Array)[]) {
  const data: string[] = []
  let reads = 0
  await readSse(bodyOf(parts), {
    onData: (d) => data.push(d),
    onReadEnd: () => {
      reads++
    },
    clock: systemClock,
  })
  return { data, reads }
}

describe('reading an event stream', () => {
  it('handles events split across reads, several per read, and characters cut in half', async () => {
    const bytes = new TextEncoder().encode('data: {"a":"é🚀"}\n\ndata: {"b":1}\n\ndata: {"c":2}\n\n')
    const cuts = [3, 12, 13, 14, 30, bytes.length]
    const parts: Uint8Array[] = []
    let from = 0
    for (const to of cuts) {
      parts.push(bytes.subarray(from, to))
      from = to
    }
    const { data } = await collect(parts)
    expect(data).toEqual(['{"a":"é🚀"}', '{"b":1}', '{"c":2}'])
  })

  it('accepts CRLF, comments, event: lines and a last event without its blank line', async () => {
    const { data } = await collect([': keep-alive\r\n\r\nevent: message\r\ndata: {"x":1}\r\n\r\ndata: {"y":2}\n'])
    expect(data).toEqual(['{"x":1}', '{"y":2}'])
  })

  it('does not invent an event from a truncated last line', async () => {
    const { data } = await collect(['data: {"x":1}\n\ndata: {"y"'])
    expect(data).toEqual(['{"x":1}'])
  })

  it('fails a stream that goes quiet for the idle timeout', async () => {
    const clock = new ManualClock()
    let pull!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (pull = c) })
    const data: string[] = []
    const reading = readSse(body, { onData: (d) => data.push(d), idleTimeoutMs: 1000, clock })
    pull.enqueue(new TextEncoder().encode('data: 1\n\n'))
    await new Promise((r) => setTimeout(r, 0))
    clock.advance(900)
    pull.enqueue(new TextEncoder().encode('data: 2\n\n'))
    await new Promise((r) => setTimeout(r, 0))
    clock.advance(900)
    expect(data).toEqual(['1', '2'])
    clock.advance(200)
    await expect(reading).rejects.toBeInstanceOf(IdleTimeoutError)
  })

  it("holds the next read back while onReadEnd's promise is pending (backpressure), without counting the wait as idle", async () => {
    const clock = new ManualClock()
    const enc = new TextEncoder()
    let pulls = 0
    // A source that makes one event per pull, so reads are only taken when asked for.
    const body = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          pulls++
          if (pulls <= 3) c.enqueue(enc.encode(`data: ${pulls}\n\n`))
          else c.close()
        },
      },
      { highWaterMark: 0 },
    )
    const data: string[] = []
    let release!: () => void
    const reading = readSse(body, {
      onData: (d) => data.push(d),
      // The first read's consumer is backed up until released.
      onReadEnd: () => (data.length === 1 ? new Promise<void>((r) => (release = r)) : undefined),
      idleTimeoutMs: 1000,
      clock,
    })
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
    expect(data).toEqual(['1'])
    expect(pulls).toBe(1)
    // Far past the idle timeout while waiting on the consumer: not an idle server.
    clock.advance(5000)
    release()
    await reading
    expect(data).toEqual(['1', '2', '3'])
  })

  it('stops at once when its signal aborts', async () => {
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('data: 1\n\n')) })
    const ac = new AbortController()
    const reading = readSse(body, { onData: () => ac.abort(new Error('stop')), signal: ac.signal, clock: systemClock })
    await expect(reading).rejects.toThrow('stop')
  })

  it('stops when onData throws, and passes the error on', async () => {
    const reading = readSse(bodyOf(['data: 1\n\ndata: 2\n\n']), {
      onData: (d) => {
        if (d === '2') throw new Error('bad chunk')
      },
      clock: systemClock,
    })
    await expect(reading).rejects.toThrow('bad chunk')
  })
})
