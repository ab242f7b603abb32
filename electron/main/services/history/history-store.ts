import { endpointKindOf, type RunEndpoint } from '@shared/endpoint'
import { type MetricPoint, RunInput, type RunPage, type RunQuery, type RunRecord, type RunRecordData, type RunSummary } from '@shared/ipc/domains/history'
import { SNIPPET_OPEN } from '@shared/ipc/domains/history'
import { formatZodError, WaferError } from '@shared/ipc/errors'
import { honestStoredRate } from '@shared/metrics/honest-figures'
import type Database from 'libsql'

import { searchTerms, toFtsQuery } from './fts-query'
import { buildListQuery, buildMetricQuery, endpointColumn, type MetricQuery, RID_PER_MS, ROWS_BY_RID } from './list-query'
import { RunRows, type StoredRow } from './run-rows'
import { SearchHits } from './search-hits'
import { snippetOf } from './snippet'

/**
 * Saved runs in SQLite: one row per run with the figures the list and the
 * charts need as columns, what the run added (its own turn, its answer) with
 * the messages it sent again stored once and referred to (run-rows.ts,
 * migration 7), and an FTS5 index over each run's own turn and answer (kept
 * in step by triggers).
 */

/**
 * A search with earlier turns matching at most this many runs reads them all
 * and finds the runs that continue them in one statement; one matching more
 * walks the list newest first instead, checking each run's chat, and stops
 * once a page is full (see earlierPage()).
 */
export const FEW_HITS = 800
/** Runs read at a time while walking the list for a search with earlier turns. */
const WALK_BATCH = 500

/** Start times beyond this would overflow a safe integer once multiplied into a rid. */
const MAX_STARTED_AT = Math.floor(Number.MAX_SAFE_INTEGER / RID_PER_MS) - 1

interface SummaryRow {
  rid: number
  seq: number
  parent_rid: number | null
  id: string
  started_at: number
  model: string
  source: RunSummary['source']
  group_id: string | null
  status: RunSummary['status']
  error_code: string | null
  prompt_preview: string
  output_preview: string
  ttft_ms: number | null
  decode_tps: number | null
  prompt_tokens: number | null
  completion_tokens: number | null
  cost_usd: number | null
  /** The best passage of each searched column (turn, answer, earlier turns), hits between SNIPPET_OPEN and SNIPPET_CLOSE. */
  s_turn: string | null
  s_output: string | null
  s_earlier: string | null
  demo: number
  /** `kind|host`, or null when not recorded (see endpointColumn). */
  endpoint: string | null
}

/** Where a run is in its chat: its index row (seq) and the run it continues. */
interface ChatLink {
  rid: number
  seq: number
  parent_rid: number | null
}

export class HistoryStore {
  private readonly rows: RunRows
  private readonly ridOf
  private readonly lastRidInMs
  private readonly dataOf
  private readonly deleteStmt
  private readonly modelsStmt
  private readonly markDemo
  private readonly unmarkDemo
  private readonly setEndpoint
  private readonly clearEndpoint
  private readonly hitsStmt
  private readonly linkOf
  private readonly rowsByRid

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.rows = new RunRows(db)
    this.ridOf = db.prepare('SELECT rid, started_at FROM runs WHERE id = ?')
    this.lastRidInMs = db.prepare('SELECT MAX(rid) AS rid FROM runs WHERE rid >= ? AND rid < ?')
    this.dataOf = db.prepare(`SELECT data, request_tip, prompt_tip, saved_at, ${endpointColumn('runs.id')} FROM runs WHERE id = ?`)
    this.deleteStmt = db.prepare('DELETE FROM runs WHERE id = ?')
    this.modelsStmt = db.prepare('SELECT DISTINCT model FROM runs ORDER BY model')
    this.markDemo = db.prepare('INSERT OR IGNORE INTO demo_runs (id) VALUES (?)')
    this.unmarkDemo = db.prepare('DELETE FROM demo_runs WHERE id = ?')
    this.setEndpoint = db.prepare('INSERT OR REPLACE INTO run_endpoints (id, kind, host) VALUES (?, ?, ?)')
    this.clearEndpoint = db.prepare('DELETE FROM run_endpoints WHERE id = ?')
    this.hitsStmt = db.prepare(SearchHits.sql)
    this.rowsByRid = db.prepare(ROWS_BY_RID)
    this.linkOf = db.prepare('SELECT rid, seq, parent_rid FROM runs WHERE rid = ?')
  }

  /**
   * Save a run (validated here, whoever the caller). Saving the same id again
   * replaces it, so a retried save never makes a duplicate.
   */
  saveRun(input: RunInput, savedAt: number = this.now()): { id: string; savedAt: number } {
    return this.saveRuns([input], savedAt)[0]
  }

  /** Save several runs in one transaction (a batch, an import): all or none. */
  saveRuns(inputs: readonly RunInput[], savedAt: number = this.now()): { id: string; savedAt: number }[] {
    const runs = inputs.map((input) => {
      const parsed = RunInput.safeParse(input)
      if (!parsed.success) throw new WaferError('bad_request', `Cannot save the run: ${formatZodError(parsed.error)}`)
      if (parsed.data.startedAt > MAX_STARTED_AT) throw new WaferError('bad_request', 'Cannot save the run: startedAt is not a plausible time.')
      return parsed.data
    })
    const save = this.db.transaction(() => {
      let replaced = false
      for (const run of runs) replaced = this.writeOne(run, savedAt) || replaced
      if (replaced) this.rows.settle()
    })
    try {
      save()
    } catch (err) {
      throw new WaferError('storage', `Cannot save the run: ${err instanceof Error ? err.message : String(err)}`)
    }
    return runs.map((r) => ({ id: r.id, savedAt }))
  }

  /** Write one run; true when it replaced a saved one (what that one held may now be unreferenced). */
  private writeOne(run: RunRecordData, savedAt: number): boolean {
    const existing = this.ridOf.get(run.id) as { rid: number; started_at: number } | undefined
    // A replaced run keeps its place in the list when its start time is the same.
    if (existing) this.deleteStmt.run(run.id)
    this.rows.insert(existing && existing.started_at === run.startedAt ? existing.rid : this.nextRid(run.startedAt), run, savedAt)
    if (run.demo) this.markDemo.run(run.id)
    else this.unmarkDemo.run(run.id)
    // A demo run saved without one (an older export) was still answered by the demo.
    const endpoint = run.endpoint ?? (run.demo ? { kind: 'demo' as const, host: '' } : null)
    if (endpoint) this.setEndpoint.run(run.id, endpoint.kind, endpoint.host)
    else this.clearEndpoint.run(run.id)
    return existing !== undefined
  }

  has(id: string): boolean {
    return this.ridOf.get(id) !== undefined
  }

  getRun(id: string): RunRecord {
    const row = this.dataOf.get(id) as (StoredRow & { saved_at: number; endpoint: string | null }) | undefined
    if (!row) throw new WaferError('not_found', `No saved run with id ${id}.`)
    // The side table is where the endpoint is kept (demo runs from before it was recorded have it only there).
    return { ...this.rows.read(row), endpoint: parseEndpoint(row.endpoint), savedAt: row.saved_at }
  }

  listRuns(query: RunQuery = {}): RunPage {
    const built = buildListQuery(query)
    let rows: SummaryRow[]
    /** With earlier turns: per run, the run up its chat (or itself) whose text matched. */
    const matchedAt = new Map<number, number>()
    try {
      rows = built.search?.includeEarlier ? this.earlierPage(query, built.fetch, matchedAt) : (this.db.prepare(built.sql).all(...built.params) as SummaryRow[])
    } catch (err) {
      throw new WaferError('storage', `Cannot search the history: ${err instanceof Error ? err.message : String(err)}`)
    }
    const more = rows.length > built.limit
    const page = more ? rows.slice(0, built.limit) : rows
    if (built.search !== null) this.findPassages(page, built.search, matchedAt)
    return {
      runs: page.map(toSummary),
      nextCursor: more ? String(page[page.length - 1].rid) : null,
    }
  }

  /**
   * Up to `fetch` rows of a search with earlier turns: runs whose own text
   * matched, and the runs that continue them (up parent_rid). With few
   * matches, all of them and their continuations in one statement; with
   * many, the list (with its filters) newest first, each run kept when it or
   * a run up its chat matched, until the page is full: a page of a common
   * word is found in the first few hundred runs.
   */
  private earlierPage(query: RunQuery, fetch: number, matchedAt: Map<number, number>): SummaryRow[] {
    const hits = new SearchHits(this.hitsStmt, toFtsQuery(query.text ?? '') ?? '')
    /** Per run reached: the nearest run up its chat (or itself) that matched, or null when none did. */
    const known = new Map<number, number | null>()
    const matches = (row: ChatLink): boolean => {
      const path: number[] = []
      let found: number | null = null
      for (let at: ChatLink | undefined = row; at;) {
        const k = known.get(at.rid)
        if (k !== undefined) {
          found = k
          break
        }
        path.push(at.rid)
        if (hits.has(at.seq)) {
          found = at.rid
          break
        }
        const up: number | null = at.parent_rid
        // A parent_rid below 0 marks a run whose parent went (it keeps its earlier turns as its own text).
        at = up !== null && up >= 0 ? (this.linkOf.get(up) as ChatLink | undefined) : undefined
      }
      for (const rid of path) known.set(rid, found)
      if (found !== null) matchedAt.set(row.rid, found)
      return found !== null
    }
    try {
      if (!hits.readUpTo(FEW_HITS + 1)) {
        // The rows' columns only for the page: the query sorts every run it reached.
        const built = buildListQuery(query, { hitSeqs: hits.all(), linksOnly: true })
        const links = this.db.prepare(built.sql).all(...built.params) as ChatLink[]
        for (const link of links) matches(link)
        return this.rowsByRid.all(JSON.stringify(links.map((l) => l.rid))) as SummaryRow[]
      }
      const chosen: number[] = []
      for (let cursor = query.cursor; chosen.length < fetch;) {
        const built = buildListQuery({ ...query, text: undefined, includeEarlier: undefined, cursor, limit: WALK_BATCH }, { linksOnly: true })
        const links = this.db.prepare(built.sql).all(...built.params) as ChatLink[]
        for (const link of links.slice(0, WALK_BATCH)) if (chosen.length < fetch && matches(link)) chosen.push(link.rid)
        if (links.length <= WALK_BATCH) break
        cursor = String(links[WALK_BATCH - 1].rid)
      }
      return this.rowsByRid.all(JSON.stringify(chosen)) as SummaryRow[]
    } finally {
      hits.close()
    }
  }

  /**
   * Each searched run's passage: from its own turn or answer (or the earlier
   * turns it keeps as its own text); with earlier turns included and none of
   * those matching, from the nearest run up its chat (the run it continues,
   * and so on) whose text matched (`matchedAt`, found while choosing the
   * runs): the texts of a page and of those runs are read in one statement.
   */
  private findPassages(page: SummaryRow[], search: { text: string; includeEarlier: boolean }, matchedAt: ReadonlyMap<number, number>): void {
    const terms = searchTerms(search.text)
    const source = (row: SummaryRow) => matchedAt.get(row.rid) ?? row.rid
    const texts = this.rows.searchableMany([...new Set(page.map(source))])
    for (const row of page) {
      const from = source(row)
      const own = texts.get(from)
      if (own && from !== row.rid) {
        const passage = snippetOf(own.turn, terms) ?? snippetOf(own.output, terms) ?? snippetOf(own.earlier, terms)
        if (passage !== null) {
          Object.assign(row, { s_turn: null, s_output: null, s_earlier: passage })
          continue
        }
      } else if (own) {
        // The first column with a hit is the one shown (see matched()): the others need no passage.
        const turn = snippetOf(own.turn, terms)
        const output = turn === null ? snippetOf(own.output, terms) : null
        const earlier = search.includeEarlier && turn === null && output === null ? snippetOf(own.earlier, terms) : null
        if ((turn ?? output ?? earlier) !== null) {
          Object.assign(row, { s_turn: turn, s_output: output, s_earlier: earlier })
          continue
        }
      }
      // Terms the index matched across columns that no one passage shows: up the chat, a run at a time.
      const start = from === row.rid ? own?.parent : texts.get(from)?.parent
      for (let up = start ?? null, depth = 0; search.includeEarlier && up !== null && depth < 10_000; depth++) {
        const texts = this.rows.searchableMany([up]).get(up)
        if (!texts) break
        const passage = snippetOf(texts.turn, terms) ?? snippetOf(texts.output, terms) ?? snippetOf(texts.earlier, terms)
        if (passage) {
          Object.assign(row, { s_turn: null, s_output: null, s_earlier: passage })
          break
        }
        up = texts.parent
      }
    }
  }

  deleteRuns(ids: readonly string[]): number {
    let deleted = 0
    this.db.transaction(() => {
      for (const id of ids) deleted += this.deleteStmt.run(id).changes
      if (deleted) this.rows.settle()
    })()
    return deleted
  }

  models(): string[] {
    return (this.modelsStmt.all() as { model: string }[]).map((r) => r.model)
  }

  /** TTFT and decode speed of runs that have either, newest first. */
  metricPoints(q: MetricQuery = {}): MetricPoint[] {
    const built = buildMetricQuery(q)
    const rows = this.db.prepare(built.sql).all(...built.params) as {
      id: string
      started_at: number
      model: string
      ttft_ms: number | null
      decode_tps: number | null
      completion_tokens: number | null
      demo: number
      endpoint: string | null
    }[]
    const points: MetricPoint[] = []
    for (const r of rows) {
      const endpoint = parseEndpoint(r.endpoint)
      // A speed from too few tokens or too short a time is no speed: left out of the charts and medians.
      const decode = honestStoredRate(r.decode_tps, r.completion_tokens).value
      if (decode === null && r.ttft_ms === null) continue
      points.push({
        id: r.id,
        startedAt: r.started_at,
        model: r.model,
        ttftMs: r.ttft_ms,
        decodeTokensPerSec: decode,
        ...(r.demo ? { demo: true as const } : {}),
        ...(endpoint ? { endpoint } : {}),
      })
    }
    return points
  }

  private nextRid(startedAt: number): number {
    const base = startedAt * RID_PER_MS
    const last = (this.lastRidInMs.get(base, base + RID_PER_MS) as { rid: number | null }).rid
    return last === null ? base : last + 1
  }
}

function toSummary(r: SummaryRow): RunSummary {
  return {
    id: r.id,
    startedAt: r.started_at,
    model: r.model,
    source: r.source,
    groupId: r.group_id,
    status: r.status,
    errorCode: r.error_code,
    promptPreview: r.prompt_preview,
    outputPreview: r.output_preview,
    ...matched(r),
    ttftMs: r.ttft_ms,
    // The rule of shared/metrics/honest-figures.ts, also for rows saved before it.
    decodeTokensPerSec: honestStoredRate(r.decode_tps, r.completion_tokens).value,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    costUsd: r.cost_usd,
    ...(r.demo ? { demo: true as const } : {}),
    endpoint: parseEndpoint(r.endpoint),
  }
}

/** The passage a search matched, and where: the run's own turn, its answer, or the chat's earlier turns. */
function matched(r: SummaryRow): Pick<RunSummary, 'snippet' | 'matchedIn'> {
  const found = (
    [
      ['prompt', r.s_turn],
      ['answer', r.s_output],
      ['earlier', r.s_earlier],
    ] as const
  ).find(([, s]) => s?.includes(SNIPPET_OPEN))
  return found ? { snippet: found[1], matchedIn: found[0] } : { snippet: null, matchedIn: null }
}

/** `kind|host` from endpointColumn; null when none was recorded or the kind is not one this app knows. */
function parseEndpoint(value: string | null): RunEndpoint | null {
  if (value === null) return null
  const bar = value.indexOf('|')
  const kind = endpointKindOf(value.slice(0, bar))
  return bar > 0 && kind ? { kind, host: value.slice(bar + 1) } : null
}
