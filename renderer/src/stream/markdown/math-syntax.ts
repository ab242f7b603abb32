/**
 * Where LaTeX starts and ends in markdown text, without typesetting it
 * (math.ts does that), so the block splitter can use the same rules.
 */

export type MathMatch = { raw: string; tex: string; display: boolean } | { raw: string; literal: true }

const isSpace = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r'
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'

/** Whether a single `$` at `close` (with the opener before it) may close inline math. */
export function dollarCloses(before: string | undefined, after: string | undefined): boolean {
  return !isSpace(before) && !isDigit(after)
}

/** Math (or a literal math delimiter) starting at `at` in `src` (default: its start), else null. */
export function matchMath(src: string, at = 0): MathMatch | null {
  const c0 = src.charCodeAt(at)
  if (c0 === 92 /* \ */) {
    const c1 = src[at + 1]
    if (c1 === '(' || c1 === '[') {
      const closer = c1 === '(' ? '\\)' : '\\]'
      const end = src.indexOf(closer, at + 2)
      if (end > at + 2) return { raw: src.slice(at, end + 2), tex: src.slice(at + 2, end), display: c1 === '[' }
      return { raw: src.slice(at, at + 2), literal: true }
    }
    if (c1 === ')' || c1 === ']') return { raw: src.slice(at, at + 2), literal: true }
    return null
  }
  if (c0 !== 36 /* $ */) return null
  let run = 1
  while (src.charCodeAt(at + run) === 36) run++
  if (run >= 3) return { raw: src.slice(at, at + run), literal: true }
  if (run === 2) {
    const end = src.indexOf('$$', at + 2)
    if (end > at + 2) return { raw: src.slice(at, end + 2), tex: src.slice(at + 2, end), display: true }
    return { raw: '$$', literal: true }
  }
  if (isSpace(src[at + 1])) return null
  const close = src.indexOf('$', at + 1)
  if (close === -1) return null
  const tex = src.slice(at + 1, close)
  // A backtick inside means code follows money (`$10, and `$x$``), never LaTeX.
  if (tex.includes('\n') || tex.includes('`') || !dollarCloses(src[close - 1], src[close + 1])) return null
  return { raw: src.slice(at, close + 1), tex, display: false }
}

/**
 * The text marked uses to find emphasis, with formulas blanked out, so an
 * `*` or `_` inside math (`$a_1 * b_2$`) never opens or closes emphasis.
 */
export function maskMath(src: string): string {
  if (!src.includes('$') && !src.includes('\\')) return src
  let out = ''
  let last = 0
  for (let i = 0; i < src.length; i++) {
    const c = src[i]
    if (c === '`') {
      // Skip a code span whole: nothing in it is math.
      let run = 1
      while (src[i + run] === '`') run++
      const close = src.indexOf('`'.repeat(run), i + run)
      if (close !== -1) i = close + run - 1
      else i += run - 1
      continue
    }
    if (c !== '\\' && c !== '$') continue
    const m = matchMath(src, i)
    if (!m) {
      if (c === '\\') i++
      continue
    }
    if (!('literal' in m)) {
      out += src.slice(last, i) + 'a'.repeat(m.raw.length)
      last = i + m.raw.length
    }
    i += m.raw.length - 1
  }
  return out + src.slice(last)
}
