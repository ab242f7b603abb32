import { createWebBridge } from '@renderer/api/web-bridge'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

// The web bridge's socket asks the host for the state events it missed (its start-up reads came over HTTP, before it
// opened) and takes each broadcast once, whichever way it comes.

/** A WebSocket stand-in: records what the page sends; the test opens it and delivers the host's messages. */
class FakeSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 3
  static made: FakeSocket[] = []
  readyState = FakeSocket.CONNECTING
  sent: unknown[] = []
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  onclose: (() => void) | null = null
  onmessage: ((ev: { data: string }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.made.push(this)
  }
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  open() {
    this.readyState = FakeSocket.OPEN
    this.onopen?.()
  }
  close() {
    this.readyState = FakeSocket.CLOSED
    this.onclose?.()
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
}

const realWebSocket = globalThis.WebSocket
beforeEach(() => {
  FakeSocket.made = []
  globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket
})
afterEach(() => {
  globalThis.WebSocket = realWebSocket
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
const settings = (seq: number, theme: string) => ({ t: 'event', event: 'settings:changed', payload: { theme }, seq })

describe('createWebBridge', () => {
  it('asks for what it missed since its start-up reads once they are in, and takes each broadcast once', async () => {
    let answered!: (seq: number | undefined) => void
    const bridge = createWebBridge({ url: 'ws://host/bridge', startSeq: new Promise((resolve) => (answered = resolve)) })
    const got: unknown[] = []
    bridge.on('settings:changed', (v) => got.push(v))
    const ws = FakeSocket.made[0]
    ws.open()
    await tick()
    // Open before the start-up reads' answer: nothing to ask with yet.
    expect(ws.sent).toEqual([])
    // A broadcast that reached the socket directly.
    ws.deliver(settings(6, 'light'))
    answered(4)
    await tick()
    expect(ws.sent).toEqual([{ t: 'since', seq: 6 }])
    // What the host sends again (the newest settings, the socket had it) is not taken twice; a newer one is.
    ws.deliver(settings(6, 'light'))
    ws.deliver(settings(8, 'dark'))
    expect(got).toEqual([{ theme: 'light' }, { theme: 'dark' }])
  })

  it('asks with the start-up reads’ count when it has seen no broadcast, and not at all without either', async () => {
    const withCount = createWebBridge({ url: 'ws://host/bridge', startSeq: Promise.resolve(3) })
    withCount.on('key:changed', () => undefined)
    FakeSocket.made[0].open()
    await tick()
    expect(FakeSocket.made[0].sent).toEqual([{ t: 'since', seq: 3 }])

    const without = createWebBridge({ url: 'ws://host/bridge', startSeq: Promise.resolve(undefined) })
    without.on('key:changed', () => undefined)
    FakeSocket.made[1].open()
    await tick()
    expect(FakeSocket.made[1].sent).toEqual([])
  })

  it('reconnects asking for what it missed since the last broadcast it saw', async () => {
    const bridge = createWebBridge({ url: 'ws://host/bridge', startSeq: Promise.resolve(2) })
    const got: unknown[] = []
    bridge.on('settings:changed', (v) => got.push(v))
    const first = FakeSocket.made[0]
    first.open()
    await tick()
    first.deliver(settings(9, 'light'))
    first.close()
    // The next call opens a new socket.
    const call = bridge.settingsGet({})
    const second = FakeSocket.made[1]
    second.open()
    await tick()
    expect(second.sent).toContainEqual({ t: 'since', seq: 9 })
    const id = (second.sent.find((m) => (m as { t: string }).t === 'call') as { id: number }).id
    second.deliver({ t: 'result', id, envelope: { ok: true, value: { theme: 'light' } } })
    await expect(call).resolves.toEqual({ ok: true, value: { theme: 'light' } })
    expect(got).toEqual([{ theme: 'light' }])
  })
})
