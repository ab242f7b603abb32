/**
 * Running a regular expression only where it can match. A rule whose every
 * match contains some anchor (a word, a digit, a prefix) is run over small
 * windows around the anchors instead of the whole text: ordinary text costs
 * almost nothing, and dense text costs at most one pass, since windows are
 * merged and never overlap.
 */

const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95

/**
 * Windows closer than this are joined: scanning a few characters costs less
 * than starting another search (slicing, a regex call).
 */
const JOIN_GAP = 96

/** Merged [start, end) pairs, flat, in order; pairs that overlap or nearly touch are joined. */
export class WindowSet {
  readonly spans: number[] = []
  /** The window texts as execInWindows runs over them, made once for all the rules that share this set (after the last add). */
  pieces: Piece[] | undefined
  constructor(private readonly textLength: number) {}

  /** Adds [start, end), clamped to the text. Calls must come in order of `start`. */
  add(start: number, end: number): void {
    const s = start < 0 ? 0 : start
    const e = end > this.textLength ? this.textLength : end
    if (e <= s) return
    const n = this.spans.length
    if (n > 0 && s <= this.spans[n - 1] + JOIN_GAP) {
      if (e > this.spans[n - 1]) this.spans[n - 1] = e
    } else this.spans.push(s, e)
  }

  get empty(): boolean {
    return this.spans.length === 0
  }

  /** Characters covered. */
  get covered(): number {
    let total = 0
    for (let k = 0; k < this.spans.length; k += 2) total += this.spans[k + 1] - this.spans[k]
    return total
  }
}

/**
 * Calls `onMatch` for each match of the global regular expression `re` that
 * starts inside one of the windows, with `index` mapped to the text. Each
 * window is widened to whole words plus one character of context on each
 * side, and cut off from the rest of the text by a sentinel, so \b,
 * look-arounds and ^/$ see what they would see in the full text, except
 * that nothing matches across a window's edge. Returning false from
 * `onMatch` stops the scan.
 */
interface Piece {
  /** One context character, the window, one context character (context only inside the text): a slice, not a copy. */
  text: string
  /** Text index of the piece's first character. */
  offset: number
  /** Text index of the window's first character, and one past its last. */
  start: number
  end: number
}

function makePieces(text: string, spans: number[]): Piece[] {
  const n = text.length
  const out: Piece[] = []
  let floor = 0
  for (let k = 0; k < spans.length; k += 2) {
    let ws = spans[k] < floor ? floor : spans[k]
    let we = spans[k + 1]
    if (we <= ws) continue
    // Whole words (bounded, so one long word cannot make this quadratic), then one character of context.
    for (let g = 0; g < 64 && ws > floor && isWordCode(text.charCodeAt(ws - 1)); g++) ws--
    for (let g = 0; g < 64 && we < n && isWordCode(text.charCodeAt(we)); g++) we++
    const from = ws > 0 ? ws - 1 : 0
    const to = we < n ? we + 1 : n
    out.push({ text: text.slice(from, to), offset: from, start: ws, end: we })
    floor = we
  }
  return out
}

/**
 * Where a match of a rule can start: the first index at or after `from` in
 * `p` at which one may (every real match start must be offered, in order), or
 * -1. A rule with a rare required character (the dots of an IPv4 address) then
 * tries only the few places near one, found by a native search, instead of
 * every position of a window.
 */
export type Seek = (p: string, from: number) => number

const stickyCopies = new WeakMap<RegExp, RegExp>()

/**
 * `re.exec` for a global `re`, trying only the starts `seek` offers (with a
 * sticky copy of `re`, so each try is anchored there). The same matches as
 * `re.exec`, since a match found from an earlier start is the leftmost one;
 * `re.lastIndex` is read and advanced as `re.exec` would.
 */
function seekingExec(re: RegExp, seek: Seek): (p: string) => RegExpExecArray | null {
  let sticky = stickyCopies.get(re)
  if (!sticky) {
    sticky = new RegExp(re.source, re.flags.replace('g', '') + 'y')
    stickyCopies.set(re, sticky)
  }
  const y = sticky
  return (p) => {
    for (let at = seek(p, re.lastIndex); at >= 0 && at <= p.length; at = seek(p, at + 1)) {
      y.lastIndex = at
      const m = y.exec(p)
      if (m) {
        re.lastIndex = y.lastIndex
        return m
      }
    }
    re.lastIndex = 0
    return null
  }
}

/**
 * Calls `onMatch` for each match of the global regular expression `re` that
 * starts inside one of the windows, with `index` mapped to the text. Each
 * window is widened to whole words plus one character of context on each
 * side, so \b and short look-behinds see what they would see in the full
 * text; a match that only a piece's edge makes possible (^ or $ there) is
 * dropped, and nothing matches across a window's edge. Returning false from
 * `onMatch` stops the scan. Inside `onMatch`, `re.lastIndex` and `m.index`
 * refer to the window's text. `seek` (for rules that cannot match at most
 * positions) says where a match may start.
 */
export function execInWindows(re: RegExp, text: string, windows: WindowSet, onMatch: (m: RegExpExecArray, index: number) => boolean | void, seek?: Seek): void {
  const exec = seek ? seekingExec(re, seek) : (p: string) => re.exec(p)
  // One window over the whole text: the plain search.
  if (windows.spans.length === 2 && windows.spans[0] === 0 && windows.spans[1] === text.length) {
    re.lastIndex = 0
    for (let m = exec(text); m; m = exec(text)) {
      if (m[0].length === 0) re.lastIndex++
      if (onMatch(m, m.index) === false) return
    }
    return
  }
  const pieces = (windows.pieces ??= makePieces(text, windows.spans))
  const n = text.length
  let carried = 0 // end of the last match reported from earlier windows
  for (const piece of pieces) {
    const p = piece.text
    const pieceEnd = piece.offset + p.length
    // The leading context character starts no match, unless it is the text's start or a line break (for "(?:^|\n)…").
    const headFree = piece.offset === 0 || p.charCodeAt(0) === 10
    let lastEnd = carried
    re.lastIndex = 0
    for (let m = exec(p); m; m = exec(p)) {
      if (m[0].length === 0) re.lastIndex++
      const at = m.index + piece.offset
      const end = at + m[0].length
      // Only a match inside the window counts, and never one inside an earlier window's match.
      if (at >= piece.end || at < carried) continue
      // ^ at a piece's start and $ at its end are edges of the piece, not of the text.
      if (m.index === 0 && !headFree) continue
      if (end === pieceEnd && pieceEnd < n && end > piece.end) continue
      if (end > lastEnd) lastEnd = end
      if (onMatch(m, at) === false) return
    }
    carried = lastEnd
  }
}

/** The windows of `windows` mapped through `map` (monotonic, e.g. a normalised text's toOriginal) onto a text of `textLength`. */
export function mapWindows(windows: WindowSet, map: (start: number, end: number) => [number, number], textLength: number): WindowSet {
  const out = new WindowSet(textLength)
  const spans = windows.spans
  for (let k = 0; k < spans.length; k += 2) {
    const [s, e] = map(spans[k], spans[k + 1])
    out.add(s, e)
  }
  return out
}
