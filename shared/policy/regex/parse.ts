import { ANY, ANY_BUT_NEWLINE, caseFold, DIGIT, negateRanges, normalizeRanges, type Ranges, SPACE, WORD } from './charset'

/**
 * A parser for the regular-expression subset that can run in linear time:
 * JavaScript/PCRE syntax without backreferences or lookaround. Users write
 * these in deny-patterns, allow-patterns, attack_patterns and detect_patterns.
 */

export type RegexNode =
  | { type: 'empty' }
  | { type: 'set'; ranges: Ranges; literal?: string }
  | { type: 'concat'; items: RegexNode[] }
  | { type: 'alt'; items: RegexNode[] }
  | { type: 'repeat'; body: RegexNode; min: number; max: number; greedy: boolean }
  | { type: 'assert'; kind: 'bol' | 'eol' | 'wordb' | 'nwordb' }

export interface RegexFlags {
  ignoreCase: boolean
  multiline: boolean
  dotAll: boolean
}

export interface ParsedRegex {
  ast: RegexNode
  flags: RegexFlags
}

export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    /** Index into the pattern string. */
    readonly index: number,
    /** True when the construct is valid JavaScript but cannot run in linear time. */
    readonly unsupported = false,
  ) {
    super(message)
    this.name = 'RegexSyntaxError'
  }
}

/** Repetition counts above this are refused: `{1,100000}` would blow up the automaton. */
export const MAX_REPEAT = 1000

export function parseRegex(pattern: string, flags: Partial<RegexFlags> = {}): ParsedRegex {
  const f: RegexFlags = { ignoreCase: false, multiline: false, dotAll: false, ...flags }
  let src = pattern
  let offset = 0
  // PCRE-style leading flag group, e.g. (?i) or (?im): common in Kong-style configs.
  const lead = /^\(\?([ims]+)\)/.exec(src)
  if (lead) {
    for (const ch of lead[1]) {
      if (ch === 'i') f.ignoreCase = true
      if (ch === 'm') f.multiline = true
      if (ch === 's') f.dotAll = true
    }
    offset = lead[0].length
    src = src.slice(offset)
  }
  const p = new Parser(src, f, offset)
  const ast = p.parseAlternation()
  if (p.pos < src.length) {
    throw new RegexSyntaxError(`unmatched ')' at ${p.pos + offset}`, p.pos + offset)
  }
  return { ast, flags: f }
}

class Parser {
  pos = 0
  constructor(
    readonly src: string,
    readonly flags: RegexFlags,
    readonly offset: number,
  ) {}

  private err(msg: string, at = this.pos, unsupported = false): never {
    throw new RegexSyntaxError(msg, at + this.offset, unsupported)
  }

  private set(ranges: Ranges, literal?: string): RegexNode {
    const r = this.flags.ignoreCase ? caseFold(ranges) : ranges
    return literal === undefined ? { type: 'set', ranges: r } : { type: 'set', ranges: r, literal }
  }

  parseAlternation(): RegexNode {
    const items: RegexNode[] = [this.parseConcat()]
    while (this.src[this.pos] === '|') {
      this.pos++
      items.push(this.parseConcat())
    }
    return items.length === 1 ? items[0] : { type: 'alt', items }
  }

  private parseConcat(): RegexNode {
    const items: RegexNode[] = []
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]
      if (ch === '|' || ch === ')') break
      const atom = this.parseAtom()
      items.push(this.parseQuantifier(atom))
    }
    if (items.length === 0) return { type: 'empty' }
    return items.length === 1 ? items[0] : { type: 'concat', items }
  }

  private parseQuantifier(atom: RegexNode): RegexNode {
    const start = this.pos
    const ch = this.src[this.pos]
    let min: number
    let max: number
    if (ch === '*') {
      min = 0
      max = Infinity
      this.pos++
    } else if (ch === '+') {
      min = 1
      max = Infinity
      this.pos++
    } else if (ch === '?') {
      min = 0
      max = 1
      this.pos++
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos))
      if (!m) return atom // a literal '{', as JavaScript allows
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
      if (max < min) this.err(`numbers out of order in {${m[1]},${m[3]}}`, start)
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        this.err(`repetition count above ${MAX_REPEAT} in ${m[0]}`, start)
      }
      this.pos += m[0].length
    } else {
      return atom
    }
    if (atom.type === 'assert') this.err('nothing to repeat', start)
    let greedy = true
    if (this.src[this.pos] === '?') {
      greedy = false
      this.pos++
    } else if (this.src[this.pos] === '+') {
      this.err('possessive quantifiers are not supported', this.pos, true)
    }
    const next = this.src[this.pos]
    if (next === '*' || next === '+' || next === '?') this.err('nothing to repeat', this.pos)
    return { type: 'repeat', body: atom, min, max, greedy }
  }

  private parseAtom(): RegexNode {
    const start = this.pos
    const ch = this.src[this.pos]
    switch (ch) {
      case '(':
        return this.parseGroup()
      case '[':
        return this.parseClass()
      case '.':
        this.pos++
        return { type: 'set', ranges: this.flags.dotAll ? ANY : ANY_BUT_NEWLINE }
      case '^':
        this.pos++
        return { type: 'assert', kind: 'bol' }
      case '$':
        this.pos++
        return { type: 'assert', kind: 'eol' }
      case '\\':
        return this.parseEscape()
      case '*':
      case '+':
      case '?':
        return this.err('nothing to repeat', start)
      default: {
        this.pos++
        const c = ch.charCodeAt(0)
        return this.set([c, c], ch)
      }
    }
  }

  private parseGroup(): RegexNode {
    const start = this.pos
    this.pos++ // (
    if (this.src[this.pos] === '?') {
      const rest = this.src.slice(this.pos, this.pos + 3)
      if (rest.startsWith('?:')) {
        this.pos += 2
      } else if (rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<=') || rest.startsWith('?<!')) {
        this.err('lookaround assertions are not supported (they cannot run in linear time)', start, true)
      } else if (rest.startsWith('?<') || rest.startsWith('?P<')) {
        const m = /^\?P?<([A-Za-z_$][\w$]*)>/.exec(this.src.slice(this.pos))
        if (!m) this.err('invalid group name', start)
        this.pos += m[0].length
      } else {
        this.err('unsupported group syntax', start, true)
      }
    }
    const body = this.parseAlternation()
    if (this.src[this.pos] !== ')') this.err('unterminated group', start)
    this.pos++
    return body
  }

  private parseEscape(): RegexNode {
    const start = this.pos
    this.pos++ // backslash
    if (this.pos >= this.src.length) this.err('\\ at end of pattern', start)
    const ch = this.src[this.pos]
    switch (ch) {
      case 'b':
        this.pos++
        return { type: 'assert', kind: 'wordb' }
      case 'B':
        this.pos++
        return { type: 'assert', kind: 'nwordb' }
      case 'A':
        this.pos++
        return { type: 'assert', kind: 'bol' }
      case 'z':
      case 'Z':
        this.pos++
        return { type: 'assert', kind: 'eol' }
      case 'k':
        return this.err('backreferences are not supported (they cannot run in linear time)', start, true)
      default:
        if (ch >= '1' && ch <= '9') {
          this.err('backreferences are not supported (they cannot run in linear time)', start, true)
        }
        return this.classEscapeAsNode(start)
    }
  }

  private classEscapeAsNode(start: number): RegexNode {
    const r = this.readClassEscape(start, false)
    if (typeof r === 'number') return this.set([r, r], String.fromCharCode(r))
    return this.set(r)
  }

  /** Reads an escape after the backslash; returns a code unit or a set. */
  private readClassEscape(start: number, inClass: boolean): number | Ranges {
    const ch = this.src[this.pos++]
    switch (ch) {
      case 'd':
        return DIGIT
      case 'D':
        return negateRanges(DIGIT)
      case 'w':
        return WORD
      case 'W':
        return negateRanges(WORD)
      case 's':
        return SPACE
      case 'S':
        return negateRanges(SPACE)
      case 't':
        return 9
      case 'n':
        return 10
      case 'v':
        return 11
      case 'f':
        return 12
      case 'r':
        return 13
      case '0':
        return 0
      case 'b':
        if (inClass) return 8
        break
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.pos))
        if (!m) this.err('invalid \\x escape', start)
        this.pos += 2
        return parseInt(m[0], 16)
      }
      case 'u': {
        const braced = /^\{([0-9a-fA-F]{1,4})\}/.exec(this.src.slice(this.pos))
        if (braced) {
          this.pos += braced[0].length
          return parseInt(braced[1], 16)
        }
        const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.pos))
        if (!m) this.err('invalid \\u escape', start)
        this.pos += 4
        return parseInt(m[0], 16)
      }
      case 'c': {
        const letter = this.src[this.pos]
        if (!letter || !/[A-Za-z]/.test(letter)) this.err('invalid \\c escape', start)
        this.pos++
        return letter.charCodeAt(0) % 32
      }
      case 'p':
      case 'P':
        return this.err('Unicode property escapes (\\p{…}) are not supported', start, true)
    }
    if (/[A-Za-z0-9]/.test(ch)) this.err(`unknown escape \\${ch}`, start)
    return ch.charCodeAt(0) // escaped punctuation: \. \\ \/ \- …
  }

  private parseClass(): RegexNode {
    const start = this.pos
    this.pos++ // [
    let negated = false
    if (this.src[this.pos] === '^') {
      negated = true
      this.pos++
    }
    const ranges: number[] = []
    while (this.pos < this.src.length && this.src[this.pos] !== ']') {
      const lo = this.readClassAtom()
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        const dashAt = this.pos
        this.pos++
        const hi = this.readClassAtom()
        if (typeof lo !== 'number' || typeof hi !== 'number') {
          // [\d-x] is a set plus '-' plus x, as JavaScript reads it.
          if (typeof lo === 'number') ranges.push(lo, lo)
          else ranges.push(...lo)
          ranges.push(0x2d, 0x2d)
          if (typeof hi === 'number') ranges.push(hi, hi)
          else ranges.push(...hi)
          continue
        }
        if (hi < lo) this.err('range out of order in character class', dashAt)
        ranges.push(lo, hi)
      } else if (typeof lo === 'number') {
        ranges.push(lo, lo)
      } else {
        ranges.push(...lo)
      }
    }
    if (this.src[this.pos] !== ']') this.err('unterminated character class', start)
    this.pos++
    let set = normalizeRanges(ranges)
    if (this.flags.ignoreCase) set = caseFold(set)
    if (negated) set = negateRanges(set)
    return { type: 'set', ranges: set }
  }

  private readClassAtom(): number | Ranges {
    const start = this.pos
    const ch = this.src[this.pos]
    if (ch === '\\') {
      this.pos++
      if (this.pos >= this.src.length) this.err('\\ at end of pattern', start)
      return this.readClassEscape(start, true)
    }
    if (ch === '[' && this.src[this.pos + 1] === ':') {
      this.err('POSIX classes like [:alpha:] are not supported; use \\w, \\d or an explicit range', start, true)
    }
    this.pos++
    return ch.charCodeAt(0)
  }
}
