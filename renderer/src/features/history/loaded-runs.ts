import type { RunSummary } from '@shared/ipc/domains/history'

/** Parsed pages kept at once: the rows in view span one or two; a few more for scrolling back. */
const PARSED_PAGES = 4

/**
 * The runs a list has loaded, page after page, kept as each page's JSON text
 * plus the ids, and read back as objects only for the rows on screen. At
 * 100,000 runs, objects for every row made an 80 MB heap that each major
 * garbage collection marked and compacted (50–100 ms pauses while scrolling);
 * a page's text is one string the collector does not walk into (more bytes,
 * about 140 MB at 100,000 runs, but collections of 10–40 ms).
 */
export class LoadedRuns {
  /** Every loaded run's id, in list order: the virtualizer's keys. */
  readonly ids: string[] = []
  private readonly pages: { start: number; json: string }[] = []
  private readonly parsed = new Map<number, RunSummary[]>()

  get length(): number {
    return this.ids.length
  }

  append(runs: RunSummary[]): void {
    if (runs.length === 0) return
    this.pages.push({ start: this.ids.length, json: JSON.stringify(runs) })
    for (const r of runs) this.ids.push(r.id)
  }

  at(index: number): RunSummary {
    if (index < 0 || index >= this.ids.length) throw new RangeError(`No run ${index} of ${this.ids.length}`)
    // The last page whose start is at or before the index.
    let lo = 0
    let hi = this.pages.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.pages[mid].start <= index) lo = mid
      else hi = mid - 1
    }
    let rows = this.parsed.get(lo)
    if (rows) {
      // Most recently used last.
      this.parsed.delete(lo)
    } else {
      rows = JSON.parse(this.pages[lo].json) as RunSummary[]
      if (this.parsed.size >= PARSED_PAGES) this.parsed.delete(this.parsed.keys().next().value!)
    }
    this.parsed.set(lo, rows)
    return rows[index - this.pages[lo].start]
  }
}
