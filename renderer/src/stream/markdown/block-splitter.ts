/**
 * Splits growing markdown into blocks that can be rendered once and never
 * again. Each call scans only text it has not seen, so a 100k-token answer
 * costs the same per frame as a short one.
 *
 * A block ends
 * - at a blank line followed by a line that is not indented (an indented
 *   line may continue a list item, so that blank line is not a boundary),
 * - after a closing code fence, and before an opening one,
 * - after the closing line of a display formula (`$$` or `\[` opening a
 *   line, closed on a later line), and before its opening line: a formula
 *   is typeset once, when it is whole,
 * - at a line end once it is longer than `softLimit` (outside a fence), so
 *   an answer without blank lines is not re-parsed whole on every frame.
 * Everything after the last boundary is the open tail.
 *
 * While the tail is the first line of a plain paragraph, `inlineSafe` says
 * how far its inline text can be rendered for good: up to a space where no
 * emphasis, code span, link or formula is open. A paragraph streamed as one
 * endless line is then painted in pieces instead of re-parsed per frame.
 */

import { dollarCloses } from './math-syntax'
import { PieceBuffer, stringSource, type TextSource } from './piece-buffer'

export interface Fence {
  char: '`' | '~'
  length: number
}

/** A display formula the tail is inside: it ends at the first line holding `closer`. */
export interface OpenMath {
  closer: '$$' | '\\]'
  /** Where its opening line starts. */
  start: number
}

export const DEFAULT_SOFT_LIMIT = 4_000
/** What scanMath returns when a single `$` turned out to be text. */
const RESCAN = -2
/** A display formula longer than this without its closer is taken as plain text. */
const MATH_LIMIT = 8_000
/** Split an open paragraph at any space after this many characters without a balanced point. */
const FORCE_INLINE_SPLIT = 8_000

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/
const MATH_OPEN = /^ {0,3}(\$\$(?!\$)|\\\[)/
const BLANK = /^[ \t]*$/
/** First characters that can only start a paragraph (not a heading, list, quote, table, fence, HTML or indented code). */
const PARAGRAPH_START = /[\p{L}"'(“‘¿¡]/u
const WORD = /[\p{L}\p{N}]/u

interface InlineScan {
  /** Where the paragraph starts (= committed). */
  start: number
  /** Scanned up to here. */
  pos: number
  /** Inline text before this offset is final. */
  safe: number
  /** The character before `pos` (for `_` and `](` that look behind). */
  prev: string
  /** Length of the backtick run that opened the current code span (0 outside one). */
  codeRun: number
  /** The closer of the formula open here ('' outside one): `\\)`, `\\]`, `$$` or `$`. */
  math: '' | '\\)' | '\\]' | '$$' | '$'
  /** Where the open single `$` is (to read what follows it again if it turns out to be text). */
  dollarAt: number
  /** Delimiter runs that can open or close emphasis, per character (odd = something is open). */
  stars: number
  unders: number
  tildes: number
  brackets: number
  parens: number
}

const isSpace = (c: string | undefined) => c === undefined || c === '' || c === ' ' || c === '\t' || c === '\n'

export class BlockSplitter {
  /** End of the last committed block (start of the tail). */
  committed = 0
  /** Blocks found so far, as [start, end) offsets into the text. */
  readonly blocks: [number, number][] = []
  private scanned = 0
  private fence: Fence | null = null
  private math: OpenMath | null = null
  /** Offset after a blank line that ends the block if the next line is not indented. */
  private pendingBreak: number | null = null
  private inline: InlineScan | null = null
  /** No newline between `scanned` and here: the next search starts here, not at the line start. */
  private searchedTo = 0

  constructor(private readonly softLimit = DEFAULT_SOFT_LIMIT) {}

  /** The fence the tail is inside, if any. */
  get openFence(): Fence | null {
    return this.fence
  }

  /** The display formula the tail is inside, if any (shown as source until it closes). */
  get openMath(): OpenMath | null {
    return this.math
  }

  /** See the class comment; null when the tail is not a one-line paragraph. */
  get inlineSafe(): number | null {
    return this.inline ? this.inline.safe : null
  }

  /**
   * Scan `text` (the previous text plus whatever was appended). With
   * `final`, the tail becomes a block too. Returns the number of blocks.
   */
  push(input: string | TextSource, final = false): number {
    const text = typeof input === 'string' ? stringSource(input) : input
    let lineStart = this.scanned
    for (;;) {
      const nl = text.indexOf('\n', Math.max(lineStart, this.searchedTo))
      if (nl === -1) break
      this.line(text, lineStart, nl + 1)
      lineStart = nl + 1
    }
    this.scanned = lineStart
    this.searchedTo = text.length
    if (final) {
      if (this.scanned < text.length) this.line(text, this.scanned, text.length)
      this.scanned = text.length
      this.pendingBreak = null
      this.inline = null
      this.commit(text, text.length)
      return this.blocks.length
    }
    this.partialLine(text)
    return this.blocks.length
  }

  /** The incomplete last line: it may already end the previous block, or stream as inline text. */
  private partialLine(text: TextSource): void {
    if (this.fence || this.math || this.scanned >= text.length) return
    const first = text.charAt(this.scanned)
    if (this.pendingBreak !== null && first !== ' ' && first !== '\t') {
      this.commit(text, this.pendingBreak)
      this.pendingBreak = null
    }
    if (this.committed !== this.scanned) {
      this.inline = null
      return
    }
    if (!this.inline || this.inline.start !== this.committed) {
      if (!PARAGRAPH_START.test(first)) {
        this.inline = null
        return
      }
      this.inline = {
        start: this.committed,
        pos: this.committed,
        safe: this.committed,
        prev: ' ',
        codeRun: 0,
        math: '',
        dollarAt: 0,
        stars: 0,
        unders: 0,
        tildes: 0,
        brackets: 0,
        parens: 0,
      }
    }
    this.scanInline(text)
  }

  private scanInline(text: TextSource): void {
    const s = this.inline!
    // Only the text not scanned yet is read; runs and escapes at its very end wait for more.
    let base = s.pos
    let chunk = text.slice(base)
    let i = 0
    while (i < chunk.length) {
      const c = chunk[i]
      if (s.math) {
        const step = this.scanMath(chunk, i)
        if (step === -1) break // the closer's neighbour has not arrived
        if (step === RESCAN) {
          // The `$` was text after all (`$5 and $10`): what follows it is read again, outside math.
          const from = s.dollarAt + 1
          if (from >= base) i = from - base
          else {
            base = from
            chunk = text.slice(base)
            i = 0
          }
          s.prev = '$'
          continue
        }
        i = step
        continue
      }
      if (c === '\\') {
        if (i + 1 >= chunk.length) break // what it escapes has not arrived
        const next = chunk[i + 1]
        if (s.codeRun === 0 && (next === '(' || next === '[')) s.math = next === '(' ? '\\)' : '\\]'
        s.prev = next
        i += 2
        continue
      }
      if (c === '$' && s.codeRun === 0) {
        let j = i + 1
        while (j < chunk.length && chunk[j] === '$') j++
        if (j >= chunk.length) break // the run may grow, and a single $ depends on what follows it
        if (j - i === 2) s.math = '$$'
        else if (j - i === 1 && !isSpace(chunk[j])) {
          s.math = '$'
          s.dollarAt = base + i
        }
        s.prev = '$'
        i = j
        continue
      }
      if (c === '`' || c === '*' || c === '_' || c === '~') {
        let j = i + 1
        while (j < chunk.length && chunk[j] === c) j++
        if (j >= chunk.length) break // the run may grow; decide once it is whole
        this.delimiterRun(c, j - i, s.prev, chunk[j])
        s.prev = c
        i = j
        continue
      }
      if (s.codeRun === 0) {
        if (c === '[') s.brackets++
        else if (c === ']') s.brackets = Math.max(0, s.brackets - 1)
        else if (c === '(' && s.prev === ']') s.parens++
        else if (c === ')' && s.parens > 0) s.parens--
        else if (c === ' ') {
          const at = base + i
          const balanced = s.stars % 2 === 0 && s.unders % 2 === 0 && s.tildes % 2 === 0 && s.brackets === 0 && s.parens === 0
          if (balanced || at + 1 - s.safe > FORCE_INLINE_SPLIT) s.safe = at + 1
        }
      }
      s.prev = c
      i++
    }
    s.pos = base + i
  }

  /**
   * One step inside a formula, as math-syntax.ts's matchMath reads it:
   * nothing in it is emphasis, code or a link, and it ends at the first
   * closer. A `$` that cannot close (`$5 and $10`) means the opener was text
   * after all: RESCAN says to read what followed it again. Returns where to
   * go on, or -1 to wait for more text.
   */
  private scanMath(chunk: string, i: number): number {
    const s = this.inline!
    const c = chunk[i]
    if (s.math === '$' && c === '`') {
      // No backtick in `$ … $`: the `$` was text, and the backtick may open code.
      s.math = ''
      return RESCAN
    }
    if (s.math === '$' && c === '$') {
      if (i + 1 >= chunk.length) return -1
      s.math = ''
      if (!dollarCloses(s.prev, chunk[i + 1])) return RESCAN
      s.prev = c
      return i + 1
    }
    if (s.math === '$$' && c === '$') {
      if (i + 1 >= chunk.length) return -1
      if (chunk[i + 1] === '$') {
        s.math = ''
        s.prev = '$'
        return i + 2
      }
    } else if ((s.math === '\\)' || s.math === '\\]') && c === '\\') {
      if (i + 1 >= chunk.length) return -1
      if (chunk[i + 1] === s.math[1]) {
        s.prev = s.math[1]
        s.math = ''
        return i + 2
      }
    }
    s.prev = c
    return i + 1
  }

  /** A whole run of one delimiter character, `length` long, between `before` and `after`. */
  private delimiterRun(c: string, length: number, before: string, after: string): void {
    const s = this.inline!
    if (c === '`') {
      if (s.codeRun === 0) s.codeRun = length
      else if (s.codeRun === length) s.codeRun = 0
      return
    }
    if (s.codeRun !== 0) return
    // A run with space on both sides is a literal (2 * 3); `_` inside a word is too (snake_case).
    if (isSpace(before) && isSpace(after)) return
    if (c === '_' && WORD.test(before) && WORD.test(after)) return
    if (c === '*') s.stars++
    else if (c === '_') s.unders++
    else s.tildes++
  }

  private line(text: TextSource, start: number, end: number): void {
    this.inline = null
    const line = text.slice(start, end).replace(/\r?\n$/, '')
    if (this.fence) {
      if (isClosingFence(line, this.fence)) {
        this.fence = null
        this.commit(text, end)
      }
      return
    }
    if (this.math) {
      if (line.includes(this.math.closer)) {
        this.math = null
        this.commit(text, end)
        return
      }
      // An opener that never closes (a line starting with `$$` as money) is
      // not held back for ever: past MATH_LIMIT it is plain text.
      if (end - this.math.start <= MATH_LIMIT) return
      this.math = null
    }
    const blank = BLANK.test(line)
    if (this.pendingBreak !== null && !blank) {
      const indented = line.startsWith(' ') || line.startsWith('\t')
      if (!indented) this.commit(text, this.pendingBreak)
      this.pendingBreak = null
    }
    const open = FENCE_OPEN.exec(line)
    if (open && !(open[1][0] === '`' && line.slice(line.indexOf('`') + open[1].length).includes('`'))) {
      this.commit(text, start)
      this.fence = { char: open[1][0] as Fence['char'], length: open[1].length }
      return
    }
    const math = MATH_OPEN.exec(line)
    if (math) {
      const closer = math[1] === '$$' ? '$$' : '\\]'
      // Closed on its own line, it is one line of a paragraph like any other.
      if (!line.slice(math[0].length).includes(closer)) {
        this.commit(text, start)
        this.math = { closer, start }
        return
      }
    }
    if (blank) {
      this.pendingBreak = end
      return
    }
    if (end - this.committed > this.softLimit) this.commit(text, end)
  }

  private commit(text: TextSource, end: number): void {
    if (end <= this.committed) return
    if (!isBlankRange(text, this.committed, end)) this.blocks.push([this.committed, end])
    this.committed = end
    if (this.pendingBreak !== null && this.pendingBreak <= end) this.pendingBreak = null
  }
}

function isBlankRange(text: TextSource, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charAt(i)
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return false
  }
  return true
}

function isClosingFence(line: string, fence: Fence): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)
  return !!m && m[1][0] === fence.char && m[1].length >= fence.length
}

/**
 * Where a long one-line paragraph can be cut into pieces of about `every`
 * characters that render, piece by piece, exactly like the whole line (the
 * same balanced points streaming uses). Null when `text` is not a plain
 * one-line paragraph.
 */
export function paragraphCuts(text: string, every: number): number[] | null {
  const body = text.replace(/\s+$/, '')
  if (!body || body.includes('\n') || !PARAGRAPH_START.test(body[0])) return null
  const splitter = new BlockSplitter(Infinity)
  const buf = new PieceBuffer()
  const cuts: number[] = []
  let last = 0
  for (let at = 0; at < body.length; at += every) {
    buf.append(body.slice(at, at + every))
    splitter.push(buf)
    const safe = splitter.inlineSafe
    if (safe !== null && safe > last && safe < body.length) {
      cuts.push(safe)
      last = safe
    }
  }
  return cuts
}
