import type Database from 'libsql'

import { HistoryStore } from './history-store'
import { HistoryRetention } from './retention'
import { HistoryTransfer } from './transfer'
import { PromptVersionStore } from './version-store'

export { HistoryStore } from './history-store'
export { HistoryRetention } from './retention'
export { HistoryTransfer } from './transfer'
export { PromptVersionStore } from './version-store'

export interface HistoryServices {
  runs: HistoryStore
  versions: PromptVersionStore
  transfer: HistoryTransfer
  retention: HistoryRetention
  /** Stop the daily retention (started with the services: the chosen policy applies at start-up). */
  stopRetention: () => void
}

/** The history services over the app database (migration 2 must have run). */
export function createHistoryServices(db: Database.Database, now: () => number = () => Date.now()): HistoryServices {
  const runs = new HistoryStore(db, now)
  const versions = new PromptVersionStore(db, now)
  const retention = new HistoryRetention(db, now)
  const stopRetention = retention.schedule(() => retention.policy())
  return { runs, versions, transfer: new HistoryTransfer(runs, versions, now), retention, stopRetention }
}
