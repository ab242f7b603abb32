import type { EventName, PayloadOf } from '@shared/ipc/contract'
import type { RedactedSearch } from '@shared/ipc/domains/history'

import type { Handler } from '../ipc/dispatcher'
import type { HistoryServices } from '../services/history'

/** Handlers for saved runs, prompt versions and their JSON files. */

export interface HistoryHandlerDeps {
  history: HistoryServices
  /** Tell every window the list changed (the History screen refreshes). */
  broadcast: <E extends EventName>(event: E, payload: PayloadOf<E>) => void
  /** What of a search text the active policy redacts before runs are stored (null: nothing, or no policy). */
  redactedSearch?: (text: string) => Promise<RedactedSearch | null>
}

export interface HistoryHandlers {
  'history:save': Handler<'history:save'>
  'history:list': Handler<'history:list'>
  'history:get': Handler<'history:get'>
  'history:delete': Handler<'history:delete'>
  'history:models': Handler<'history:models'>
  'history:metrics': Handler<'history:metrics'>
  'history:export': Handler<'history:export'>
  'history:import': Handler<'history:import'>
  'history:retention': Handler<'history:retention'>
  'history:set-retention': Handler<'history:set-retention'>
  'versions:save': Handler<'versions:save'>
  'versions:list': Handler<'versions:list'>
  'versions:get': Handler<'versions:get'>
  'versions:delete': Handler<'versions:delete'>
}

export function createHistoryHandlers(deps: HistoryHandlerDeps): HistoryHandlers {
  const { runs, versions, transfer, retention } = deps.history
  const changed = (reason: PayloadOf<'history:changed'>['reason'], ids: string[]) => {
    try {
      deps.broadcast('history:changed', { reason, ids })
    } catch {
      // A window that went away must not fail the save.
    }
  }
  return {
    'history:save': ({ run }) => {
      const saved = runs.saveRun(run)
      changed('saved', [saved.id])
      return saved
    },
    'history:list': async (query) => {
      const page = runs.listRuns(query)
      // Only the first page says it: the notice is about the search, not each page.
      const redacted = query.text && !query.cursor ? await deps.redactedSearch?.(query.text) : null
      return redacted ? { ...page, redacted } : page
    },
    'history:get': ({ id }) => runs.getRun(id),
    'history:delete': ({ ids }) => {
      const deleted = runs.deleteRuns(ids)
      if (deleted) changed('deleted', ids)
      return { deleted }
    },
    'history:models': () => ({ models: runs.models() }),
    'history:metrics': (q) => ({ points: runs.metricPoints(q) }),
    'history:export': (args) => (args.kind === 'run' ? transfer.exportRun(args.id) : transfer.exportVersion(args.id)),
    'history:import': ({ json }) => {
      const result = transfer.import(json)
      changed(result.kind === 'run' ? 'imported' : 'versions', result.kind === 'run' ? [result.id] : [])
      return result
    },
    'history:retention': () => ({ policy: retention.policy(), databaseBytes: retention.databaseBytes() }),
    'history:set-retention': ({ policy }) => {
      retention.setPolicy(policy)
      const { deleted, bytesAfter } = retention.apply(policy)
      if (deleted) changed('deleted', [])
      return { policy, databaseBytes: bytesAfter, deleted }
    },
    'versions:save': ({ name, note, prompt }) => {
      const saved = versions.save({ name, note, prompt })
      changed('versions', [])
      return saved
    },
    'versions:list': ({ name }) => ({ versions: versions.list(name) }),
    'versions:get': ({ id }) => versions.get(id),
    'versions:delete': ({ id }) => {
      const deleted = versions.delete(id)
      if (deleted) changed('versions', [])
      return { deleted }
    },
  }
}
