import { type Alphabet, buildAlphabet, DfaMode, kindAt, LazyDfa } from './dfa'
import { buildNfa } from './nfa'
import { parseRegex, type RegexFlags, type RegexNode, RegexSyntaxError } from './parse'

export type { RegexFlags, RegexNode } from './parse'
export { RegexSyntaxError } from './parse'
export { analyzeRegexSafety, type RegexHazard } from './safety'

/**
 * A user-written regular expression compiled for linear-time matching. No
 * input can make it backtrack: the same pattern that takes seconds in a
 * backtracking engine (`(a+)+$` on "aaaa…b") costs one pass here.
 */
export interface SafeRegex {
  readonly source: string
  readonly flags: RegexFlags
  /** Longest possible match in code units; Infinity when unbounded. */
  readonly maxLength: number
  /** Whether the pattern can match the empty string (it then matches any text). */
  readonly matchesEmpty: boolean
  /** Whether passing a lower-cased copy of the text (`lowered`) saves work; false when the pattern does not use it. */
  readonly wantsLowered?: boolean
  test(text: string, lowered?: string): boolean
  /** Non-overlapping, non-empty matches as [start, end) code-unit indices, in order. */
  matchAll(text: string, opts?: { limit?: number; lowered?: string }): Array<[number, number]>
  /**
   * The earliest position at or after `from` where a match could start that
   * text appended to `text` might still make, lengthen or undo (its
   * automaton is still alive at the end); -1 when there is none. Matches
   * wholly before that position are final. Looks back at most `maxLength`
   * (4096 for unbounded patterns) characters from the end.
   */
  pendingStart(text: string, from?: number): number
}

export function compileSafeRegex(pattern: string, flags: Partial<RegexFlags> = {}): SafeRegex {
  const parsed = parseRegex(pattern, flags)
  return new LinearRegex(pattern, parsed.ast, parsed.flags)
}

/** Compile or explain why not: for lint and for engines that must not throw. */
export function tryCompileSafeRegex(pattern: string, flags: Partial<RegexFlags> = {}): { ok: true; regex: SafeRegex } | { ok: false; error: RegexSyntaxError } {
  try {
    return { ok: true, regex: compileSafeRegex(pattern, flags) }
  } catch (err) {
    if (err instanceof RegexSyntaxError) return { ok: false, error: err }
    throw err
  }
}

function lengthBounds(node: RegexNode): [number, number] {
  switch (node.type) {
    case 'empty':
    case 'assert':
      return [0, 0]
    case 'set':
      return [1, 1]
    case 'concat':
      return node.items.map(lengthBounds).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0])
    case 'alt': {
      const b = node.items.map(lengthBounds)
      return [Math.min(...b.map((x) => x[0])), Math.max(...b.map((x) => x[1]))]
    }
    case 'repeat': {
      const [lo, hi] = lengthBounds(node.body)
      const max = hi === 0 ? 0 : node.max === Infinity ? Infinity : hi * node.max
      return [lo * node.min, max]
    }
  }
}

/** The longest run of literal characters every match must contain (a cheap pre-check). */
function requiredLiteral(node: RegexNode): string {
  const items = node.type === 'concat' ? node.items : [node]
  let best = ''
  let run = ''
  for (const item of items) {
    if (item.type === 'set' && item.literal !== undefined) {
      run += item.literal
    } else {
      if (run.length > best.length) best = run
      run = ''
    }
  }
  return run.length > best.length ? run : best
}

class LinearRegex implements SafeRegex {
  readonly maxLength: number
  readonly matchesEmpty: boolean
  private readonly alpha: Alphabet
  private readonly search: LazyDfa
  private readonly anchored: LazyDfa
  private readonly reverse: LazyDfa
  private readonly literal: string
  /** Case-insensitive search for an ASCII literal: native, no lower-cased copy of the text needed. */
  private readonly literalSearch: RegExp | null
  readonly wantsLowered: boolean

  constructor(
    readonly source: string,
    ast: RegexNode,
    readonly flags: RegexFlags,
  ) {
    const [min, max] = lengthBounds(ast)
    this.maxLength = max
    this.matchesEmpty = min === 0
    const fwd = buildNfa(ast, false)
    const rev = buildNfa(ast, true)
    this.alpha = buildAlphabet([...fwd.sets, ...rev.sets])
    this.search = new LazyDfa(fwd, this.alpha, DfaMode.Search, flags.multiline)
    this.anchored = new LazyDfa(fwd, this.alpha, DfaMode.Anchored, flags.multiline)
    this.reverse = new LazyDfa(rev, this.alpha, DfaMode.Reverse, flags.multiline)
    const lit = requiredLiteral(ast)
    this.literal = flags.ignoreCase ? lit.toLowerCase() : lit
    // For ASCII, a native /i search finds every case variant the automaton would accept.
    const ascii = isAscii(lit)
    this.literalSearch = flags.ignoreCase && lit.length >= 2 && ascii ? new RegExp(lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), 'i') : null
    this.wantsLowered = flags.ignoreCase && lit.length >= 2 && !ascii
  }

  private mayMatch(text: string, lowered?: string): boolean {
    if (this.literal.length < 2) return true
    if (!this.flags.ignoreCase) return text.includes(this.literal)
    if (this.literalSearch) return this.literalSearch.test(text)
    return (lowered ?? text.toLowerCase()).includes(this.literal)
  }

  test(text: string, lowered?: string): boolean {
    if (!this.mayMatch(text, lowered)) return false
    return this.earliestEnd(text, 0) >= 0
  }

  matchAll(text: string, opts: { limit?: number; lowered?: string } = {}): Array<[number, number]> {
    const limit = opts.limit ?? 1000
    const out: Array<[number, number]> = []
    if (!this.mayMatch(text, opts.lowered)) return out
    const n = text.length
    // Extending matches to their longest end may re-read text; this budget
    // keeps the total work linear even for patterns built to exploit that.
    let extendBudget = 4 * n + 65_536
    let pos = 0
    while (pos <= n && out.length < limit) {
      const e = this.earliestEnd(text, pos)
      if (e < 0) break
      const s = this.leftmostStart(text, e, pos)
      let end = e
      if (extendBudget > 0) {
        const [longest, cost] = this.longestEnd(text, s, extendBudget)
        extendBudget -= cost
        end = Math.max(e, longest)
      }
      if (end > s) out.push([s, end])
      pos = end > s ? end : end + 1
    }
    return out
  }

  pendingStart(text: string, from = 0): number {
    const dfa = this.anchored
    const classOf = this.alpha.classOf
    const n = text.length
    // Each start is read until its automaton dies; past this budget the rest counts as pending (never as final).
    let budget = 4 * n + 65_536
    for (let p = Math.max(from, n - Math.min(this.maxLength, 4096)); p < n; p++) {
      let state = dfa.start(kindAt(text, p - 1, this.alpha))
      let i = p
      while (i < n && !dfa.isDead(state)) state = dfa.step(state, classOf[text.charCodeAt(i++)]) >> 1
      budget -= i - p + 1
      if (!dfa.isDead(state) || budget <= 0) return p
    }
    return -1
  }

  private earliestEnd(text: string, from: number): number {
    const dfa = this.search
    const classOf = this.alpha.classOf
    let state = dfa.start(kindAt(text, from - 1, this.alpha))
    const n = text.length
    for (let i = from; i < n; i++) {
      const t = dfa.step(state, classOf[text.charCodeAt(i)])
      if (t & 1) return i
      state = t >> 1
    }
    return dfa.matchesAtEdge(state) ? n : -1
  }

  private leftmostStart(text: string, end: number, floor: number): number {
    const dfa = this.reverse
    const classOf = this.alpha.classOf
    let state = dfa.start(kindAt(text, end, this.alpha))
    let best = end
    for (let i = end - 1; i >= floor; i--) {
      const t = dfa.step(state, classOf[text.charCodeAt(i)])
      if (t & 1) best = i + 1
      state = t >> 1
      if (dfa.isDead(state)) return best
    }
    // Reached the floor: a match may start exactly there.
    if (floor === 0) {
      if (dfa.matchesAtEdge(state)) best = 0
    } else {
      const t = dfa.step(state, classOf[text.charCodeAt(floor - 1)])
      if (t & 1) best = floor
    }
    return best
  }

  private longestEnd(text: string, start: number, budget: number): [number, number] {
    const dfa = this.anchored
    const classOf = this.alpha.classOf
    let state = dfa.start(kindAt(text, start - 1, this.alpha))
    let last = -1
    const n = text.length
    const stop = Math.min(n, start + budget)
    let i = start
    for (; i < stop; i++) {
      const t = dfa.step(state, classOf[text.charCodeAt(i)])
      if (t & 1) last = i
      state = t >> 1
      if (dfa.isDead(state)) return [last, i - start + 1]
    }
    if (i === n && dfa.matchesAtEdge(state)) last = n
    return [last, i - start + 1]
  }
}

/** Every code unit below 0x80 (a character-code loop: no control characters in a regex literal). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false
  return true
}
