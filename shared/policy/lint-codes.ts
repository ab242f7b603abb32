/**
 * Lint codes. E… are errors (the file will not run as intended; `wafer policy
 * lint` exits 2), W… are warnings. E003 is an error or a warning depending on
 * whether the kind works without a `policy:` block.
 */
export const LINT_CODES = {
  E000: 'YAML syntax error',
  E001: 'unknown policy kind',
  E002: 'unknown key',
  E003: 'chain entry without a policy block',
  E004: 'invalid value',
  E005: 'missing required key',
  E006: 'invalid or unsupported regular expression',
  E007: 'regular expression with catastrophic backtracking',
  E008: 'duplicate target id',
  W001: 'key belongs under another section',
  W002: 'target model is deprecated',
  W003: 'policy kind not enforced here',
  W004: 'policy block not in the chain',
  W005: 'more or longer patterns than gateways accept',
  W006: 'conflicting provider settings',
  W007: 'regular expression slow in backtracking engines',
  W008: 'duplicate chain entry',
  W009: 'regular expression matches the empty string',
  W010: 'fallback settings have no effect',
} as const

export type LintCode = keyof typeof LINT_CODES

export type LintSeverity = 'error' | 'warning'

export interface LintFinding {
  code: LintCode
  severity: LintSeverity
  message: string
  /** Path in the document, e.g. ['policy', 'pii-detector', 'action']. */
  path: Array<string | number>
  /** 1-based position of the start of the underlined source. */
  line: number
  column: number
  endLine: number
  endColumn: number
  /** Source offsets [from, to) for editors. */
  from: number
  to: number
}
