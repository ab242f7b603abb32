import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

import type { ChainResult, ChatRequest, PolicyConfig } from '@shared/policy'

export interface PolicyWorkerData {
  config: PolicyConfig
  /** The TypeScript entry, when running from sources through tsx. */
  entry?: string
}
export type ToPolicyWorker = { id: number; request: string }
export type FromPolicyWorker = { id: number; result: string } | { id: number; error: string }

/**
 * The worker's code: the bundle beside the built main process, or the sources
 * through tsx. The build sets import.meta.env.PROD, so a bundle holds only the
 * first path (the built-app smoke test checks that every path it holds exists).
 */
function workerSource(): { url: URL; entry?: string } {
  if ((import.meta as ImportMeta & { env?: { PROD?: boolean } }).env?.PROD) return { url: new URL('./gateway-policy-worker.js', import.meta.url) }
  const here = new URL(import.meta.url)
  if (here.pathname.endsWith('.ts')) return { url: new URL('./policy-worker-boot.mjs', here), entry: new URL('./policy-worker.ts', here).href }
  return { url: new URL('./gateway-policy-worker.js', here) }
}

interface Slot {
  worker: Worker
  pending: Map<number, { resolve: (r: ChainResult) => void; reject: (e: Error) => void }>
}

/**
 * A few worker threads running the input policies over large requests
 * (see policy-adapter.ts for which). Workers start with the first large
 * request and never keep the process alive; one that dies fails what it
 * held (the fail mode decides) and is replaced on the next request.
 */
export class PolicyPool {
  private readonly slots: Array<Slot | undefined>
  private nextId = 1
  private closed = false

  constructor(
    private readonly config: PolicyConfig,
    size = Math.max(1, Math.min(4, availableParallelism() - 1)),
  ) {
    this.slots = new Array<Slot | undefined>(size).fill(undefined)
  }

  run(request: ChatRequest): Promise<ChainResult> {
    if (this.closed) return Promise.reject(new Error('The policy workers are stopped.'))
    const slot = this.leastBusy()
    const id = this.nextId++
    return new Promise<ChainResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject })
      if (slot.pending.size === 1) slot.worker.ref()
      slot.worker.postMessage({ id, request: JSON.stringify(request) } satisfies ToPolicyWorker)
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(
      this.slots.flatMap((s, i) => {
        this.slots[i] = undefined
        if (!s) return []
        this.fail(s, new Error('The gateway is stopping.'))
        return [s.worker.terminate()]
      }),
    )
  }

  private leastBusy(): Slot {
    let best = -1
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]
      if (!s) {
        best = i
        break
      }
      if (best < 0 || s.pending.size < this.slots[best]!.pending.size) best = i
    }
    return (this.slots[best] ??= this.spawn(best))
  }

  private spawn(index: number): Slot {
    const src = workerSource()
    const worker = new Worker(src.url, { workerData: { config: this.config, entry: src.entry } satisfies PolicyWorkerData, name: 'wafer-gateway-policy' })
    const slot: Slot = { worker, pending: new Map() }
    worker.unref()
    worker.on('message', (m: FromPolicyWorker) => {
      const p = slot.pending.get(m.id)
      if (!p) return
      slot.pending.delete(m.id)
      if (slot.pending.size === 0) worker.unref()
      if ('error' in m) p.reject(new Error(m.error))
      else {
        const result = JSON.parse(m.result) as ChainResult
        result.request.messages = result.messages
        p.resolve(result)
      }
    })
    const gone = (err: Error) => {
      if (this.slots[index] === slot) this.slots[index] = undefined
      this.fail(slot, err)
    }
    worker.on('error', (err) => gone(new Error(`The policy worker failed: ${err.message}`)))
    worker.on('exit', (code) => gone(new Error(`The policy worker exited (code ${code}).`)))
    return slot
  }

  private fail(slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(err)
    slot.pending.clear()
  }
}
