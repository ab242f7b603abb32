import { RetentionPolicy } from '@shared/ipc/domains/history'
import type Database from 'libsql'

import { RID_PER_MS } from './list-query'
import { RunRows } from './run-rows'

/**
 * How much history to keep: everything, runs younger than N days, the newest
 * N runs, or as many of the newest runs as fit in N MB. Only runs are ever
 * deleted: prompt versions live in their own table and are never touched.
 */
export type { RetentionPolicy }

/** Where the chosen policy is kept: the app database's ui_state table (migration 1). */
const POLICY_KEY = 'history.retention'

export interface RetentionResult {
  deleted: number
  /** The database was compacted (VACUUM) after the deletion. */
  compacted: boolean
  bytesBefore: number
  bytesAfter: number
}

const DAY_MS = 86_400_000
/** Runs deleted per transaction, so a first application on a large history never holds one huge transaction. */
const BATCH = 2000
/** Compact after deleting this many runs or this share of them: the file gives the space back. */
const COMPACT_RUNS = 1000
const COMPACT_SHARE = 0.1

export class HistoryRetention {
  private readonly countStmt
  private readonly deleteBelow
  private readonly nthNewest
  private readonly oldestRids
  private timer: NodeJS.Timeout | null = null
  private readonly readPolicy
  private readonly writePolicy
  private readonly rows: RunRows

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.rows = new RunRows(db)
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM runs')
    // Oldest first, a batch at a time, below a rid: the primary key does the ordering.
    this.deleteBelow = db.prepare('DELETE FROM runs WHERE rid IN (SELECT rid FROM runs WHERE rid < ? ORDER BY rid LIMIT ?)')
    this.nthNewest = db.prepare('SELECT rid FROM runs ORDER BY rid DESC LIMIT 1 OFFSET ?')
    this.oldestRids = db.prepare('SELECT rid FROM runs ORDER BY rid LIMIT 1 OFFSET ?')
    this.readPolicy = db.prepare('SELECT value FROM ui_state WHERE key = ?')
    this.writePolicy = db.prepare('INSERT OR REPLACE INTO ui_state (key, value, updated_at) VALUES (?, ?, ?)')
  }

  /** The chosen policy; keep everything when none was chosen (or what is kept cannot be read). */
  policy(): RetentionPolicy {
    const row = this.readPolicy.get(POLICY_KEY) as { value: string } | undefined
    if (!row) return { kind: 'all' }
    try {
      const parsed = RetentionPolicy.safeParse(JSON.parse(row.value))
      return parsed.success ? parsed.data : { kind: 'all' }
    } catch {
      return { kind: 'all' }
    }
  }

  setPolicy(policy: RetentionPolicy): void {
    this.writePolicy.run(POLICY_KEY, JSON.stringify(RetentionPolicy.parse(policy)), new Date(this.now()).toISOString())
  }

  /** The database's size in bytes (its pages; the WAL is folded in by a checkpoint). */
  databaseBytes(): number {
    const pages = (this.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count
    const size = (this.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size
    return pages * size
  }

  apply(policy: RetentionPolicy): RetentionResult {
    const bytesBefore = this.databaseBytes()
    const before = this.count()
    let deleted = 0
    if (policy.kind === 'days') deleted = this.deleteRidsBelow((this.now() - policy.days * DAY_MS) * RID_PER_MS)
    else if (policy.kind === 'runs') deleted = this.keepNewest(policy.runs)
    else if (policy.kind === 'megabytes') deleted = this.fitIn(policy.megabytes * 1024 * 1024)
    // fitIn compacts as it goes (the size it aims at is the file's).
    const compacted = deleted > 0 && (policy.kind === 'megabytes' || deleted >= COMPACT_RUNS || deleted >= before * COMPACT_SHARE)
    if (compacted && policy.kind !== 'megabytes') this.compact()
    return { deleted, compacted, bytesBefore, bytesAfter: this.databaseBytes() }
  }

  /** Apply now and then once a day, with the policy as it is at each time. Returns a stop function. */
  schedule(policy: () => RetentionPolicy, onApplied: (r: RetentionResult) => void = () => undefined): () => void {
    const run = () => {
      const r = this.apply(policy())
      if (r.deleted) onApplied(r)
    }
    run()
    this.timer = setInterval(run, DAY_MS)
    this.timer.unref?.()
    return () => {
      if (this.timer) clearInterval(this.timer)
      this.timer = null
    }
  }

  private count(): number {
    return (this.countStmt.get() as { n: number }).n
  }

  private deleteRidsBelow(rid: number): number {
    let deleted = 0
    for (;;) {
      const n = this.db.transaction(() => {
        const changes = this.deleteBelow.run(rid, BATCH).changes
        // The messages and texts only these runs referred to go with them.
        if (changes) this.rows.settle()
        return changes
      })()
      deleted += n
      if (n < BATCH) return deleted
    }
  }

  private keepNewest(keep: number): number {
    // The newest run that goes: everything below the newest `keep` runs.
    const row = this.nthNewest.get(Math.max(0, keep - 1)) as { rid: number } | undefined
    if (!row) return 0
    return this.deleteRidsBelow(keep === 0 ? Number.MAX_SAFE_INTEGER : row.rid)
  }

  private fitIn(limit: number): number {
    let deleted = 0
    // The file shrinks only once compacted: estimate from the average run, delete, compact, look again.
    for (let round = 0; round < 4; round++) {
      const size = this.databaseBytes()
      const runs = this.count()
      if (size <= limit || runs === 0) break
      const perRun = size / runs
      const over = Math.min(runs, Math.ceil((size - limit) / perRun))
      const edge = this.oldestRids.get(over) as { rid: number } | undefined
      deleted += this.deleteRidsBelow(edge ? edge.rid : Number.MAX_SAFE_INTEGER)
      this.compact()
    }
    return deleted
  }

  private compact(): void {
    // Deleting from the search index only records the deletions; merging its segments drops them, then VACUUM gives the pages back.
    this.db.exec(`INSERT INTO runs_fts (runs_fts) VALUES ('optimize')`)
    this.db.exec('VACUUM')
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  }
}
