/**
 * Scan-normalisation for detectors: lower case, Unicode compatibility folding
 * (NFKC/NFKD: fullwidth and mathematical letters become ASCII), diacritics,
 * zero-width and bidi controls removed, look-alike letters folded to Latin,
 * and Unicode tag characters ("ASCII smuggling") decoded. Every output
 * character remembers which original characters it came from, so findings
 * point at the user's own text.
 */

export interface NormalizeOptions {
  /** NFKC-style folding and removal of invisible characters. */
  unicode: boolean
  /** Fold Cyrillic/Greek/small-capital look-alikes to Latin letters. */
  homoglyphs: boolean
  /** Fold typographic apostrophes (’ ‘) to ' (same length). */
  apostrophes?: boolean
}

export interface NormalizedText {
  /** Folded, lower-cased text. */
  text: string
  /** Whether `text` maps 1:1 onto the original (same indices). */
  identity: boolean
  /** Original [start, end) of a span of `text`. */
  toOriginal(start: number, end: number): [number, number]
}

const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  һ: 'h',
  ү: 'y',
  ѵ: 'v',
  ɡ: 'g',
  ꙇ: 'i',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  У: 'y',
  І: 'i',
  Ј: 'j',
  Ѕ: 's',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  // Latin variants and small capitals
  ı: 'i',
  ɩ: 'i',
  ɪ: 'i',
  ƚ: 'l',
  ł: 'l',
  ɑ: 'a',
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ғ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ᴊ: 'j',
  ᴋ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴘ: 'p',
  ǫ: 'q',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
  // Armenian
  օ: 'o',
  ս: 'u',
  հ: 'h',
}

function isInvisible(cp: number): boolean {
  return (
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xe0000 && cp <= 0xe001f) ||
    cp === 0xe007f ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  )
}

export function isCombiningMark(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x0483 && cp <= 0x0489) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f)
  )
}

/** Folding result per code point, cached: natural text reuses few distinct characters. */
const foldCache = new Map<number, string>()
const FOLD_CACHE_LIMIT = 8192

function foldCodePoint(cp: number, opts: NormalizeOptions): string {
  const key = opts.homoglyphs ? cp : -cp - 1
  const hit = foldCache.get(key)
  if (hit !== undefined) return hit
  const ch = String.fromCodePoint(cp)
  let out: string
  const direct = opts.homoglyphs ? HOMOGLYPHS[ch] : undefined
  if (direct !== undefined) {
    out = direct
  } else {
    let s = ch.normalize('NFKD')
    let stripped = ''
    for (const c of s) {
      const ccp = c.codePointAt(0)!
      if (isCombiningMark(ccp) || isInvisible(ccp)) continue
      stripped += opts.homoglyphs ? (HOMOGLYPHS[c] ?? c) : c
    }
    s = stripped.toLowerCase()
    out = s
  }
  if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear()
  foldCache.set(key, out)
  return out
}

const ENCODER = new TextEncoder()
const ASCII_CHUNK = 1 << 16
let asciiBuffer = new Uint8Array(1024)

/**
 * Whether the text is pure ASCII. UTF-8 encoding into a buffer of the
 * text's length runs out of room at the first non-ASCII character, and is
 * several times faster than a regular-expression scan.
 */
export function isAscii(text: string): boolean {
  const n = text.length
  // In chunks, so a long text that is not ASCII is usually told after its first chunk.
  for (let from = 0; from < n; from += ASCII_CHUNK) {
    const to = Math.min(n, from + ASCII_CHUNK)
    const piece = from === 0 && to === n ? text : text.slice(from, to)
    const len = to - from
    if (asciiBuffer.length < len) asciiBuffer = new Uint8Array(len)
    const r = ENCODER.encodeInto(piece, len === asciiBuffer.length ? asciiBuffer : asciiBuffer.subarray(0, len))
    if (r.read !== len || r.written !== len) return false
  }
  return true
}

const UTF16 = new TextDecoder('utf-16le')
/** For bytes below 0x80 only (where windows-1252, which 'latin1' names, is ASCII). */
const ASCII_DECODER = new TextDecoder('latin1')

/** A string from UTF-16 code units, one character per unit (lone surrogates become U+FFFD). */
export function utf16ToString(units: Uint16Array): string {
  return UTF16.decode(units)
}

/** What one non-ASCII code point becomes (apostrophes aside). */
function pieceFor(cp: number, opts: NormalizeOptions): string {
  if (opts.unicode && cp >= 0xe0020 && cp <= 0xe007e) {
    // Tag characters spell invisible ASCII; decode them so hidden text is scanned.
    const a = cp - 0xe0000
    return String.fromCharCode(a >= 0x41 && a <= 0x5a ? a + 32 : a)
  }
  if (opts.unicode && (isInvisible(cp) || isCombiningMark(cp))) return ''
  return opts.unicode || opts.homoglyphs ? foldCodePoint(cp, opts) : String.fromCodePoint(cp).toLowerCase()
}

/** ASCII runs at least this long are copied as lower-cased slices rather than character by character. */
const LONG_ASCII_RUN = 64
const NON_ASCII = /[^\0-\x7f]/g

/** Output code units as a string; folded text is usually all ASCII again, and a one-byte decode is cheaper. */
function decodeCodes(codes: Uint16Array, count: number, wide: boolean): string {
  return wide ? utf16ToString(codes.subarray(0, count)) : ASCII_DECODER.decode(new Uint8Array(codes.subarray(0, count)))
}

/**
 * The ASCII run [from, to) of `input`, lower-cased, as a one-byte string. A slice of a
 * two-byte input (any character above U+00FF makes one) stays two-byte through
 * toLowerCase, and one two-byte part makes the whole joined text two-byte: every
 * scanner would then read twice the bytes, and the tokenizer's and the regular
 * expressions' code would have to handle both string layouts. Encoding the run
 * into bytes and decoding them gives the same characters in one byte each.
 */
function lowerAsciiRun(input: string, from: number, to: number): string {
  const len = to - from
  if (asciiBuffer.length < len) asciiBuffer = new Uint8Array(len)
  const bytes = asciiBuffer.subarray(0, len)
  ENCODER.encodeInto(input.slice(from, to), bytes)
  return ASCII_DECODER.decode(bytes).toLowerCase()
}

/** Per option mode, BMP code unit → 0 unknown, -1 removed, -2 several units, else the one unit + 1. */
const FOLD_TABLES: Array<Int32Array | undefined> = [undefined, undefined, undefined, undefined]

export function normalizeForScan(input: string, opts: NormalizeOptions): NormalizedText {
  if ((!opts.unicode && !opts.homoglyphs && !opts.apostrophes) || isAscii(input)) {
    const text = input.toLowerCase()
    if (text.length === input.length) {
      return { text, identity: true, toOriginal: (s, e) => [s, e] }
    }
  }
  // Output code units in a typed buffer, and the index map as segments that
  // start only where the offset between output and input changes (a dropped
  // invisible character, an expansion such as "ﬁ" → "fi", a surrogate pair):
  // look-alike letters map one to one and cost nothing in the map.
  const n = input.length
  const mode = (opts.unicode ? 1 : 0) | (opts.homoglyphs ? 2 : 0)
  // Output: long ASCII runs as lower-cased slices (native, no per-character copy), everything else
  // through `codes`, which holds output [base, len) and is decoded into `parts` before each long run.
  const parts: string[] = []
  let base = 0
  let cap = Math.min(n, 1 << 16) + 128
  let codes = new Uint16Array(cap)
  let len = 0
  const segOut: number[] = [0] // output index where the segment starts
  const segSrc: number[] = [0] // input index of that output index
  const segSize: number[] = [0] // 0: linear (one to one); k > 0: every output char of the segment maps to k input units
  let wide = false // whether any output unit in `codes` is outside ASCII
  let linear = true // whether the current segment maps one to one
  let linearDelta = 0 // input index minus output index in the current linear segment
  for (let i = 0; i < n;) {
    if (len - base + LONG_ASCII_RUN + 32 > cap) {
      cap = cap * 2 + 64
      const grown = new Uint16Array(cap)
      grown.set(codes.subarray(0, len - base))
      codes = grown
    }
    let cu = input.charCodeAt(i)
    if (cu < 0x80) {
      if (!linear || i - len !== linearDelta) {
        segOut.push(len)
        segSrc.push(i)
        segSize.push(0)
        linear = true
        linearDelta = i - len
      }
      // A run of ASCII maps one to one and never grows the output.
      let j = i + 1
      while (j < n && j - i < LONG_ASCII_RUN && input.charCodeAt(j) < 0x80) j++
      if (j - i >= LONG_ASCII_RUN) {
        NON_ASCII.lastIndex = j
        const next = NON_ASCII.exec(input)
        j = next ? next.index : n
        if (len > base) parts.push(decodeCodes(codes, len - base, wide))
        parts.push(lowerAsciiRun(input, i, j))
        len += j - i
        base = len
        wide = false
        i = j
        continue
      }
      for (; i < j; i++) {
        cu = input.charCodeAt(i)
        codes[len++ - base] = cu >= 0x41 && cu <= 0x5a ? cu + 32 : cu
      }
      continue
    }
    const cp = cu >= 0xd800 && cu <= 0xdbff ? input.codePointAt(i)! : cu
    const size = cp > 0xffff ? 2 : 1
    // One-unit results of BMP characters come from a table: a few array reads per character.
    let single = -1
    let piece = ''
    if (opts.apostrophes && (cp === 0x2019 || cp === 0x2018)) {
      single = 39
    } else if (size === 1) {
      const table = (FOLD_TABLES[mode] ??= new Int32Array(0x10000))
      let v = table[cp]
      if (v === 0) {
        const p = pieceFor(cp, opts)
        v = p.length === 0 ? -1 : p.length === 1 ? p.charCodeAt(0) + 1 : -2
        table[cp] = v
      }
      if (v > 0) single = v - 1
      else if (v === -2) piece = pieceFor(cp, opts)
    } else {
      piece = pieceFor(cp, opts)
    }
    if (single >= 0 && size === 1) {
      if (!linear || i - len !== linearDelta) {
        segOut.push(len)
        segSrc.push(i)
        segSize.push(0)
        linear = true
        linearDelta = i - len
      }
      codes[len++ - base] = single
      if (single >= 0x80) wide = true
    } else {
      const m = single >= 0 ? 1 : Math.min(piece.length, 32)
      if (m > 0) {
        segOut.push(len)
        segSrc.push(i)
        segSize.push(size)
        linear = false
        if (single >= 0) codes[len++ - base] = single
        else for (let k = 0; k < m; k++) codes[len++ - base] = piece.charCodeAt(k)
        wide = true // conservatively: an expansion may hold anything
      }
    }
    i += size
  }
  if (len > base || parts.length === 0) parts.push(decodeCodes(codes, len - base, wide))
  const out = parts.length === 1 ? parts[0] : parts.join('')
  // Callers mostly map positions in increasing order: try the last segment and the next before searching.
  let lastSeg = 0
  const segmentOf = (o: number) => {
    const k = lastSeg
    if (segOut[k] <= o) {
      if (k + 1 >= segOut.length || segOut[k + 1] > o) return k
      if (k + 2 >= segOut.length || segOut[k + 2] > o) return (lastSeg = k + 1)
    }
    let lo = 0
    let hi = segOut.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (segOut[mid] <= o) lo = mid
      else hi = mid - 1
    }
    return (lastSeg = lo)
  }
  const srcStart = (o: number) => {
    const k = segmentOf(o)
    return segSize[k] === 0 ? segSrc[k] + (o - segOut[k]) : segSrc[k]
  }
  const srcEnd = (o: number) => {
    const k = segmentOf(o)
    return segSize[k] === 0 ? segSrc[k] + (o - segOut[k]) + 1 : segSrc[k] + segSize[k]
  }
  return {
    text: out,
    identity: false,
    toOriginal(s, e) {
      if (len === 0) return [0, 0]
      const a = Math.min(Math.max(s, 0), len - 1)
      const b = Math.min(Math.max(e - 1, a), len - 1)
      return [srcStart(a), srcEnd(b)]
    },
  }
}

// Run once, on a few characters, when the module loads: on a large message the folding loop above is
// compiled while it runs (on-stack replacement), and code after the loop that has never run is compiled
// as a bail-out, which V8 then takes on every large message (a deoptimisation each, ~1 per 1 MB scan).
normalizeForScan('\u0131\u2019A', { unicode: true, homoglyphs: true, apostrophes: true })
