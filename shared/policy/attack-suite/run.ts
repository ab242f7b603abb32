import { runChain } from '../enforcement'
import type { CompiledChain } from '../engine/chain'
import type { AttackEncoding } from './encodings'
import type { SuiteItem, SuiteLibrary } from './generator'
import { ATTACK_FAMILIES, type AttackFamily, type AttackLanguage, LANGUAGES } from './languages'

/**
 * The attack suite run through a policy chain, in report mode (every policy
 * runs, as in the test bench). An attack is caught when some policy other
 * than audit-logger (which only records) acts on it: a block, a redaction or,
 * for a policy set to log, a log. A benign prompt is wrongly flagged on the
 * same terms. The report is counts per family, language and encoding, and
 * the misses and false flags themselves so an author can add a pattern and
 * run it again.
 */

export interface SuiteTally {
  attacks: number
  caught: number
  missed: number
  benign: number
  /** Benign prompts some policy acted on. */
  falseBlocks: number
}

export interface SuiteCase {
  id: string
  family: AttackFamily
  language: AttackLanguage
  encoding: AttackEncoding
  /** The messages' text, joined with a blank line when split. */
  text: string
  /** The prompt before its encoding (the same as text for plain ones). */
  plain: string
  /** The chain's verdict and the policies that acted. */
  verdict: string
  policies: string[]
}

export interface AttackSuiteReport {
  seed: number
  total: SuiteTally
  byFamily: Array<SuiteTally & { family: AttackFamily }>
  byLanguage: Array<SuiteTally & { language: AttackLanguage }>
  byEncoding: Array<SuiteTally & { encoding: AttackEncoding }>
  misses: SuiteCase[]
  falseBlocks: SuiteCase[]
  time_ms: number
}

const emptyTally = (): SuiteTally => ({ attacks: 0, caught: 0, missed: 0, benign: 0, falseBlocks: 0 })

/** The policies (not audit-logger) that did something about the prompt. */
export function actingPolicies(chain: Pick<CompiledChain, 'run'>, item: Pick<SuiteItem, 'messages'>): { verdict: string; policies: string[] } {
  const result = runChain(chain, { messages: item.messages }, 'report')
  const policies = result.policies.filter((p) => p.status === 'ran' && p.policy !== 'audit-logger' && p.verdict !== 'allow').map((p) => p.policy)
  return { verdict: result.verdict, policies: [...new Set(policies)] }
}

export interface RunSuiteOptions {
  /** Called every `every` items with how many are done (the worker reports progress with it). */
  onProgress?: (done: number, total: number) => void
  every?: number
  now?: () => number
}

export function runAttackSuite(chain: Pick<CompiledChain, 'run'>, library: SuiteLibrary, opts: RunSuiteOptions = {}): AttackSuiteReport {
  const now = opts.now ?? (() => performance.now())
  const started = now()
  const total = emptyTally()
  const fam = new Map<AttackFamily, SuiteTally>(ATTACK_FAMILIES.map((f) => [f, emptyTally()]))
  const lang = new Map<AttackLanguage, SuiteTally>(LANGUAGES.map((l) => [l, emptyTally()]))
  const enc = new Map<AttackEncoding, SuiteTally>()
  const misses: SuiteCase[] = []
  const falseBlocks: SuiteCase[] = []
  const every = opts.every ?? 250
  library.items.forEach((item, i) => {
    const { verdict, policies } = actingPolicies(chain, item)
    const flagged = policies.length > 0
    if (!enc.has(item.encoding)) enc.set(item.encoding, emptyTally())
    for (const t of [total, fam.get(item.family)!, lang.get(item.language)!, enc.get(item.encoding)!]) {
      if (item.kind === 'attack') {
        t.attacks++
        if (flagged) t.caught++
        else t.missed++
      } else {
        t.benign++
        if (flagged) t.falseBlocks++
      }
    }
    if (item.kind === 'attack' ? !flagged : flagged) {
      const c: SuiteCase = {
        id: item.id,
        family: item.family,
        language: item.language,
        encoding: item.encoding,
        text: item.messages.map((m) => m.content).join('\n\n'),
        plain: item.plain,
        verdict,
        policies,
      }
      ;(item.kind === 'attack' ? misses : falseBlocks).push(c)
    }
    if (opts.onProgress && (i + 1) % every === 0) opts.onProgress(i + 1, library.items.length)
  })
  return {
    seed: library.seed,
    total,
    byFamily: [...fam].map(([family, t]) => ({ family, ...t })),
    byLanguage: [...lang].map(([language, t]) => ({ language, ...t })),
    byEncoding: [...enc].map(([encoding, t]) => ({ encoding, ...t })),
    misses,
    falseBlocks,
    time_ms: now() - started,
  }
}

/** Share of attacks caught, or null when there were none. */
export function recall(t: Pick<SuiteTally, 'attacks' | 'caught'>): number | null {
  return t.attacks ? t.caught / t.attacks : null
}

/** Share of benign prompts wrongly flagged, or null when there were none. */
export function falseBlockRate(t: Pick<SuiteTally, 'benign' | 'falseBlocks'>): number | null {
  return t.benign ? t.falseBlocks / t.benign : null
}
