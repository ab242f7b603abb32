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

/** Escaped or separated hex bytes: \\x69\\x67… or "69 67 6e …". Contiguous hex is found by the run scanner. */
const HEX_SEPARATED = /(?:\\x[0-9a-fA-F]{2}){6,}|(?:[0-9a-fA-F]{2}[ :]){7,}[0-9a-fA-F]{2}(?![0-9a-fA-F])/g
const PERCENT = /%[0-9a-fA-F]{2}/g

/** Readable text: mostly printable ASCII with some spaces or enough letters. */
export function isReadableText(s: string): boolean {
  if (s.length < 6) return false
  let printable = 0
  let letters = 0
  let spaces = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13) printable++
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters++
    if (c === 0x20) spaces++
  }
  return printable / s.length >= 0.95 && letters / s.length >= 0.5 && (spaces > 0 || s.length < 24)
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

// Character classes for the run scanner: 1 = base64 alphabet (incl. URL-safe), 2 = hex digit.
const CLASS = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z0-9+/_-]/.test(ch)) CLASS[c] |= 1
  if (/[0-9a-fA-F]/.test(ch)) CLASS[c] |= 2
}

/**
 * One pass over the text finding maximal base64-alphabet runs of 20+ chars
 * and contiguous hex runs of 20+ digits (a loop beats a character-class regex
 * here, which retries at every position).
 */
function scanRuns(text: string, onBase64: (s: number, e: number) => void, onHex: (s: number, e: number) => void): void {
  const n = text.length
  let b = -1
  let h = -1
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0
    const cls = c < 128 ? CLASS[c] : 0
    if (cls & 1) {
      if (b < 0) b = i
    } else if (b >= 0) {
      let end = i
      while (end < n && end - i < 2 && text.charCodeAt(end) === 61) end++ // '=' padding
      if (i - b >= 20) onBase64(b, end)
      b = -1
    }
    if (cls & 2) {
      if (h < 0) h = i
    } else if (h >= 0) {
      if (i - h >= 20) onHex(h, i)
      h = -1
    }
  }
}

export function findEncodedSegments(text: string): EncodedSegment[] {
  const out: EncodedSegment[] = []
  const push = (start: number, end: number, encoding: Encoding, decoded: string | undefined) => {
    if (decoded === undefined || out.length >= MAX_SEGMENTS) return
    if (isReadableText(decoded)) out.push({ start, end, encoding, decoded })
  }

  scanRuns(
    text,
    (s, e) => {
      if (e - s > MAX_SEGMENT_CHARS || out.length >= MAX_SEGMENTS) return
      const run = text.slice(s, e)
      // Plain words and identifiers rarely mix cases the way base64 does.
      if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) return
      push(s, e, 'base64', decodeBase64(run))
    },
    (s, e) => {
      if (e - s > MAX_SEGMENT_CHARS || out.length >= MAX_SEGMENTS) return
      const start = text.startsWith('0x', s - 2) || text.startsWith('0X', s - 2) ? s - 2 : s
      push(start, e, 'hex', decodeHex(text.slice(s, e - ((e - s) % 2))))
    },
  )

  if (text.indexOf('\\x') >= 0 || /[0-9a-fA-F]{2}[ :][0-9a-fA-F]{2}[ :][0-9a-fA-F]{2}/.test(text)) {
    HEX_SEPARATED.lastIndex = 0
    for (let m = HEX_SEPARATED.exec(text); m && out.length < MAX_SEGMENTS; m = HEX_SEPARATED.exec(text)) {
      if (m[0].length > MAX_SEGMENT_CHARS) continue
      push(m.index, m.index + m[0].length, 'hex', decodeHex(m[0]))
    }
  }

  // URL encoding: whitespace-free runs holding at least three %XX escapes.
  PERCENT.lastIndex = 0
  let runEnd = -1
  for (let m = PERCENT.exec(text); m && out.length < MAX_SEGMENTS; m = PERCENT.exec(text)) {
    if (m.index < runEnd) continue
    // The run never reaches back into the previous one, so each character is visited at most twice.
    const floor = Math.max(0, runEnd, m.index - MAX_SEGMENT_CHARS)
    let start = m.index
    while (start > floor && !isSpace(text.charCodeAt(start - 1))) start--
    let end = m.index + 3
    while (end < text.length && !isSpace(text.charCodeAt(end)) && end - m.index < MAX_SEGMENT_CHARS) end++
    runEnd = end
    const run = text.slice(start, end)
    let escapes = 0
    for (let i = run.indexOf('%'); i >= 0 && escapes < 3; i = run.indexOf('%', i + 1)) {
      if (/^%[0-9a-fA-F]{2}/.test(run.slice(i, i + 3))) escapes++
    }
    if (escapes >= 3) push(start, end, 'url', decodePercent(run))
    PERCENT.lastIndex = end
  }
  return out.sort((a, b) => a.start - b.start)
}
