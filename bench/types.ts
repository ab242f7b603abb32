/** One figure a benchmark suite reports. With --json each is printed as one line. */
export interface BenchRow {
  suite: string
  name: string
  /** null: the run could not measure it honestly (shown "—"). */
  value: number | null
  unit: string
  /** What the figure is compared against, measured in the same run (null when none). */
  baseline: number | null
  /** value / baseline, or null. */
  ratio: number | null
}

export interface BenchOptions {
  json: boolean
  /** Extra arguments after the suite name. */
  args: string[]
  /** Progress lines go here (stderr), so --json stdout stays parseable. */
  log: (line: string) => void
}

/** A suite is a module bench/<suite>.ts whose default export returns its rows. */
export type BenchSuite = (opts: BenchOptions) => Promise<BenchRow[]>

export function row(suite: string, name: string, value: number | null, unit: string, baseline: number | null = null): BenchRow {
  return { suite, name, value, unit, baseline, ratio: baseline && value !== null ? value / baseline : null }
}
