import type { Figure, Withheld } from '@shared/metrics/honest-figures'

import { DASH, fmtInt, fmtMs, plural } from './format'

/**
 * The words for a figure the honesty rule (shared/metrics/honest-figures.ts)
 * withheld: what the user reads in its tooltip and what a screen reader says
 * after the "—".
 */
export function whyWithheld(w: Withheld): string {
  switch (w.kind) {
    case 'too_few_tokens':
      return `Not shown: only ${plural(w.tokens, 'token')}. A speed needs at least ${fmtInt(w.min)}; with fewer, one token more or less swings it.`
    case 'too_short':
      return `Not shown: it spans only ${fmtMs(w.spanMs)}. A speed needs at least ${fmtMs(w.min)}; a shorter span measures how the tokens were delivered, not how fast they were made.`
    case 'clock_domains':
      return `Not shown: the server's total_time (${fmtMs(w.serverTotalMs)}) is longer than the whole request as this app timed it (${fmtMs(w.clientTotalMs)}). The two clocks do not line up, so their difference is not a duration.`
  }
}

/** A checked figure as text (its formatter, or "—") and, when it was withheld, why. */
export function showFigure(f: Figure, format: (n: number) => string): { text: string; why: string | null } {
  if (f.value !== null) return { text: format(f.value), why: null }
  return { text: DASH, why: f.withheld ? whyWithheld(f.withheld) : null }
}
