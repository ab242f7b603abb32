/**
 * Which of several lanes has the best figure. Lower is better for times and
 * cost, higher for throughput. Ties are all best; lanes that measured nothing
 * (null) are never best, and with fewer than two measured lanes nothing is
 * highlighted, because "best of one" says nothing.
 */
export type Better = 'lower' | 'higher'

export function bestIndices(values: readonly (number | null | undefined)[], better: Better): number[] {
  const measured: Array<[number, number]> = []
  values.forEach((v, i) => {
    if (typeof v === 'number' && Number.isFinite(v)) measured.push([i, v])
  })
  if (measured.length < 2) return []
  const target = better === 'lower' ? Math.min(...measured.map(([, v]) => v)) : Math.max(...measured.map(([, v]) => v))
  // Figures that agree to a part in a million are a tie, not a win by rounding noise.
  const tolerance = Math.abs(target) * 1e-6
  return measured.filter(([, v]) => Math.abs(v - target) <= tolerance).map(([i]) => i)
}
