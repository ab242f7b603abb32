/**
 * Characters received over time in fixed-width buckets (100 ms to start),
 * in a fixed-size buffer: when a stream outlives the buffer the buckets are
 * merged in pairs and their width doubles, so memory and chart size stay
 * bounded however long the answer is.
 *
 * The chart shows tokens/s. While streaming, tokens are estimated from
 * characters (the deltas carry text, not token counts); once the server's
 * usage arrives, `calibrate` scales the whole series so it adds up to the
 * real completion_tokens.
 */

export const BUCKET_MS = 100
export const CAPACITY = 600
/** Typical characters per token for English text and code; only used until calibrated. */
export const CHARS_PER_TOKEN_GUESS = 4

export interface ThroughputPoint {
  /** Seconds since the request was sent (bucket start). */
  t: number
  tokensPerSec: number
}

export class ThroughputSeries {
  private readonly chars = new Float64Array(CAPACITY)
  private bucketMs = BUCKET_MS
  private used = 0
  private totalChars = 0
  private tokensPerChar = 1 / CHARS_PER_TOKEN_GUESS
  /** True once scaled to the server's token count. */
  calibrated = false
  /** Ms after the start when the first text arrived. */
  firstAt: number | null = null
  lastAt: number | null = null

  constructor(readonly startedAt: number) {}

  add(now: number, chars: number): void {
    if (chars <= 0) return
    const at = Math.max(0, now - this.startedAt)
    if (this.firstAt === null) this.firstAt = at
    this.lastAt = at
    let index = Math.floor(at / this.bucketMs)
    while (index >= CAPACITY) {
      this.halve()
      index = Math.floor(at / this.bucketMs)
    }
    this.chars[index] += chars
    this.used = Math.max(this.used, index + 1)
    this.totalChars += chars
  }

  /** Scale to the real count once the server reports it. */
  calibrate(completionTokens: number): void {
    if (this.totalChars <= 0 || completionTokens <= 0) return
    this.tokensPerChar = completionTokens / this.totalChars
    this.calibrated = true
  }

  get width(): number {
    return this.bucketMs
  }

  get characters(): number {
    return this.totalChars
  }

  /** Estimated (or, once calibrated, scaled) tokens so far. */
  get tokens(): number {
    return this.totalChars * this.tokensPerChar
  }

  /** One point per bucket from the start up to the last one with data. */
  points(): ThroughputPoint[] {
    const out: ThroughputPoint[] = new Array(this.used)
    const perSec = 1000 / this.bucketMs
    for (let i = 0; i < this.used; i++) {
      out[i] = { t: (i * this.bucketMs) / 1000, tokensPerSec: this.chars[i] * this.tokensPerChar * perSec }
    }
    return out
  }

  private halve(): void {
    for (let i = 0; i < CAPACITY / 2; i++) this.chars[i] = this.chars[2 * i] + this.chars[2 * i + 1]
    this.chars.fill(0, CAPACITY / 2)
    this.used = Math.ceil(this.used / 2)
    this.bucketMs *= 2
  }
}
