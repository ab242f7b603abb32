import { once } from 'node:events'
import net from 'node:net'

import { describe, expect } from 'vitest'

import { gatewayTest, policyYaml, target, until } from './harness'

// Slow clients and bursts: a client dripping its body holds no slot, deadlines
// end it with 408, and a burst over the limit waits briefly instead of 429.
// Each test starts a gateway of its own (startGateway) in front of the file's fake upstream.
const it = gatewayTest({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 10 })

const chatBody = (content = 'hi', stream = false) => JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content }], stream })
const chat = (url: string, content = 'hi', stream = false) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody(content, stream) })
const health = async (url: string) => (await (await fetch(`${url}/healthz`)).json()) as { inflight: number; queued: number; queue_limit: number }

/** A socket that sends the headers and the first bytes of its body, then one byte at a time. */
async function dripper(url: string): Promise<{ socket: net.Socket; answer: () => string; stop(): void }> {
  const u = new URL(url)
  const socket = net.connect(Number(u.port), u.hostname)
  await once(socket, 'connect')
  let raw = ''
  socket.on('data', (d: Buffer) => (raw += d.toString('utf8')))
  socket.on('error', () => {})
  const body = chatBody('a slow body')
  socket.write(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
  )
  let i = 5
  const timer = setInterval(() => {
    if (i < body.length - 1 && !socket.destroyed) socket.write(body[i++])
  }, 50)
  return { socket, answer: () => raw, stop: () => (clearInterval(timer), socket.destroy()) }
}

describe('slow clients', () => {
  it('serves good requests while 20 clients drip their bodies, and ends the drips with 408', async ({ upstream, startGateway }) => {
    const gw = await startGateway(policyYaml(target('primary', 'fake-fast', upstream), '[pii-detector]'), { maxConcurrency: 16, bodyTimeoutMs: 1_500 })
    const drips = await Promise.all(Array.from({ length: 20 }, () => dripper(gw.url)))
    try {
      // Every drip is connected and sending; none of them holds a slot.
      const statuses = await Promise.all(Array.from({ length: 8 }, () => chat(gw.url).then((r) => r.status)))
      expect(statuses).toEqual(Array(8).fill(200))
      expect((await health(gw.url)).inflight).toBe(0)
      await until(() => drips.every((d) => d.answer().length > 0))
      for (const d of drips) {
        expect(d.answer()).toMatch(/^HTTP\/1\.1 408/)
        expect(d.answer()).toContain('"code":"request_timeout"')
      }
    } finally {
      for (const d of drips) d.stop()
    }
  })

  it('answers a client that never finishes its headers with 408 and closes it', async ({ upstream, startGateway }) => {
    const gw = await startGateway(policyYaml(target('primary', 'fake-fast', upstream), '[pii-detector]'), { headersTimeoutMs: 300 })
    const u = new URL(gw.url)
    const socket = net.connect(Number(u.port), u.hostname)
    try {
      await once(socket, 'connect')
      let raw = ''
      socket.on('data', (d: Buffer) => (raw += d.toString('utf8')))
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: appl`)
      await once(socket, 'close')
      expect(raw).toMatch(/^HTTP\/1\.1 408/)
    } finally {
      socket.destroy()
    }
  })
})

describe('a burst over the limit', () => {
  it('waits in the queue for a slot (shown in /healthz) instead of getting 429', async ({ fake, upstream, startGateway }) => {
    fake.reset()
    const gw = await startGateway(policyYaml(target('primary', 'fake-fast', upstream), '[pii-detector]'), { maxConcurrency: 1, queueTimeoutMs: 10_000 })
    fake.queuedFaults.push('slow_drip?gap_ms=30')
    const first = await chat(gw.url, 'slow', true)
    expect(first.status).toBe(200)
    const second = chat(gw.url, 'next')
    await until(async () => (await health(gw.url)).queued === 1)
    expect(await health(gw.url)).toMatchObject({ inflight: 1, queued: 1, queue_limit: 4 })
    await first.text()
    expect((await second).status).toBe(200)
    expect((await health(gw.url)).queued).toBe(0)
  })

  it('answers 429 with jittered retry-after when the queue is full or the wait runs out', async ({ fake, upstream, startGateway }) => {
    fake.reset()
    const gw = await startGateway(policyYaml(target('primary', 'fake-fast', upstream), '[pii-detector]'), {
      maxConcurrency: 1,
      maxQueue: 1,
      queueTimeoutMs: 300,
    })
    fake.queuedFaults.push('slow_drip?gap_ms=100')
    const first = await chat(gw.url, 'slow', true)
    const waiting = chat(gw.url, 'waits')
    await until(async () => (await health(gw.url)).queued === 1)
    const overflow = await Promise.all(Array.from({ length: 6 }, () => chat(gw.url, 'over')))
    expect(overflow.map((r) => r.status)).toEqual(Array(6).fill(429))
    const delays = overflow.map((r) => Number(r.headers.get('retry-after-ms')))
    for (const [i, r] of overflow.entries()) expect(r.headers.get('retry-after')).toBe(String(Math.ceil(delays[i] / 1000)))
    expect(new Set(delays).size).toBeGreaterThan(1)
    // The one that waited gives up after the queue timeout.
    const w = await waiting
    expect(w.status).toBe(429)
    expect(await w.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'concurrency_limit' } })
    await first.text()
  })
})
