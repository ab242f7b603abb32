import { GatewayHttpError } from './http-errors'

export interface AdmissionOptions {
  /** Requests served at once. */
  limit: number
  /** Requests that may wait for a slot; past it, 429 at once. */
  maxQueue: number
  /** How long a request may wait for a slot before it gets 429. */
  waitMs: number
  random?: () => number
}

interface Waiter {
  admit: () => void
  refuse: (err: Error) => void
}

/**
 * The concurrency limit, applied once a request's body has been read (a
 * client dripping its body holds no slot), with a short bounded queue: a
 * burst over the limit waits briefly for a slot instead of every client
 * being told to retry at the same moment. A 429 says when to retry with
 * jitter, so refused clients do not come back together either.
 */
export class Admission {
  private running = 0
  private readonly waiting: Waiter[] = []
  private readonly random: () => number

  constructor(private readonly opts: AdmissionOptions) {
    this.random = opts.random ?? Math.random
  }

  get inflight(): number {
    return this.running
  }

  get queued(): number {
    return this.waiting.length
  }

  get queueLimit(): number {
    return this.opts.maxQueue
  }

  /** Resolves when the request holds a slot (release it once); rejects with 429 when none comes in time. */
  acquire(signal: AbortSignal): Promise<void> {
    if (this.running < this.opts.limit && this.waiting.length === 0) {
      this.running++
      return Promise.resolve()
    }
    if (this.waiting.length >= this.opts.maxQueue) return Promise.reject(this.busy())
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        const i = this.waiting.indexOf(waiter)
        if (i >= 0) this.waiting.splice(i, 1)
      }
      const waiter: Waiter = {
        admit: () => {
          leave()
          resolve()
        },
        refuse: (err) => {
          leave()
          reject(err)
        },
      }
      const timer = setTimeout(() => waiter.refuse(this.busy()), this.opts.waitMs)
      const onAbort = () => waiter.refuse(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
      signal.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(waiter)
    })
  }

  /** A slot is free: the longest waiter takes it. */
  release(): void {
    const next = this.waiting[0]
    if (next) next.admit()
    else this.running--
  }

  /** Stopping: everyone still waiting is refused with `err`. */
  refuseWaiting(err: Error): void {
    for (const w of [...this.waiting]) w.refuse(err)
  }

  private busy(): GatewayHttpError {
    // 0.5–2 s, so the refused clients of one burst come back spread out.
    const ms = Math.round(500 + this.random() * 1500)
    return new GatewayHttpError(
      429,
      'rate_limit_error',
      `The gateway is at its limit of ${this.opts.limit} concurrent requests and ${this.opts.maxQueue} waiting; retry shortly.`,
      'concurrency_limit',
      { headers: { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) } },
    )
  }
}
