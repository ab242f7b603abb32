/**
 * Order statistics for small samples (repeat runs, batch cells). Percentiles
 * interpolate linearly between the closest ranks (the "R-7" definition used
 * by numpy and spreadsheets' PERCENTILE.INC), so p50 of [1, 2, 3, 4] is 2.5
 * and p95 of a handful of runs stays between the two largest values instead
 * of jumping to the maximum.
 */

/** Finite numbers only: nulls (not measured) and NaN never enter a statistic. */
export function finiteValues(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = []
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(v)
  return out
}

/** The p-th percentile (0–100) of the values, or null when there are none. */
export function percentile(values: readonly (number | null | undefined)[], p: number): number | null {
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new RangeError(`percentile must be between 0 and 100, got ${p}`)
  const sorted = finiteValues(values).sort((a, b) => a - b)
  return percentileOfSorted(sorted, p)
}

function percentileOfSorted(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo)
}

export function median(values: readonly (number | null | undefined)[]): number | null {
  return percentile(values, 50)
}

export function mean(values: readonly (number | null | undefined)[]): number | null {
  const v = finiteValues(values)
  return v.length === 0 ? null : v.reduce((s, x) => s + x, 0) / v.length
}

/** Sample standard deviation (n − 1); null below two values. */
export function standardDeviation(values: readonly (number | null | undefined)[]): number | null {
  const v = finiteValues(values)
  if (v.length < 2) return null
  const m = v.reduce((s, x) => s + x, 0) / v.length
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1))
}

/** Standard deviation over the mean; null when undefined (fewer than two values or a zero mean). */
export function coefficientOfVariation(values: readonly (number | null | undefined)[]): number | null {
  const sd = standardDeviation(values)
  const m = mean(values)
  if (sd === null || m === null || m === 0) return null
  return sd / Math.abs(m)
}

export interface Summary {
  /** How many values were measured (nulls are left out). */
  n: number
  min: number
  max: number
  mean: number
  p50: number
  p95: number
  /** Null with a single value. */
  stdev: number | null
}

/** Everything a repeat-run chip shows; null when nothing was measured. */
export function summarize(values: readonly (number | null | undefined)[]): Summary | null {
  const sorted = finiteValues(values).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  return {
    n: sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    p50: percentileOfSorted(sorted, 50)!,
    p95: percentileOfSorted(sorted, 95)!,
    stdev: standardDeviation(sorted),
  }
}
