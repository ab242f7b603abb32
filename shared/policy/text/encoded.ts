/**
 * Finds segments that hide text behind an encoding (base64, hex, URL
 * percent-encoding) and decodes those that turn out to be readable text, so
 * detectors can scan what the model would read after decoding.
 */

export type Encoding = 'base64' | 'hex' | 'url'

export interface EncodedSegment {
  start: number
  end: number
  encoding: Encoding
  decoded: string
}

/** Work limits: encoded payloads beyond these are not decoded (they are still scanned raw). */
export const MAX_SEGMENTS = 64
export const MAX_SEGMENT_CHARS = 16_384

/** Escaped hex bytes: \\x69\\x67… Contiguous and separated hex are found by the run scanner. */
const HEX_ESCAPED = /(?:\\x[0-9a-fA-F]{2}){6,}/g

/**
 * The first %XX escape at or after `from`, or -1. Found with indexOf: a
 * regular expression reads every character of a long text that holds a '%'
 * ("4.2%" in a table), and allocates a match for every escape.
 */
function nextPercentEscape(text: string, from: number): number {
  for (let i = text.indexOf('%', from); i >= 0; i = text.indexOf('%', i + 1)) {
    if (hexValue(text.charCodeAt(i + 1)) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0) return i
  }
  return -1
}

/** Readable text: mostly printable ASCII with some spaces or enough letters. */
export function isReadableText(s: string): boolean {
  const n = s.length
  if (n < 6) return false
  // Stop as soon as too many characters are unprintable or not letters for the whole to pass.
  const maxUnprintable = Math.floor(n * 0.05)
  const maxNonLetters = Math.floor(n * 0.5)
  let unprintable = 0
  let nonLetters = 0
  let spaces = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (!((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13) && ++unprintable > maxUnprintable) return false
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) && ++nonLetters > maxNonLetters) return false
    if (c === 0x20) spaces++
  }
  return spaces > 0 || n < 24
}

function decodeBase64(run: string): string | undefined {
  let s = run.replace(/=+$/, '')
  if (s.length % 4 === 1) return undefined
  s = s.replace(/-/g, '+').replace(/_/g, '/')
  while (s.length % 4) s += '='
  try {
    return atob(s)
  } catch {
    return undefined
  }
}

/** Hex digits to text; separators (\\x, 0x, spaces, colons) are skipped. */
function decodeHex(run: string): string {
  const bytes = new Uint8Array(run.length >> 1)
  let n = 0
  let hi = -1
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i)
    // "\x" and "0x" prefixes: skip the x and drop a pending 0
    if (c === 120 || c === 88) {
      hi = -1
      continue
    }
    const v = hexValue(c)
    if (v < 0) continue
    if (hi < 0) hi = v
    else {
      bytes[n++] = hi * 16 + v
      hi = -1
    }
  }
  return latin1(bytes.subarray(0, n))
}

const LATIN1 = new TextDecoder('latin1')
function latin1(bytes: Uint8Array): string {
  return LATIN1.decode(bytes)
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 65 && c <= 70) return c - 55
  if (c >= 97 && c <= 102) return c - 87
  return -1
}

/** %XX escapes to bytes, read as UTF-8 when valid (Latin-1 otherwise); stray % kept. */
function decodePercent(run: string): string {
  const bytes = new Uint8Array(run.length)
  let n = 0
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i)
    if (c === 37 && i + 2 < run.length) {
      const hi = hexValue(run.charCodeAt(i + 1))
      const lo = hexValue(run.charCodeAt(i + 2))
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = hi * 16 + lo
        i += 2
        continue
      }
    }
    bytes[n++] = c < 256 ? c : 63
  }
  const view = bytes.subarray(0, n)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(view)
  } catch {
    return latin1(view)
  }
}

const isSpace = (c: number) => c === 0x20 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11

// Character classes for the run scanner.
const B64 = 1 // base64 alphabet, including the URL-safe one
const HEX = 2
const UPPER = 4
const LOWER = 8
const CLASS = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z0-9+/_-]/.test(ch)) CLASS[c] |= B64
  if (/[0-9a-fA-F]/.test(ch)) CLASS[c] |= HEX
  if (/[A-Z]/.test(ch)) CLASS[c] |= UPPER
  if (/[a-z]/.test(ch)) CLASS[c] |= LOWER
}

/** Pairs of hex digits separated by one space or colon ("69 67 6e …"): at least this many. */
const MIN_SEPARATED_PAIRS = 8
const MIN_RUN = 20

/**
 * Whether hex digits in [s, e) (pairs, separators skipped) decode to
 * readable text, judged on the digits themselves so unreadable runs cost no
 * allocation. Same criteria as isReadableText.
 */
function hexLooksReadable(text: string, s: number, e: number): boolean {
  // 24 bytes or more are readable only with a space among them (byte 20): no "20" at all, no need to count.
  // (Runs are hex pairs, contiguous or with one separator between pairs: 72 characters hold 24 bytes or more.)
  if (e - s >= 72) {
    const at = text.indexOf('20', s)
    if (at < 0 || at + 2 > e) return false
  }
  let bytes = 0
  let printable = 0
  let letters = 0
  let spaces = 0
  let hi = -1
  for (let i = s; i < e; i++) {
    const v = hexValue(text.charCodeAt(i))
    if (v < 0) continue
    if (hi < 0) {
      hi = v
      continue
    }
    const b = hi * 16 + v
    hi = -1
    bytes++
    if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) printable++
    if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) letters++
    if (b === 0x20) spaces++
  }
  return bytes >= 6 && printable / bytes >= 0.95 && letters / bytes >= 0.5 && (spaces > 0 || bytes < 24)
}

/** Kinds of run candidates: [kind, start, end] triples. */
export const RUN_BASE64 = 0
export const RUN_HEX = 1
export const RUN_SEPARATED_HEX = 2

/**
 * One pass over the text finding maximal base64-alphabet runs of 20+
 * characters that mix cases, contiguous hex runs of 20+ digits, and runs of
 * 8+ hex pairs separated by single spaces or colons. Returns flat
 * [kind, start, end, …] triples. (No closures over the loop state: it stays
 * in registers.)
 */
function scanRuns(text: string, from = 0, to = text.length, out: number[] = []): number[] {
  const n = to
  let b = -1
  let mixed = 0 // UPPER | LOWER seen in the current base64 run
  let h = -1
  let pairStart = -1
  let pairs = 0
  let lastPairEnd = -2
  for (let i = from; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0
    const cls = c < 128 ? CLASS[c] : 0
    if (cls & B64) {
      if (b < 0) {
        b = i
        mixed = 0
      }
      mixed |= cls
    } else if (b >= 0) {
      if (i - b >= MIN_RUN && (mixed & (UPPER | LOWER)) === (UPPER | LOWER)) {
        let end = i
        while (end < text.length && end - i < 2 && text.charCodeAt(end) === 61) end++ // '=' padding
        out.push(RUN_BASE64, b, end)
      }
      b = -1
    }
    if (cls & HEX) {
      if (h < 0) h = i
    } else if (h >= 0) {
      const len = i - h
      if (len >= MIN_RUN) out.push(RUN_HEX, h, i)
      if (len === 2 && pairs > 0 && h === lastPairEnd + 1) {
        pairs++
        lastPairEnd = i
      } else {
        if (pairs >= MIN_SEPARATED_PAIRS) out.push(RUN_SEPARATED_HEX, pairStart, lastPairEnd)
        pairs = 0
        if (len === 2) {
          pairStart = h
          pairs = 1
          lastPairEnd = i
        }
      }
      // A pair sequence continues only over one space or colon.
      if (pairs > 0 && c !== 32 && c !== 58) {
        if (pairs >= MIN_SEPARATED_PAIRS) out.push(RUN_SEPARATED_HEX, pairStart, lastPairEnd)
        pairs = 0
      }
      h = -1
    }
  }
  if (pairs >= MIN_SEPARATED_PAIRS) out.push(RUN_SEPARATED_HEX, pairStart, lastPairEnd)
  return out
}

export function findEncodedSegments(text: string): EncodedSegment[] {
  return encodedSegmentsFromRuns(text, scanRuns(text))
}

/**
 * The exact runs of `text` inside candidate spans ([start, end) pairs in
 * order, e.g. found on a normalised copy and mapped back): scanRuns over
 * the spans alone.
 */
export function runsInSpans(text: string, spans: number[]): number[] {
  const out: number[] = []
  let floor = 0
  for (let k = 0; k < spans.length; k += 2) {
    const from = Math.max(floor, spans[k])
    const to = Math.min(text.length, spans[k + 1])
    if (to > from) scanRuns(text, from, to, out)
    floor = Math.max(floor, to)
  }
  return out
}

/**
 * Decodes the run candidates of `text` (from scanRuns, or from a scan that
 * found them on the way, see injection/tokens.ts) and adds \x-escaped and
 * URL-encoded segments.
 */
export function encodedSegmentsFromRuns(text: string, runs: number[]): EncodedSegment[] {
  const out: EncodedSegment[] = []
  const push = (start: number, end: number, encoding: Encoding, decoded: string | undefined) => {
    if (decoded === undefined || out.length >= MAX_SEGMENTS) return
    if (isReadableText(decoded)) out.push({ start, end, encoding, decoded })
  }
  const pushHex = (start: number, s: number, e: number) => {
    if (e - s > MAX_SEGMENT_CHARS || out.length >= MAX_SEGMENTS || !hexLooksReadable(text, s, e)) return
    push(start, e, 'hex', decodeHex(text.slice(s, e)))
  }

  for (let k = 0; k < runs.length && out.length < MAX_SEGMENTS; k += 3) {
    const s = runs[k + 1]
    const e = runs[k + 2]
    if (runs[k] === RUN_BASE64) {
      if (e - s <= MAX_SEGMENT_CHARS) push(s, e, 'base64', decodeBase64(text.slice(s, e)))
    } else if (runs[k] === RUN_HEX) {
      pushHex(text.startsWith('0x', s - 2) || text.startsWith('0X', s - 2) ? s - 2 : s, s, e - ((e - s) % 2))
    } else {
      pushHex(s, s, e)
    }
  }

  if (text.indexOf('\\x') >= 0) {
    HEX_ESCAPED.lastIndex = 0
    for (let m = HEX_ESCAPED.exec(text); m && out.length < MAX_SEGMENTS; m = HEX_ESCAPED.exec(text)) {
      if (m[0].length > MAX_SEGMENT_CHARS) continue
      push(m.index, m.index + m[0].length, 'hex', decodeHex(m[0]))
    }
  }

  // URL encoding: whitespace-free runs holding at least three %XX escapes.
  let runEnd = -1
  for (let at = nextPercentEscape(text, 0); at >= 0 && out.length < MAX_SEGMENTS;) {
    if (at < runEnd) {
      at = nextPercentEscape(text, at + 3)
      continue
    }
    // The run never reaches back into the previous one, so each character is visited at most twice.
    const floor = Math.max(0, runEnd, at - MAX_SEGMENT_CHARS)
    let start = at
    while (start > floor && !isSpace(text.charCodeAt(start - 1))) start--
    let end = at + 3
    while (end < text.length && !isSpace(text.charCodeAt(end)) && end - at < MAX_SEGMENT_CHARS) end++
    runEnd = end
    let escapes = 0
    for (let i = nextPercentEscape(text, start); i >= 0 && i + 2 < end && escapes < 3; i = nextPercentEscape(text, i + 1)) escapes++
    if (escapes >= 3) push(start, end, 'url', decodePercent(text.slice(start, end)))
    at = nextPercentEscape(text, end)
  }
  return out.sort((a, b) => a.start - b.start)
}
