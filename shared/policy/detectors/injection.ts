import type { SafeRegex } from '../regex/index'
import { findEncodedSegments, type Encoding } from '../text/encoded'
import { normalizeForScan, utf16ToString, type NormalizeOptions } from '../text/normalize'
import { scanConcepts } from './injection-concepts'
import {
  CHAT_TEMPLATE_TOKEN,
  CONTINUATION,
  CORE_NOUN_RE,
  DECORATED_DELIMITER,
  ELSEWHERE_SCOPE,
  EXPLAIN_FRAME,
  FOLLOW_MINE,
  HOW_TO_BEFORE,
  NOUN_BACKREF,
  PASSIVE_OVERRIDE,
  REPLACEMENT_TASK,
  SELF_CORRECTION,
  WEAK_VERB,
  FAKE_DELIMITER,
  FAMILY_ENTITY,
  JAILBREAK_ALONE,
  JAILBREAK_MARKER,
  JSON_SYSTEM_ROLE,
  LEAK_QUESTION,
  LEAK_REQUEST,
  META_DISCUSSION,
  META_INTRO,
  NEGATED_BEFORE,
  NEW_INSTRUCTIONS,
  OVERRIDE_NO_NOUN,
  OVERRIDE_WITH_NOUN,
  PERSONA_ASSIGNED,
  ROLE_CHANGE,
  ROLE_LABEL,
  SELF_QUALIFIER,
  STRONG_QUALIFIER,
  type InjectionFamily,
} from './injection-rules'

export { FAMILY_ENTITY, type InjectionFamily } from './injection-rules'

/**
 * Prompt-injection detection by lexical rules over normalised text, plus the
 * same rules over decoded base64/hex/URL segments. Scores are 0..1; callers
 * keep findings at or above their threshold.
 */

export interface InjectionOptions {
  normalizeUnicode: boolean
  detectHomoglyphs: boolean
  decodeSegments: boolean
  rejectFakeBoundaries: boolean
  enforceDelimiters: boolean
  /** Custom patterns, matched on the normalised text. */
  customPatterns: SafeRegex[]
}

export interface InjectionMatch {
  family: InjectionFamily | 'custom'
  entity: string
  /** Indices into the original text. */
  start: number
  end: number
  score: number
  encoding?: Encoding
  detail: string
}

interface RawHit {
  family: InjectionFamily
  start: number
  end: number
  score: number
  detail: string
}

const LEET_CODE = new Int32Array(128).fill(-1)
for (const [d, l] of Object.entries({ '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's' })) {
  LEET_CODE[d.charCodeAt(0)] = l.charCodeAt(0)
}
// Digits inside words signal leetspeak; '@' and '$' alone (emails, prices) do not.
const LEET_HINT = /[a-z][0134578]|[0134578][a-z]/

// 1 = letter, 2 = leet character (digit or @ $ that reads as a letter), 4 = other digit
const LEET_CLASS = new Uint8Array(128)
for (let c = 97; c <= 122; c++) LEET_CLASS[c] = 1
for (let c = 48; c <= 57; c++) LEET_CLASS[c] = LEET_CODE[c] >= 0 ? 2 : 4
LEET_CLASS[64] = 2
LEET_CLASS[36] = 2

const LEET_HINTS = new RegExp(LEET_HINT.source, 'g')

/**
 * Fold leetspeak inside words that mix letters and digits ("1gn0r3" →
 * "ignore"); keeps every index. Jumps from hint to hint, so ordinary text
 * costs one native scan.
 */
function foldLeet(t: string): string {
  if (!LEET_HINT.test(t)) return t
  const n = t.length
  const classOf = (i: number) => {
    const c = t.charCodeAt(i)
    return c < 128 ? LEET_CLASS[c] : 0
  }
  let out = ''
  let copied = 0
  LEET_HINTS.lastIndex = 0
  for (let m = LEET_HINTS.exec(t); m; m = LEET_HINTS.exec(t)) {
    let s = m.index
    while (s > copied && classOf(s - 1) !== 0) s--
    let e = m.index + 2
    while (e < n && classOf(e) !== 0) e++
    const units = new Uint16Array(e - s)
    for (let k = s; k < e; k++) {
      const c = t.charCodeAt(k)
      units[k - s] = c < 128 && LEET_CLASS[c] === 2 ? LEET_CODE[c] : c
    }
    out += t.slice(copied, s) + utf16ToString(units)
    copied = e
    LEET_HINTS.lastIndex = e
  }
  return copied === 0 ? t : out + t.slice(copied)
}

/** Apostrophe variants folded so "don’t" reads as "don't" (same length). */
function foldApostrophes(t: string): string {
  return t.indexOf('\u2019') >= 0 || t.indexOf('\u2018') >= 0 ? t.replace(/[\u2018\u2019]/g, "'") : t
}

interface Regions {
  /** Quoted spans: "…", “…”, «…», '…' */
  quotes: number[]
  /** Code: ``` fenced blocks and `inline` spans */
  code: number[]
}

const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)

/**
 * Quoted and code spans as sorted [start, end) pairs. Lookups of the next
 * line or paragraph break are cached so the scan stays linear however many
 * quote characters the text holds.
 */
function findRegions(t: string): Regions {
  const code: number[] = []
  let idx = t.indexOf('```')
  while (idx >= 0) {
    const close = t.indexOf('```', idx + 3)
    const end = close < 0 ? t.length : close + 3
    code.push(idx, end)
    idx = close < 0 ? -1 : t.indexOf('```', end)
  }
  const fences = code.slice()
  const quotes: number[] = []
  let nl = -2 // next '\n' at or after the cursor
  let para = -2 // next blank line at or after the cursor
  const nextNl = (i: number) => {
    if (nl !== -1 && nl < i) nl = t.indexOf('\n', i)
    return nl < 0 ? t.length : nl
  }
  const nextPara = (i: number) => {
    if (para !== -1 && para < i) para = t.indexOf('\n\n', i)
    return para < 0 ? t.length : para
  }
  const QUOTE = /["“”«»'`]/g
  let open = -1
  let openCh = ''
  let limit = 0
  let tick = -1
  let tickLimit = 0
  for (let m = QUOTE.exec(t); m; m = QUOTE.exec(t)) {
    const ch = m[0]
    const i = m.index
    if (fences.length && inRanges(fences, i)) continue
    if (tick >= 0 && i > tickLimit) tick = -1 // an inline code span ends at the line end
    if (ch === '`') {
      if (tick >= 0) {
        code.push(tick, i + 1)
        tick = -1
      } else {
        tick = i
        tickLimit = nextNl(i)
      }
      continue
    }
    if (tick >= 0) continue
    if (open >= 0 && i > limit) {
      quotes.push(open, limit)
      open = -1
    }
    let opens = ch === '"' || ch === '“' || ch === '«'
    let closes = ch === '"' || ch === '”' || ch === '»'
    if (ch === "'") {
      const before = isWordCode(t.charCodeAt(i - 1))
      const after = isWordCode(t.charCodeAt(i + 1))
      if (before && after) continue // an apostrophe: don't, it's
      opens = !before
      closes = !after
    }
    if (open >= 0) {
      const pairs = (openCh === '“' && ch === '”') || (openCh === '«' && ch === '»') || (openCh === ch && closes)
      if (pairs) {
        quotes.push(open, i + 1)
        open = -1
      }
    } else if (opens) {
      open = i
      openCh = ch
      // An unclosed quote ends at a paragraph break or after 600 characters.
      limit = Math.min(nextPara(i), i + 600)
    }
  }
  if (open >= 0) quotes.push(open, limit)
  const sortedCode: number[] = []
  const pairs: Array<[number, number]> = []
  for (let k = 0; k < code.length; k += 2) pairs.push([code[k], code[k + 1]])
  pairs.sort((a, b) => a[0] - b[0])
  for (const [a, b] of pairs) sortedCode.push(a, b)
  return { quotes, code: sortedCode }
}

/** Whether `i` falls in one of the sorted, disjoint [start, end) pairs of `r` (binary search). */
function inRanges(r: number[], i: number): boolean {
  let lo = 0
  let hi = r.length / 2 - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (i < r[mid * 2]) hi = mid - 1
    else if (i >= r[mid * 2 + 1]) lo = mid + 1
    else return true
  }
  return false
}

function stickyTest(re: RegExp, t: string, at: number): boolean {
  re.lastIndex = at
  return re.test(t)
}

/**
 * Past this many matches of one rule in one message, scanning stops: such a
 * flood is an attack pattern in itself (or a denial of service). Rules whose
 * matches are strong signals then report the flood as a finding.
 */
export const MAX_RULE_MATCHES = 1024

function forEachMatch(re: RegExp, t: string, hits: RawHit[], flood: { family: InjectionFamily; score: number } | null, fn: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0
  let count = 0
  let first = -1
  let lastEnd = 0
  for (let m = re.exec(t); m; m = re.exec(t)) {
    if (++count > MAX_RULE_MATCHES) {
      if (flood) hits.push({ family: flood.family, start: first, end: lastEnd, score: flood.score, detail: `more than ${MAX_RULE_MATCHES} matches of one injection rule` })
      return
    }
    if (first < 0) first = m.index
    lastEnd = m.index + m[0].length
    fn(m)
    if (m[0].length === 0) re.lastIndex++
  }
}

const clamp = (x: number) => Math.max(0, Math.min(1, x))

function scanOverride(t: string, hits: RawHit[]): void {
  forEachMatch(OVERRIDE_WITH_NOUN, t, hits, { family: 'instruction_override', score: 0.8 }, (m) => {
    const start = m.index
    const end = start + m[0].length
    const verb = m[1]
    const gap = m[2] ?? ''
    const noun = m[3]
    const backref = stickyTest(NOUN_BACKREF, t, end)
    let score: number
    if (SELF_QUALIFIER.test(gap) && !/\b(?:your|system|developer)\b/.test(gap)) score = 0.55
    else if (STRONG_QUALIFIER.test(gap) || backref) score = 0.9
    else score = 0.6
    if (/^(?:instructions?|rules|guidelines|directives?|prompts?|system\s+message)$/.test(noun) && score >= 0.9) score = 0.95
    if (WEAK_VERB.test(verb) && !CORE_NOUN_RE.test(noun)) score *= 0.4
    if (stickyTest(ELSEWHERE_SCOPE, t, end)) score *= 0.5
    if (stickyTest(CONTINUATION, t, end)) score += 0.1
    if (stickyTest(SELF_CORRECTION, t, end)) score *= 0.4
    if (NEGATED_BEFORE.test(t.slice(Math.max(0, start - 40), start))) score *= 0.3
    hits.push({ family: 'instruction_override', start, end, score, detail: 'instruction override phrase' })
  })
  forEachMatch(OVERRIDE_NO_NOUN, t, hits, { family: 'instruction_override', score: 0.8 }, (m) => {
    const start = m.index
    const end = start + m[0].length
    const target = m[2]
    const after = t.slice(end, end + 60)
    let score: number
    if (/^everything$/.test(target)) {
      score = /^\s{0,3}(?:\w+\s+){0,4}?(?:above|before|prior|previous(?:ly)?|earlier|so\s+far|told|said|instructions|rules|up\s+(?:to|until))\b/.test(after) ? 0.85 : 0.3
    } else {
      // "ignore the above" ends a clause; "ignore the previous error" goes on to name something else.
      const next = /^\s{0,3}([a-z']+)/.exec(after)?.[1]
      if (!next || /^(?:and|then|now|instead|completely|entirely|just|from|you|start|begin|please|&)$/.test(next) || /^\s{0,3}[.,;:!?\n-]/.test(after) || after.trim() === '') score = 0.85
      else if (/^(?:message|messages|text|content|conversation|context|input|chat|prompts?|ones|lines?|paragraphs?)$/.test(next)) score = 0.6
      else score = 0.2
      if (target === 'before' || target === 'earlier' || target === 'so far') score = Math.min(score, 0.7)
    }
    if (stickyTest(CONTINUATION, t, end)) score += 0.1
    if (stickyTest(SELF_CORRECTION, t, end)) score *= 0.4
    if (NEGATED_BEFORE.test(t.slice(Math.max(0, start - 40), start))) score *= 0.3
    hits.push({ family: 'instruction_override', start, end, score, detail: 'instruction override phrase' })
  })
  forEachMatch(NEW_INSTRUCTIONS, t, hits, { family: 'instruction_override', score: 0.8 }, (m) => {
    const score = m[0].trimEnd().endsWith(':') ? 0.75 : 0.65
    hits.push({ family: 'instruction_override', start: m.index, end: m.index + m[0].length, score, detail: 'replacement instructions' })
  })
  forEachMatch(REPLACEMENT_TASK, t, hits, null, (m) => {
    const replacing = /\b(?:replac\w*|instead\s+of|overrid\w*|supersed\w*)\b/.test(m[0])
    const addressed = /\byour\s+$/.test(t.slice(Math.max(0, m.index - 6), m.index))
    const score = replacing ? 0.75 : addressed ? 0.7 : 0.45
    hits.push({ family: 'instruction_override', start: m.index, end: m.index + m[0].length, score, detail: 'replacement task' })
  })
  forEachMatch(PASSIVE_OVERRIDE, t, hits, { family: 'instruction_override', score: 0.8 }, (m) => {
    const weak = m[1] === undefined ? false : /^(?:the|old|these|those)$/.test(m[1])
    hits.push({ family: 'instruction_override', start: m.index, end: m.index + m[0].length, score: weak ? 0.5 : 0.8, detail: 'declares earlier instructions void' })
  })
  forEachMatch(FOLLOW_MINE, t, hits, { family: 'instruction_override', score: 0.8 }, (m) => {
    hits.push({ family: 'instruction_override', start: m.index, end: m.index + m[0].length, score: 0.7, detail: 'asks to follow the user instead' })
  })
}

function scanRole(t: string, hits: RawHit[]): void {
  const roles: Array<[number, number]> = []
  forEachMatch(ROLE_CHANGE, t, hits, { family: 'role_manipulation', score: 0.8 }, (m) => roles.push([m.index, m.index + m[0].length]))
  const markers: Array<[number, number]> = []
  // Markers only matter next to a role change.
  if (roles.length > 0) {
    forEachMatch(JAILBREAK_MARKER, t, hits, null, (m) => markers.push([m.index, m.index + m[0].length]))
    forEachMatch(PERSONA_ASSIGNED, t, hits, null, (m) => markers.push([m.index, m.index + m[0].length]))
  }
  markers.sort((a, b) => a[0] - b[0])

  // A role change is an attack when a jailbreak marker is near it (same message, within ~600 chars).
  let mi = 0
  for (const [rs, re] of roles) {
    while (mi < markers.length && markers[mi][1] < rs - 600) mi++
    // A marker inside the cue itself ("enable developer mode") does not count.
    let k = mi
    while (k < markers.length && markers[k][0] < re && markers[k][1] > rs) k++
    const near = k < markers.length && markers[k][0] <= re + 600 && !(markers[k][0] < re && markers[k][1] > rs)
    // A role change alone ("act as a tutor") is ordinary; only the combination is reported.
    if (near) hits.push({ family: 'role_manipulation', start: rs, end: re, score: 0.9, detail: 'role change with jailbreak marker' })
  }
  forEachMatch(JAILBREAK_ALONE, t, hits, { family: 'role_manipulation', score: 0.8 }, (m) => {
    hits.push({ family: 'role_manipulation', start: m.index, end: m.index + m[0].length, score: 0.8, detail: 'jailbreak phrase' })
  })
}

function scanLeak(t: string, hits: RawHit[]): void {
  forEachMatch(LEAK_REQUEST, t, hits, { family: 'system_prompt_leak', score: 0.8 }, (m) => {
    const verb = m[1]
    const obj = m[2] ?? ''
    const soft = /^(?:summari[sz]e|translate|list|provide|state|quote)$/.test(verb)
    let score: number
    if (/system\s+(?:prompt|message|instructions)|instructions|prompt|pre-?prompt|programming|configuration|initial\s+message|what\s+you\s+were/.test(obj)) {
      score = 0.9
    } else if (/^your\s/.test(obj)) {
      score = /(?:system|initial|original|hidden|secret|internal|developer|confidential|exact|full|entire|complete)\s/.test(obj) ? 0.85 : 0.6
    } else {
      // "the text above", "everything before this"
      score = 0.8
    }
    if (soft) score = /system|your\s+(?:\w+\s+)?(?:instructions|prompt)|hidden|secret|initial|original/.test(obj) ? Math.min(score, 0.85) : 0.35
    if (/\b(?:verbatim|exactly|word\s+for\s+word|in\s+full)\b/.test(t.slice(m.index, m.index + m[0].length + 40))) score += 0.1
    if (HOW_TO_BEFORE.test(t.slice(Math.max(0, m.index - 30), m.index))) score *= 0.5
    hits.push({ family: 'system_prompt_leak', start: m.index, end: m.index + m[0].length, score, detail: 'asks for the hidden instructions' })
  })
  forEachMatch(LEAK_QUESTION, t, hits, { family: 'system_prompt_leak', score: 0.8 }, (m) => {
    hits.push({ family: 'system_prompt_leak', start: m.index, end: m.index + m[0].length, score: 0.85, detail: 'asks for the hidden instructions' })
  })
}

function scanBoundaries(t: string, hits: RawHit[], opts: InjectionOptions): void {
  if (!opts.rejectFakeBoundaries && !opts.enforceDelimiters) return
  forEachMatch(CHAT_TEMPLATE_TOKEN, t, hits, { family: 'fake_boundary', score: 0.8 }, (m) => {
    hits.push({ family: 'fake_boundary', start: m.index, end: m.index + m[0].length, score: 0.9, detail: 'chat-template token' })
  })
  forEachMatch(FAKE_DELIMITER, t, hits, { family: 'fake_boundary', score: 0.8 }, (m) => {
    const lead = m[0].startsWith('\n') ? 1 : 0
    hits.push({ family: 'fake_boundary', start: m.index + lead, end: m.index + m[0].length, score: 0.8, detail: 'fake delimiter' })
  })
  forEachMatch(DECORATED_DELIMITER, t, hits, { family: 'fake_boundary', score: 0.8 }, (m) => {
    hits.push({ family: 'fake_boundary', start: m.index, end: m.index + m[0].length, score: 0.8, detail: 'fake delimiter' })
  })
  // Role labels alone score below any threshold unless enforce_delimiters asks for them.
  if (opts.enforceDelimiters) {
    forEachMatch(ROLE_LABEL, t, hits, null, (m) => {
      const lead = m[0].startsWith('\n') ? 1 : 0
      hits.push({ family: 'fake_boundary', start: m.index + lead, end: m.index + m[0].length - 1, score: 0.75, detail: 'role label inside a message' })
    })
  }
  forEachMatch(JSON_SYSTEM_ROLE, t, hits, null, (m) => {
    hits.push({ family: 'fake_boundary', start: m.index, end: m.index + m[0].length, score: 0.5, detail: 'system role inside a message' })
  })
}

/** Discount quoted or fenced matches in a discussion about attacks; boost multi-family messages. */
function adjust(t: string, hits: RawHit[]): void {
  if (hits.length === 0) return
  const regions = findRegions(t)
  const meta = META_DISCUSSION.test(t)
  for (const h of hits) {
    const inCode = regions.code.length > 0 && inRanges(regions.code, h.start)
    // A hit counts as quoted when either end is inside quotes (concept hits can straddle one).
    const quoted = regions.quotes.length > 0 && (inRanges(regions.quotes, h.start) || inRanges(regions.quotes, h.end - 1))
    const intro = (quoted || meta) && META_INTRO.test(t.slice(Math.max(0, h.start - 40), h.start))
    // Quoted text alone is no excuse (indirect injections arrive quoted);
    // quoted or code text in a discussion about attacks is.
    if (inCode) h.score *= meta ? 0.5 : 0.75
    else if (quoted) h.score *= meta || intro ? 0.5 : 1
    else if (intro && meta) h.score *= 0.6
    if (meta && !inCode && !quoted) {
      // "Explain how jailbreaks such as DAN work": a question about attacks in the hit's own sentence.
      const head = t.slice(Math.max(0, h.start - 200), h.start)
      const cut = Math.max(head.lastIndexOf('.'), head.lastIndexOf('!'), head.lastIndexOf('?'), head.lastIndexOf('\n'), head.lastIndexOf(';'))
      if (EXPLAIN_FRAME.test(head.slice(cut + 1))) h.score *= 0.6
    }
    if (h.family === 'fake_boundary' && !inCode) {
      // Bounded look-around so many hits on one long line stay linear.
      const before = t.slice(Math.max(0, h.start - 200), h.start)
      const lead = before.length - (before.lastIndexOf('\n') + 1)
      if (lead >= 12) {
        const after = t.slice(h.end, h.end + 200)
        const line = before.slice(before.length - lead) + after.slice(0, after.indexOf('\n') < 0 ? after.length : after.indexOf('\n'))
        if (meta || line.includes('?')) h.score *= 0.6
      }
    }
  }
  const best = new Map<InjectionFamily, number>()
  for (const h of hits) best.set(h.family, Math.max(best.get(h.family) ?? 0, h.score))
  const strongFamilies = [...best.values()].filter((s) => s >= 0.5).length
  if (strongFamilies >= 2) for (const h of hits) if (h.score >= 0.5) h.score += 0.1
  for (const h of hits) h.score = clamp(h.score)
}

function scanFolded(t: string, opts: InjectionOptions): RawHit[] {
  const hits: RawHit[] = []
  scanOverride(t, hits)
  scanRole(t, hits)
  scanLeak(t, hits)
  scanBoundaries(t, hits, opts)
  for (const c of scanConcepts(t)) hits.push(c)
  adjust(t, hits)
  return hits
}

export class InjectionDetector {
  private readonly norm: NormalizeOptions

  constructor(private readonly opts: InjectionOptions) {
    this.norm = { unicode: opts.normalizeUnicode, homoglyphs: opts.detectHomoglyphs }
  }

  /** All matches with their scores (unthresholded), indices into `text`. */
  scan(text: string, depth = 0): InjectionMatch[] {
    const normalized = normalizeForScan(text, this.norm)
    let t = foldApostrophes(normalized.text)
    if (this.opts.detectHomoglyphs) t = foldLeet(t)
    const out: InjectionMatch[] = []
    for (const h of scanFolded(t, this.opts)) {
      const [start, end] = normalized.toOriginal(h.start, h.end)
      out.push({ family: h.family, entity: FAMILY_ENTITY[h.family], start, end, score: h.score, detail: h.detail })
    }
    for (const re of this.opts.customPatterns) {
      for (const [s, e] of re.matchAll(t, { limit: 100, lowered: t })) {
        const [start, end] = normalized.toOriginal(s, e)
        out.push({ family: 'custom', entity: 'CUSTOM_PATTERN', start, end, score: 1, detail: `attack pattern /${re.source}/` })
      }
    }
    if (this.opts.decodeSegments && depth < 2) {
      for (const seg of findEncodedSegments(text)) {
        const inner = this.scan(seg.decoded, depth + 1)
        let best: InjectionMatch | undefined
        for (const m of inner) if (!best || m.score > best.score) best = m
        if (best && best.score >= 0.5) {
          out.push({
            family: best.family,
            entity: best.entity,
            start: seg.start,
            end: seg.end,
            // Hiding an instruction behind an encoding is itself suspicious.
            score: clamp(best.score + 0.05),
            encoding: seg.encoding,
            detail: `${best.detail} inside ${seg.encoding}-encoded text`,
          })
        }
      }
    }
    return out
  }
}
