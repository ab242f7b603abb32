import type { EventName } from '../../shared/ipc/contract'
import { START_STATE_EVENTS } from '../../shared/ipc/start-reads'

/**
 * main's broadcasts, numbered, and the newest of each event that carries a start-up read's whole new state
 * (shared/ipc/start-reads.ts: settings, key status, demo, active policy).
 *
 * Why: a page takes its start-up reads over HTTP (GET /bridge/start) and opens the bridge's WebSocket later. A
 * broadcast in between reached no socket of that page, which then showed the state of its reads until the next
 * change. The reads' answer says how many broadcasts there had been (`seq`); the page sends that number over its
 * socket (`{t: 'since', seq}`) and gets the newest of each state event broadcast after it. Each carries the whole
 * new state, so the newest stands for any before it. A socket that reconnects sends the last number it saw.
 */
export class StateEvents {
  private seq = 0
  /** The newest broadcast of each state event: its number and the message as sent. */
  private readonly newest = new Map<EventName, { seq: number; message: string }>()

  constructor(private readonly stateEvents: ReadonlySet<EventName> = new Set(START_STATE_EVENTS)) {}

  /** How many broadcasts there have been. */
  get current(): number {
    return this.seq
  }

  /** Numbers the next broadcast; `message` makes its text from that number. Returns the text. */
  record(event: EventName, message: (seq: number) => string): string {
    const seq = ++this.seq
    const text = message(seq)
    if (this.stateEvents.has(event)) this.newest.set(event, { seq, message: text })
    return text
  }

  /** The newest of each state event broadcast after number `since`, oldest first: what a page that knows main's state as of `since` missed. */
  missedSince(since: number): string[] {
    return [...this.newest.values()]
      .filter((e) => e.seq > since)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.message)
  }
}
