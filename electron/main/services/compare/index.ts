import { findModel } from '@shared/catalog/lookup'
import { parsePricingOverrides, PRICING_OVERRIDES_KEY } from '@shared/catalog/overrides'
import { usageCostUsd } from '@shared/catalog/usage-cost'
import type { Usage } from '@shared/ipc/domains/chat'
import type { RunInput } from '@shared/ipc/domains/history'
import type Database from 'libsql'

import { type BatchChat, BatchRunner, type BatchRunnerDeps } from '../batch/batch-runner'
import { batchRunToHistory } from '../batch/history-record'
import type { Clock } from '../cerebras/clock'
import { VoteStore } from './vote-store'

export { BatchRunner } from '../batch/batch-runner'
export { VoteStore } from './vote-store'

export interface CompareServices {
  votes: VoteStore
  batches: BatchRunner
  dispose(): void
}

export interface CompareServiceDeps {
  /** The app database (the 'compare votes' migration must have run). */
  db: Database.Database
  /** The transport's ChatService (or anything with its start/abort). */
  chat: BatchChat
  clock: Clock
  /** Save a batch cell to history (HistoryStore.saveRun); failures are reported, never fatal. */
  saveRun?: (run: RunInput) => void
  /** Read a UI document (UiStateStore.get), for the user's pricing overrides. */
  readState?: (key: string) => unknown
  onError?: (message: string) => void
  batch?: Partial<Omit<BatchRunnerDeps, 'chat' | 'clock' | 'onRunFinished'>>
}

/** USD for a run at the user's override, else the bundled catalog price; null when unknown. */
export function runCostUsd(model: string, usage: Usage | null, readState?: (key: string) => unknown): number | null {
  if (!usage) return null
  const override = readState ? parsePricingOverrides(readState(PRICING_OVERRIDES_KEY)).overrides[model] : undefined
  const catalog = findModel(model)
  return usageCostUsd(
    { inputPer1M: override?.inputPer1M ?? catalog?.pricing.inputPer1M ?? null, outputPer1M: override?.outputPer1M ?? catalog?.pricing.outputPer1M ?? null },
    usage,
  )
}

export function createCompareServices(deps: CompareServiceDeps): CompareServices {
  const votes = new VoteStore(deps.db)
  const batches = new BatchRunner({
    ...deps.batch,
    chat: deps.chat,
    clock: deps.clock,
    onRunFinished: (run) => {
      if (!deps.saveRun) return
      try {
        const usage = run.outcome.terminal.kind === 'done' ? run.outcome.terminal.event.usage : null
        deps.saveRun(batchRunToHistory(run, runCostUsd(run.model, usage, deps.readState)))
      } catch (err) {
        deps.onError?.(`A batch answer could not be saved to history: ${err instanceof Error ? err.message : String(err)}`)
      }
    },
  })
  return { votes, batches, dispose: () => batches.cancelAll() }
}
