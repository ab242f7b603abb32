import { randomUUID } from 'node:crypto'

import type { BatchSnapshot, ParsedBatchStartArgs } from '@shared/ipc/domains/compare'
import { WaferError } from '@shared/ipc/errors'

import { Batch, type BatchEvents, type BatchRunnerDeps } from './batch'

export type { BatchChat, BatchEvents, BatchRunnerDeps, FinishedRun } from './batch'

/** Finished batches kept for batch:get, by default. */
const KEEP_FINISHED = 5

/**
 * The batches of this app run: started, cancelled and looked up by id, the
 * last few finished ones kept. One batch's run is batch.ts.
 */
export class BatchRunner {
  private readonly batches = new Map<string, Batch>()

  constructor(private readonly deps: BatchRunnerDeps) {}

  /** Validate and start a batch; resolves as soon as it is queued. Bad input fails here, before any request. */
  start(args: ParsedBatchStartArgs, events: BatchEvents): { batchId: string; total: number } {
    const batchId = args.batchId ?? randomUUID()
    if (this.batches.get(batchId)?.status === 'running') throw new WaferError('conflict', `Batch ${batchId} is already running.`)
    const batch = new Batch(batchId, args, this.deps, events)
    this.batches.set(batchId, batch)
    this.evictFinished()
    void batch.run()
    return { batchId, total: batch.total }
  }

  cancel(batchId: string): boolean {
    const batch = this.batches.get(batchId)
    return batch ? batch.cancel() : false
  }

  get(batchId: string): BatchSnapshot {
    const batch = this.batches.get(batchId)
    if (!batch) throw new WaferError('not_found', `No batch ${batchId} (only the last few finished batches are kept).`)
    return batch.snapshot()
  }

  /** Resolves when the batch has stopped (tests, shutdown). */
  finished(batchId: string): Promise<void> {
    return this.batches.get(batchId)?.finished ?? Promise.resolve()
  }

  cancelAll(): void {
    for (const b of this.batches.values()) b.cancel()
  }

  private evictFinished(): void {
    const keep = this.deps.keepFinished ?? KEEP_FINISHED
    const finished = [...this.batches.entries()].filter(([, b]) => b.status !== 'running')
    for (const [id] of finished.slice(0, Math.max(0, finished.length - keep))) this.batches.delete(id)
  }
}
