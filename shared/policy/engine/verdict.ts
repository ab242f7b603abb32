import type { Verdict } from './types'

/**
 * How bad a verdict is, the one ranking every stage uses (the chain, the
 * in-app policy run, the gateway): a policy that failed outranks a block,
 * which outranks a redaction, then log, then allow.
 */
export type VerdictOrError = Verdict | 'error'

const SEVERITY: Record<VerdictOrError, number> = { allow: 0, log: 1, redact: 2, block: 3, error: 4 }

/** The rank of a verdict; anything unknown ranks as allow. */
export function verdictSeverity(verdict: string): number {
  return SEVERITY[verdict as VerdictOrError] ?? 0
}

/** The worse of two verdicts; the first when they rank the same. */
export function worseVerdict<T extends string>(a: T, b: T): T {
  return verdictSeverity(b) > verdictSeverity(a) ? b : a
}
