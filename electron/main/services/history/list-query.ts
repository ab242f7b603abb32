import type { RunQuery } from '@shared/ipc/domains/history'

import { toFtsQuery } from './fts-query'

/**
 * The SQL behind the History list. Runs are keyed by `rid`, which grows with
 * the start time (see migration 2), so "newest first" is `ORDER BY rid DESC`
 * on the primary key, the model/error/source indexes (which end in rowid) or
 * the FTS index (which returns rowids in order) — never a sort — and a page
 * is "rid below the last one shown" (keyset paging), which costs the same on
 * page 1 and page 1,000.
 */

export const RID_PER_MS = 1024
export const DEFAULT_PAGE = 50

/** The run's endpoint as `kind|host` (a kind never holds a `|`), or NULL when none was recorded: one primary-key lookup. */
export function endpointColumn(id: string): string {
  return `(SELECT e.kind || '|' || e.host FROM run_endpoints e WHERE e.id = ${id}) AS endpoint`
}

const COLUMNS = `r.rid, r.seq, r.parent_rid, r.id, r.started_at, r.model, r.source, r.group_id, r.status, r.error_code,
  r.prompt_preview, r.output_preview, r.ttft_ms, r.decode_tps, r.prompt_tokens, r.completion_tokens, r.cost_usd,
  EXISTS (SELECT 1 FROM demo_runs d WHERE d.id = r.id) AS demo, ${endpointColumn('r.id')}`

export interface BuiltQuery {
  sql: string
  params: (string | number)[]
  /** Rows asked for: one more than the page, to know whether another page exists. */
  fetch: number
  limit: number
  /** A search: the store finds each row's passage (the index keeps no copy of the text). */
  search: { text: string; includeEarlier: boolean } | null
}

/** The list's rows of the runs given (a JSON array of rids), newest first. */
export const ROWS_BY_RID = `SELECT ${COLUMNS} FROM runs r WHERE r.rid IN (SELECT value FROM json_each(?)) ORDER BY r.rid DESC`

export interface ListQueryOptions {
  /**
   * For a search with earlier turns: the runs (by seq) whose text matched,
   * when the store has read them all from the index (few enough); the query
   * then finds the runs that continue them without a second search.
   */
  hitSeqs?: readonly number[]
  /** Only where each run is in its chat (rid, seq, parent_rid), for walking the list. */
  linksOnly?: boolean
}

export function buildListQuery(q: RunQuery, opts: ListQueryOptions = {}): BuiltQuery {
  const { hitSeqs } = opts
  const limit = q.limit ?? DEFAULT_PAGE
  const match = q.text ? toFtsQuery(q.text) : null
  const params: (string | number)[] = []
  const where: string[] = []
  let from: string
  let key: string
  let prefix = ''
  /** Bounds on rid, as they apply to the key the query walks. */
  let below = (rid: string) => `${key} < ${rid}`
  let atLeast = (rid: string) => `${key} >= ${rid}`
  if (match && q.includeEarlier) {
    // A run matches by its own text or by a run it continues (parent_rid, up
    // the chat): those are its earlier turns.
    const hit = hitSeqs
      ? 'SELECT h.rid FROM runs h WHERE h.seq IN (SELECT value FROM json_each(?))'
      : 'SELECT h.rid FROM runs_fts JOIN runs h ON h.seq = runs_fts.rowid WHERE runs_fts MATCH ?'
    prefix = `WITH RECURSIVE hit(rid) AS (${hit}),
      reach(rid) AS (SELECT rid FROM hit UNION SELECT c.rid FROM runs c JOIN reach ON c.parent_rid = reach.rid) `
    params.push(hitSeqs ? JSON.stringify(hitSeqs) : match)
    from = 'runs r'
    key = 'r.rid'
    where.push('r.rid IN (SELECT rid FROM reach)')
  } else if (match) {
    // The index's rowid is the run's seq, in rid's order (migration 7): bounds on rid become bounds on seq.
    from = 'runs_fts JOIN runs r ON r.seq = runs_fts.rowid'
    key = 'runs_fts.rowid'
    below = (rid) => `${key} <= (SELECT b.seq FROM runs b WHERE b.rid < ${rid} ORDER BY b.rid DESC LIMIT 1)`
    atLeast = (rid) => `${key} >= (SELECT b.seq FROM runs b WHERE b.rid >= ${rid} ORDER BY b.rid LIMIT 1)`
    where.push('runs_fts MATCH ?')
    // By default what the run asked and answered; the chat's earlier turns only when asked for.
    params.push(`{turn_text output_text} : (${match})`)
  } else {
    from = 'runs r'
    key = 'r.rid'
  }
  if (q.cursor !== undefined) {
    where.push(below('?'))
    params.push(Number(q.cursor))
  }
  if (q.from !== undefined) {
    where.push(atLeast('?'))
    params.push(q.from * RID_PER_MS)
  }
  if (q.to !== undefined) {
    where.push(below('?'))
    params.push((q.to + 1) * RID_PER_MS)
  }
  if (q.model !== undefined) {
    where.push('r.model = ?')
    params.push(q.model)
  }
  // A literal, not a parameter: only then can SQLite use the partial error indexes.
  if (q.errorsOnly) where.push('r.is_error = 1')
  if (q.source !== undefined) {
    where.push('r.source = ?')
    params.push(q.source)
  }
  if (q.endpoint === 'unknown') where.push('NOT EXISTS (SELECT 1 FROM run_endpoints e WHERE e.id = r.id)')
  else if (q.endpoint !== undefined) {
    where.push('EXISTS (SELECT 1 FROM run_endpoints e WHERE e.id = r.id AND e.kind = ?)')
    params.push(q.endpoint)
  }
  if (q.groupId !== undefined) {
    where.push('r.group_id = ?')
    params.push(q.groupId)
  }
  const sql = `${prefix}SELECT ${opts.linksOnly ? 'r.rid, r.seq, r.parent_rid' : COLUMNS} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key} DESC LIMIT ?`
  params.push(limit + 1)
  return { sql, params, fetch: limit + 1, limit, search: match && q.text ? { text: q.text, includeEarlier: q.includeEarlier ?? false } : null }
}

export interface MetricQuery {
  model?: string
  from?: number
  to?: number
  limit?: number
}

/** Points for the Metrics view: newest first along the primary key, like the list. */
export function buildMetricQuery(q: MetricQuery): { sql: string; params: (string | number)[] } {
  const where = ['(ttft_ms IS NOT NULL OR decode_tps IS NOT NULL)']
  const params: (string | number)[] = []
  if (q.from !== undefined) {
    where.push('rid >= ?')
    params.push(q.from * RID_PER_MS)
  }
  if (q.to !== undefined) {
    where.push('rid < ?')
    params.push((q.to + 1) * RID_PER_MS)
  }
  if (q.model !== undefined) {
    where.push('model = ?')
    params.push(q.model)
  }
  params.push(q.limit ?? 5000)
  return {
    sql: `SELECT id, started_at, model, ttft_ms, decode_tps, completion_tokens, EXISTS (SELECT 1 FROM demo_runs d WHERE d.id = runs.id) AS demo, ${endpointColumn('runs.id')} FROM runs WHERE ${where.join(' AND ')} ORDER BY rid DESC LIMIT ?`,
    params,
  }
}
