import type { ServerResponse } from 'node:http'

/**
 * Writes SSE events the way a real server and network deliver them: several
 * events per write, and (when `split`) a write that ends part-way through an
 * event — even inside a multi-byte character — with the rest following in
 * the next write.
 */
export class SseWriter {
  private queued: string[] = []
  private carry: Buffer | null = null
  private flushes = 0

  constructor(
    private readonly res: ServerResponse,
    private readonly split: boolean,
  ) {}

  event(data: string): void {
    this.queued.push(`data: ${data}\n\n`)
  }

  /** Raw text, for malformed-stream faults. */
  raw(text: string): void {
    this.queued.push(text)
  }

  get hasQueued(): boolean {
    return this.queued.length > 0 || this.carry !== null
  }

  /**
   * Write what is queued. Unless `all`, every third write holds back the
   * tail of its last event. Resolves when the socket has taken the bytes
   * (or at once if it is gone); false means the socket is backed up.
   */
  flush(all = false): Promise<boolean> {
    if (this.res.destroyed || this.res.writableEnded) return Promise.resolve(false)
    const text = this.queued.join('')
    this.queued = []
    let bytes = text ? Buffer.from(text, 'utf8') : Buffer.alloc(0)
    if (this.carry) {
      bytes = Buffer.concat([this.carry, bytes])
      this.carry = null
    }
    if (bytes.length === 0) return Promise.resolve(true)
    this.flushes++
    if (this.split && !all && this.flushes % 3 === 0 && bytes.length > 8) {
      // Hold back the last 1–7 bytes, so an event (and maybe a character) spans two reads.
      const keep = 1 + (this.flushes % 7)
      this.carry = bytes.subarray(bytes.length - keep)
      bytes = bytes.subarray(0, bytes.length - keep)
    }
    return new Promise((resolve) => {
      const ok = this.res.write(bytes, () => resolve(ok))
    })
  }
}
