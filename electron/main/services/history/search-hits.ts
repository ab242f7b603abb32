import type Database from 'libsql'

/**
 * The runs a search matched (by seq, the index's rowid), read from the index
 * newest first and only as far as someone asks: a common word matches most
 * of 100,000 runs, and reading all of them costs far more than a page needs.
 */
export class SearchHits {
  private readonly rows: Iterator<{ seq: number }>
  private readonly seen = new Set<number>()
  private oldest = Infinity
  private ended = false

  constructor(stmt: Database.Statement, match: string) {
    this.rows = stmt.iterate(match) as Iterator<{ seq: number }>
  }

  /** The statement that reads them: every column of the index (the run's own texts and the earlier turns it keeps as its own). */
  static sql = 'SELECT rowid AS seq FROM runs_fts WHERE runs_fts MATCH ? ORDER BY rowid DESC'

  /** Read on until `count` hits are known; false when the index has fewer. */
  readUpTo(count: number): boolean {
    while (!this.ended && this.seen.size < count) this.next()
    return this.seen.size >= count
  }

  /** Whether the run with this seq matched (the index is read down to it). */
  has(seq: number): boolean {
    while (!this.ended && this.oldest > seq) this.next()
    return this.seen.has(seq)
  }

  /** Every hit read so far (all of them once readUpTo() returned false). */
  all(): number[] {
    return [...this.seen]
  }

  /** Let go of the statement (it stays busy while not read to the end). */
  close(): void {
    if (!this.ended) this.rows.return?.()
    this.ended = true
  }

  private next(): void {
    const r = this.rows.next()
    if (r.done) {
      this.ended = true
      return
    }
    this.seen.add(r.value.seq)
    this.oldest = r.value.seq
  }
}
