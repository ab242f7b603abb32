/**
 * Which policy kinds exist and what we do with them. Browser-safe data only.
 */

/** Kinds this app enforces. */
export const ENFORCED_KINDS = ['prompt-injection', 'pii-detector', 'audit-logger', 'token-budget', 'deny-patterns', 'allow-patterns'] as const
export type EnforcedKind = (typeof ENFORCED_KINDS)[number]

/**
 * Kinds of the wider Keeptrusts catalog that we recognise but do not enforce.
 * They stay in the file untouched; lint flags them "not enforced here".
 * (The catalog has about 39 kinds; these are the ones its public docs name.)
 */
export const CATALOG_ONLY_KINDS = [
  'agent-firewall',
  'bot-detector',
  'case-privacy',
  'citation-verifier',
  'cjis-mode',
  'content-extractor',
  'data-routing-policy',
  'dlp-filter',
  'dual-use-filter',
  'embedding-detector',
  'entity-list-filter',
  'external-moderation',
  'hipaa-phi-detector',
  'human-oversight',
  'itar-ear-filter',
  'language-validator',
  'quality-scorer',
  'rbac',
  'safety-filter',
  'student-privacy',
] as const

/** Kinds that may be written as a standalone single-policy document. */
export const SINGLE_POLICY_KINDS = ['prompt-injection', 'agent-firewall', 'citation-verifier', 'quality-scorer'] as const

export function isEnforcedKind(kind: string): kind is EnforcedKind {
  return (ENFORCED_KINDS as readonly string[]).includes(kind)
}

export function isCatalogOnlyKind(kind: string): boolean {
  return (CATALOG_ONLY_KINDS as readonly string[]).includes(kind)
}

export function isKnownKind(kind: string): boolean {
  return isEnforcedKind(kind) || isCatalogOnlyKind(kind)
}

export interface KindInfo {
  kind: EnforcedKind
  summary: string
  /**
   * Whether the kind does something useful without a `policy:` block. When
   * true, a chain entry without a block is a warning (E003 at warning level),
   * otherwise an error.
   */
  usableDefaults: boolean
  /** What the defaults do, for the E003 message and hover docs. */
  defaultsNote: string
  /** Not part of the Keeptrusts schema: only this app enforces it. */
  waferExtension: boolean
}

export const KIND_INFO: Record<EnforcedKind, KindInfo> = {
  'prompt-injection': {
    kind: 'prompt-injection',
    summary: 'Detects instruction override, role manipulation, system-prompt leaks and fake delimiters, also hidden by encodings or look-alike characters.',
    usableDefaults: true,
    defaultsNote: 'defaults: all detectors on, threshold 0.7, action block',
    waferExtension: false,
  },
  'pii-detector': {
    kind: 'pii-detector',
    summary: 'Finds personal data (email, phone, card, IBAN, SSN, IP, secrets, dates of birth) and redacts or blocks it, in requests and streamed responses.',
    usableDefaults: true,
    defaultsNote: 'defaults: action redact, pci_mode on, label markers',
    waferExtension: false,
  },
  'audit-logger': {
    kind: 'audit-logger',
    summary: 'Records every decision of the chain in a tamper-evident, append-only log (never the matched text).',
    usableDefaults: true,
    defaultsNote: 'defaults: immutable, 365 days retention',
    waferExtension: false,
  },
  'token-budget': {
    kind: 'token-budget',
    summary: 'Caps prompt tokens and max_completion_tokens per request (Cerebras reserves max_completion_tokens up front).',
    usableDefaults: false,
    defaultsNote: 'it needs at least one limit (max_prompt_tokens, max_completion_tokens or max_total_tokens)',
    waferExtension: true,
  },
  'deny-patterns': {
    kind: 'deny-patterns',
    summary: 'Blocks messages matching any of your regular expressions (like Kong AI Prompt Guard deny_patterns), in linear time.',
    usableDefaults: false,
    defaultsNote: 'it needs a list of patterns',
    waferExtension: true,
  },
  'allow-patterns': {
    kind: 'allow-patterns',
    summary: 'Blocks messages that match none of your regular expressions (like Kong AI Prompt Guard allow_patterns).',
    usableDefaults: false,
    defaultsNote: 'it needs a list of patterns',
    waferExtension: true,
  },
}

/** Closest known kind by edit distance, for "did you mean" hints. */
export function suggestKind(name: string): string | undefined {
  let best: string | undefined
  let bestDist = Infinity
  for (const k of [...ENFORCED_KINDS, ...CATALOG_ONLY_KINDS]) {
    const d = editDistance(name.toLowerCase(), k)
    if (d < bestDist) {
      bestDist = d
      best = k
    }
  }
  return bestDist <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length]
}
