import type Database from 'libsql'

import { HistoryStore } from './history-store'
import { HistoryTransfer } from './transfer'
import { PromptVersionStore } from './version-store'

export { HistoryStore } from './history-store'
export { HistoryTransfer } from './transfer'
export { PromptVersionStore } from './version-store'

export interface HistoryServices {
  runs: HistoryStore
  versions: PromptVersionStore
  transfer: HistoryTransfer
}

/** The history services over the app database (migration 2 must have run). */
export function createHistoryServices(db: Database.Database, now: () => number = () => Date.now()): HistoryServices {
  const runs = new HistoryStore(db, now)
  const versions = new PromptVersionStore(db, now)
  return { runs, versions, transfer: new HistoryTransfer(runs, versions, now) }
}
