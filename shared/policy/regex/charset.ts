/**
 * Character sets as sorted, non-overlapping inclusive ranges of UTF-16 code
 * units: [lo0, hi0, lo1, hi1, …]. The linear matcher works on code units, like
 * a JavaScript RegExp without the `u` flag.
 */
export type Ranges = number[]

export const MAX_UNIT = 0xffff

export function normalizeRanges(input: Ranges): Ranges {
  const pairs: [number, number][] = []
  for (let i = 0; i < input.length; i += 2) pairs.push([input[i], input[i + 1]])
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const out: Ranges = []
  for (const [lo, hi] of pairs) {
    const last = out.length - 1
    if (last > 0 && lo <= out[last] + 1) {
      if (hi > out[last]) out[last] = hi
    } else {
      out.push(lo, hi)
    }
  }
  return out
}

export function negateRanges(r: Ranges): Ranges {
  const out: Ranges = []
  let next = 0
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] > next) out.push(next, r[i] - 1)
    next = r[i + 1] + 1
  }
  if (next <= MAX_UNIT) out.push(next, MAX_UNIT)
  return out
}

export function rangesContain(r: Ranges, c: number): boolean {
  for (let i = 0; i < r.length; i += 2) {
    if (c < r[i]) return false
    if (c <= r[i + 1]) return true
  }
  return false
}

export function rangesOverlap(a: Ranges, b: Ranges): boolean {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i + 1] < b[j]) i += 2
    else if (b[j + 1] < a[i]) j += 2
    else return true
  }
  return false
}

export const DIGIT: Ranges = [0x30, 0x39]
export const WORD: Ranges = normalizeRanges([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a])
export const SPACE: Ranges = normalizeRanges([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
])
export const LINE_TERMINATORS: Ranges = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]
export const ANY_BUT_NEWLINE: Ranges = negateRanges(LINE_TERMINATORS)
export const ANY: Ranges = [0, MAX_UNIT]

/** Add the other-case variants of every letter in the set (for the `i` flag). */
export function caseFold(r: Ranges): Ranges {
  const extra: number[] = []
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i]
    const hi = r[i + 1]
    // Large ranges (e.g. negated classes) already contain nearly everything;
    // folding them char by char would only cost time.
    if (hi - lo > 2000) continue
    for (let c = lo; c <= hi; c++) {
      const s = String.fromCharCode(c)
      const lower = s.toLowerCase()
      const upper = s.toUpperCase()
      if (lower.length === 1 && lower !== s) extra.push(lower.charCodeAt(0), lower.charCodeAt(0))
      if (upper.length === 1 && upper !== s) extra.push(upper.charCodeAt(0), upper.charCodeAt(0))
    }
  }
  return extra.length ? normalizeRanges([...r, ...extra]) : r
}
