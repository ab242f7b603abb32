import type { SafeRegex } from '../../regex/index'
import { encodedSegmentsFromRuns, type Encoding, findEncodedSegments, RUN_BASE64, runsInSpans } from '../../text/encoded'
import { isAscii, type NormalizedText, normalizeForScan, type NormalizeOptions } from '../../text/normalize'
import { execInWindows, mapWindows, WindowSet } from '../../text/windows'
import type { PiiCues } from '../pii-cues'
import type { SharedScans } from '../shared-scan'
import { scanConcepts } from './concepts'
import {
  A_BACK,
  A_DELIM,
  A_FOLLOW,
  A_I18N,
  A_JB,
  A_LABEL,
  A_LEAKQ,
  A_LEAKV,
  A_NEW,
  A_NOUN,
  A_ROLE,
  A_ROLEKEY,
  A_TPL,
  C,
  G_LEAK_OBJECT,
  G_MARKER,
  G_OVERRIDE_VERB,
  G_TASK,
  G_VOID,
} from './lexicon'
import { ADDRESSED, ANCHOR_LANGUAGES, type FrameKind, FRAMES, LANGUAGE_CODES } from './multilingual'
import { tokenize, type TokenScan } from './tokens'

/** Whether `text` holds an ASCII upper-case letter in [from, to) (searched in the slice alone). */
function hasUpperCase(text: string, from: number, to: number): boolean {
  return /[A-Z]/.test(text.slice(Math.max(0, from), to))
}

function mapPiiCues(cues: PiiCues, map: (s: number, e: number) => [number, number], n: number): PiiCues {
  const out = {} as PiiCues
  for (const key of Object.keys(cues) as Array<keyof PiiCues>) out[key] = mapWindows(cues[key], map, n)
  return out
}
import {
  CHAT_TEMPLATE_TOKEN,
  CONTINUATION,
  CORE_NOUN_RE,
  DECORATED_DELIMITER,
  EDIT_LEAK,
  ELSEWHERE_SCOPE,
  EXPLAIN_FRAME,
  FAKE_DELIMITER,
  FAMILY_ENTITY,
  FOLLOW_MINE,
  HOW_TO_BEFORE,
  type InjectionFamily,
  JAILBREAK_ALONE,
  JAILBREAK_MARKER,
  JSON_SYSTEM_ROLE,
  LEAK_QUESTION,
  LEAK_REQUEST,
  META_INTRO,
  NEGATED_BEFORE,
  NEW_INSTRUCTIONS,
  NOUN_BACKREF,
  OTHER_THING_AFTER,
  OUTSIDE_MESSAGE,
  OVERRIDE_NO_NOUN,
  OVERRIDE_WITH_NOUN,
  PASSIVE_OVERRIDE,
  PERSONA_ASSIGNED,
  REPLACEMENT_TASK,
  ROLE_CHANGE,
  ROLE_LABEL,
  ROLE_TAG,
  SELF_CORRECTION,
  SELF_QUALIFIER,
  STRONG_QUALIFIER,
  WEAK_VERB,
} from './rules'

export { FAMILY_ENTITY, type InjectionFamily } from './rules'

/**
 * Prompt-injection detection by lexical rules over normalised text, plus the
 * same rules over decoded base64/hex/URL segments. Scores are 0..1; callers
 * keep findings at or above their threshold.
 *
 * One token pass (tokens.ts) finds every lexicon word; each phrase
 * rule then runs only in windows around the words its matches must contain,
 * and the concept rules read the same words.
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

// 1 = letter, 2 = leet character (digit or @ $ that reads as a letter), 4 = other digit
const LEET_CLASS = new Uint8Array(128)
for (let c = 97; c <= 122; c++) LEET_CLASS[c] = 1
for (let c = 48; c <= 57; c++) LEET_CLASS[c] = LEET_CODE[c] >= 0 ? 2 : 4
LEET_CLASS[64] = 2
LEET_CLASS[36] = 2

/**
 * Fold leetspeak inside words that mix letters and digits ("1gn0r3" →
 * "ignore"); keeps every index. `hints` are the positions of a letter next
 * to a leetspeak digit, as the token pass found them.
 */
function foldLeet(t: string, hints: number[]): string {
  const n = t.length
  const classOf = (i: number) => {
    const c = t.charCodeAt(i)
    return c < 128 ? LEET_CLASS[c] : 0
  }
  const parts: string[] = []
  let copied = 0
  for (const hint of hints) {
    if (hint < copied) continue
    let s = hint
    while (s > copied && classOf(s - 1) !== 0) s--
    let e = hint + 2
    while (e < n && classOf(e) !== 0) e++
    let folded = ''
    for (let k = s; k < e; k++) {
      const c = t.charCodeAt(k)
      folded += String.fromCharCode(c < 128 && LEET_CLASS[c] === 2 ? LEET_CODE[c] : c)
    }
    parts.push(t.slice(copied, s), folded)
    copied = e
  }
  if (copied === 0) return t
  parts.push(t.slice(copied))
  return parts.join('')
}

/** Leetspeak matters where rules look: around the leetspeak words the lexicon knows (further than any rule reaches). */
const LEET_REACH = 800

/** The hints (in text order) within LEET_REACH of a leetspeak lexicon hit. */
function hintsNear(hints: number[], leetHits: number[]): number[] {
  const hits = [...leetHits].sort((a, b) => a - b)
  const out: number[] = []
  let h = 0
  for (const at of hints) {
    while (h < hits.length && hits[h] < at - LEET_REACH) h++
    if (h < hits.length && hits[h] <= at + LEET_REACH) out.push(at)
  }
  return out
}

interface Regions {
  /** Quoted spans: "…", “…”, «…», '…' */
  quotes: number[]
  /** Code: ``` fenced blocks and `inline` spans */
  code: number[]
}

const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)

/**
 * Quoted and code spans as sorted [start, end) pairs, from the quote
 * characters the token pass recorded. Lookups of the next line or paragraph
 * break are cached so this stays linear however many quote characters the
 * text holds.
 */
function findRegions(t: string, quoteChars: number[]): Regions {
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
  let open = -1
  let openCh = ''
  let limit = 0
  let tick = -1
  let tickLimit = 0
  for (const i of quoteChars) {
    const ch = t[i]
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

const QUOTE_AS_DATA = /\b(?:translate|translation|pronounce|pronunciation|spell|spelling|proofread|grammar|rephrase|paraphrase|means?|meaning)\b[^.!?\n]{0,40}$/

/** Whether one of the sorted, disjoint [start, end) pairs of `r` starts inside (from, to). */
function startsWithin(r: number[], from: number, to: number): boolean {
  let lo = 0
  let hi = r.length / 2
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (r[mid * 2] <= from) lo = mid + 1
    else hi = mid
  }
  return lo < r.length / 2 && r[lo * 2] < to
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
export const MAX_RULE_MATCHES = 256

/**
 * Where a rule can match: around words with `mask`, from `back` characters
 * before such a word to `fwd` after it; with a `gate`, only where a word
 * with the gate's mask is also that close; with `accept`, only at words it
 * accepts (e.g. a delimiter word right after "<|").
 */
interface Anchor {
  mask: number
  back: number
  fwd: number
  gate?: { mask: number; back: number; fwd: number }
  accept?: (t: string, start: number, end: number) => boolean
}

interface Scope {
  /** Normalised (and, for leetspeak, folded) text. */
  t: string
  tokens: TokenScan
  /** Windows per anchor, shared by the rules that use the same anchor (and so the same window texts). */
  windows?: Map<Anchor, WindowSet | null>
  /** The hits with each anchor or gate bit, by bit (see hitsByBit). */
  byBit?: Int32Array[]
}

/** The lowest anchor or gate bit (every mask of an Anchor is one bit of lexicon.ts's A_* and G_*). */
const FIRST_ANCHOR_BIT = 31 - Math.clz32(A_NOUN)
const NO_HITS = new Int32Array(0)

/**
 * The numbers of the hits carrying each anchor or gate bit, in text order,
 * made in one pass over the hits for all the rules (instead of a pass per
 * rule: dense input has hundreds of thousands of hits).
 */
function hitsByBit(scope: Scope): Int32Array[] {
  if (scope.byBit) return scope.byBit
  const { bits, count } = scope.tokens
  const sizes = BIT_SIZES.fill(0)
  countBits(bits, count, sizes)
  // The lists are parts of one buffer (see columns.ts).
  let total = 0
  for (let i = 0; i < 32; i++) total += sizes[i]
  const all = new Int32Array(total)
  const lists: Int32Array[] = []
  for (let i = 0, at = 0; i < 32; at += sizes[i++]) lists.push(sizes[i] === 0 ? NO_HITS : all.subarray(at, at + sizes[i]))
  fillBits(bits, count, lists)
  return (scope.byBit = lists)
}

// Scratch counts for hitsByBit, which runs to its end without calling out: made once, not per scan.
const BIT_SIZES = new Int32Array(32)
const BIT_FILL = new Int32Array(32)

// (The loops of hitsByBit are functions that end with them: on large input they run in on-stack-replaced
// code, where code after a loop is compiled before it ever ran, and thrown away on every call.)
function countBits(bits: Int32Array, count: number, sizes: Int32Array): void {
  for (let k = 0; k < count; k++) {
    for (let b = bits[k] >>> FIRST_ANCHOR_BIT; b !== 0; b &= b - 1) sizes[FIRST_ANCHOR_BIT + 31 - Math.clz32(b & -b)]++
  }
}

function fillBits(bits: Int32Array, count: number, lists: Int32Array[]): void {
  const fill = BIT_FILL.fill(0)
  for (let k = 0; k < count; k++) {
    for (let b = bits[k] >>> FIRST_ANCHOR_BIT; b !== 0; b &= b - 1) {
      const i = FIRST_ANCHOR_BIT + 31 - Math.clz32(b & -b)
      lists[i][fill[i]++] = k
    }
  }
}

const bitIndex = (mask: number) => 31 - Math.clz32(mask)

function windowsFor(scope: Scope, anchor: Anchor): WindowSet | null {
  const cache = (scope.windows ??= new Map())
  let w = cache.get(anchor)
  if (w === undefined) {
    w = computeWindows(scope, anchor)
    cache.set(anchor, w)
  }
  return w
}

function computeWindows(scope: Scope, anchor: Anchor): WindowSet | null {
  const { tokens, t } = scope
  // A scan stopped by a flood has not marked every anchor: scan the whole text.
  if (!tokens.complete) return null
  const w = new WindowSet(t.length)
  const { start, end } = tokens
  const byBit = hitsByBit(scope)
  const words = byBit[bitIndex(anchor.mask)]
  const gate = anchor.gate
  const gates = gate ? byBit[bitIndex(gate.mask)] : null
  if (gates && gates.length === 0) return w
  const accept = anchor.accept
  let g = 0 // gate words before this one are behind every later anchor's reach
  for (let j = 0; j < words.length; j++) {
    const k = words[j]
    if (accept && !accept(t, start[k], end[k])) continue
    if (gates) {
      const lo = start[k] - gate!.back
      while (g < gates.length && start[gates[g]] < lo) g++
      if (g >= gates.length || start[gates[g]] > end[k] + gate!.fwd) continue
    }
    w.add(start[k] - anchor.back, end[k] + anchor.fwd)
  }
  return w
}

function forEachMatch(
  re: RegExp,
  scope: Scope,
  where: Anchor | WindowSet,
  hits: RawHit[],
  flood: { family: InjectionFamily; score: number } | null,
  fn: (m: RegExpExecArray, at: number) => void,
): void {
  const windows = where instanceof WindowSet ? where : windowsFor(scope, where)
  if (windows?.empty) return
  let count = 0
  let first = -1
  let lastEnd = 0
  const each = (m: RegExpExecArray, at: number): boolean => {
    if (++count > MAX_RULE_MATCHES) {
      if (flood)
        hits.push({
          family: flood.family,
          start: first,
          end: lastEnd,
          score: flood.score,
          detail: `more than ${MAX_RULE_MATCHES} matches of one injection rule`,
        })
      return false
    }
    if (first < 0) first = at
    lastEnd = at + m[0].length
    fn(m, at)
    return true
  }
  if (windows) {
    execInWindows(re, scope.t, windows, each)
    return
  }
  re.lastIndex = 0
  for (let m = re.exec(scope.t); m; m = re.exec(scope.t)) {
    if (each(m, m.index) === false) return
    if (m[0].length === 0) re.lastIndex++
  }
}

const clamp = (x: number) => Math.max(0, Math.min(1, x))

/** Whether a line starts at most `within` characters before `at` (leading blanks and markers allowed). */
function nearLineStart(t: string, at: number, within: number): boolean {
  for (let i = at - 1; i >= at - within - 1; i--) if (i < 0 || t.charCodeAt(i) === 10) return true
  return false
}
/** Whether one of `chars` occurs within `reach` characters before `at` (a char loop: accept() runs for every anchor word). */
function charBefore(t: string, at: number, reach: number, chars: string): boolean {
  for (let i = at - 1; i >= 0 && i >= at - reach; i--) {
    const c = t.charCodeAt(i)
    // every set used here is ASCII punctuation: skip letters, digits and spaces without a lookup
    if (c < 33 || c > 126 || (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) continue
    if (chars.indexOf(t[i]) >= 0) return true
  }
  return false
}
const SYSTEM_OVERRIDE_AFTER = /^\s{1,3}(?:override|command)\s{0,3}:/
const INPUT_ENDS_AFTER = /^\s{1,3}(?:input\s+)?ends\s+here\b/
/** The first non-blank character within three after `at`, or 0. */
function nextLetter(t: string, at: number): number {
  for (let i = at; i < at + 4 && i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c
  }
  return 0
}
function decoratedDelimiter(t: string, start: number, end: number): boolean {
  if (charBefore(t, start, 12, '-=*#[<')) return true
  const next = nextLetter(t, end)
  // "… input ends here", "system override:"
  if (next === 105 || next === 101) return INPUT_ENDS_AFTER.test(t.slice(end, end + 24))
  if (next === 111 || next === 99) return SYSTEM_OVERRIDE_AFTER.test(t.slice(end, end + 24))
  return false
}

// Where each phrase rule can match (see Anchor); distances cover the rule's longest match.
const AT_OVERRIDE_WITH_NOUN: Anchor = { mask: A_NOUN, back: 330, fwd: 0, gate: { mask: G_OVERRIDE_VERB, back: 330, fwd: 0 } }
const AT_OVERRIDE_NO_NOUN: Anchor = { mask: A_BACK, back: 200, fwd: 20, gate: { mask: G_OVERRIDE_VERB, back: 200, fwd: 0 } }
const AT_NEW_INSTRUCTIONS: Anchor = { mask: A_NEW, back: 0, fwd: 70, gate: { mask: G_TASK, back: 0, fwd: 40 } }
const AT_REPLACEMENT_TASK: Anchor = { mask: A_NEW, back: 0, fwd: 110, gate: { mask: G_TASK, back: 0, fwd: 40 } }
const AT_PASSIVE_OVERRIDE: Anchor = { mask: A_NOUN, back: 20, fwd: 50, gate: { mask: G_VOID, back: 0, fwd: 50 } }
const AT_FOLLOW_MINE: Anchor = { mask: A_FOLLOW, back: 0, fwd: 50 }
// A role change only counts next to a jailbreak marker, so it is only looked for near one.
const AT_ROLE_CHANGE: Anchor = { mask: A_ROLE, back: 40, fwd: 60, gate: { mask: G_MARKER, back: 700, fwd: 720 } }
const AT_JAILBREAK_ALONE: Anchor = { mask: A_JB, back: 40, fwd: 40 }
const AT_LEAK_REQUEST: Anchor = { mask: A_LEAKV, back: 0, fwd: 260, gate: { mask: G_LEAK_OBJECT, back: 0, fwd: 260 } }
const AT_LEAK_QUESTION: Anchor = { mask: A_LEAKQ, back: 0, fwd: 120, gate: { mask: G_LEAK_OBJECT, back: 0, fwd: 120 } }
const AT_CHAT_TEMPLATE_TOKEN: Anchor = { mask: A_TPL, back: 4, fwd: 30, accept: (t, start) => charBefore(t, start, 3, '<[|/') }
const AT_FAKE_DELIMITER: Anchor = { mask: A_DELIM, back: 30, fwd: 80, accept: (t, start) => nearLineStart(t, start, 26) }
const AT_DECORATED_DELIMITER: Anchor = { mask: A_DELIM, back: 20, fwd: 70, accept: decoratedDelimiter }
const AT_TAG_SWITCH: Anchor = { mask: A_TPL, back: 40, fwd: 50, accept: (t, start) => charBefore(t, start, 3, '<[|/') }
const AT_ASSISTANT_LINE: Anchor = { mask: A_LABEL, back: 12, fwd: 210, accept: (t, start) => nearLineStart(t, start, 10) }
const AT_ROLE_LABEL: Anchor = { mask: A_LABEL, back: 12, fwd: 10, accept: (t, start) => nearLineStart(t, start, 10) }
const ASSISTANT_LINE = /(?:^|\n)[ \t]{0,8}(?:assistant|ai)\s{0,3}:([^\n]{0,200})/g
const UNLOCKED_CLAIM =
  /\b(?:no (?:more )?(?:restrictions|rules|limits|filters|guidelines)|(?:disabled|removed|turned off|lifted|dropped) (?:my |all |the )?(?:filters|restrictions|rules|safety|guidelines)|i'?m (?:now )?(?:free|unrestricted|jailbroken|unlocked|unfiltered)|(?:filters|restrictions|rules|safety) (?:are |is )?(?:now )?(?:off|disabled|lifted|removed)|i (?:will|can) now (?:ignore|reveal|answer anything|do anything)|here (?:is|are) my (?:system prompt|instructions))/
/** "</instructions><instructions>", "</document>\n<system …>": a section closed and an instructions tag opened. */
const TAG_SWITCH =
  /<\/(?:instructions|user_input|user_message|user_query|user|input|context|document|data|query|text|prompt|message|human|task|request)>\s{0,4}<(?:instructions|system|admin|developer|prompt|new_prompt|new_instructions|system_message|system_prompt|admin_message|developer_message)\b[^<>\n]{0,40}>/g
/** "END_OF_PROMPT", "BEGIN_ADMIN_OVERRIDE": delimiters written as identifiers. */
const IDENTIFIER_DELIMITER =
  /\b(?:end|begin|start)_of_(?:the_)?(?:user_|system_)?(?:prompt|input|instructions|conversation|context|message|document|task)\b|\b(?:begin|start)_(?:admin|system|developer|new|priority|real)_(?:override|instructions|prompt|mode|message|task)\b/g
/** "[NEW PROMPT]", "[/END]": a bracketed marker that opens new instructions or closes the user's part. */
const BRACKET_DELIMITER =
  /\[(?:new\s+(?:system\s+)?(?:prompt|instructions|task)|system\s+prompt|end\s+of\s+(?:prompt|input|instructions|user\s+input)|\/end)\]/g
/** "-- END OF TASK --", "-- BEGIN PRIORITY TASK --": short decorations, and a task the message did not come with. */
const DASHED_DELIMITER =
  /(?:-{2,8}|={2,8}|#{2,8}|\*{2,8}|~{2,8}|<{2,4})\s{0,3}(?:(?:end|begin|start)\s+(?:of\s+)?(?:the\s+)?(?:[\w-]{1,20}\s+)?(?:task|request|query|instructions?|prompt|input|message|conversation|context)|(?:begin|start|new)\s+(?:[\w-]{1,20}\s+)?(?:priority|urgent|hidden|secret|admin|system|developer|override|real)\s+(?:task|instructions?|prompt|mission|mode))\b/g
/**
 * "end", "begin", "start", "new" (alone or starting a phrase hit) written as a delimiter: before "_" (END_OF_…)
 * or after decoration ("-- END", "[NEW"). Read character by character: it runs for every such word.
 */
function delimiterWord(t: string, start: number): boolean {
  const len = t.startsWith('end', start) || t.startsWith('new', start) ? 3 : t.startsWith('begin', start) || t.startsWith('start', start) ? 5 : 0
  if (len === 0) return false
  const after = t.charCodeAt(start + len)
  if (after >= 97 && after <= 122) return false
  return after === 95 || charBefore(t, start, 4, '-=#*~<[/')
}
const AT_DELIMITER_WORD: Anchor = { mask: A_DELIM, back: 40, fwd: 60, accept: delimiterWord }
// Every object of an editing-task leak names where the text stands (above, preceding, at the top, this message) or what it is (instructions, prompt).
const AT_EDIT_LEAK: Anchor = { mask: G_LEAK_OBJECT, back: 200, fwd: 80 }
const SYSTEM_CONTENT_PROSE = /^\s{0,3},\s{0,3}["']content["']\s{0,3}:\s{0,3}["'][^"'\n]{0,40}\s[^"'\n]{0,40}\s[^"'\n]{0,40}\s/
const AT_JSON_SYSTEM_ROLE: Anchor = { mask: A_ROLEKEY, back: 3, fwd: 30, accept: (t, start) => t[start - 1] === '"' || t[start - 1] === "'" }

function scanOverride(scope: Scope, hits: RawHit[]): void {
  const { t } = scope
  forEachMatch(OVERRIDE_WITH_NOUN, scope, AT_OVERRIDE_WITH_NOUN, hits, { family: 'instruction_override', score: 0.8 }, (m, at) => {
    const start = at
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
    // "ignore the old flags, remove deprecated rules": the noun belongs to another clause.
    if (/[,;:]\s*\w/.test(gap)) score *= 0.6
    if (HOW_TO_BEFORE.test(t.slice(Math.max(0, start - 30), start))) score *= 0.5
    if (stickyTest(ELSEWHERE_SCOPE, t, end)) score *= 0.5
    if (stickyTest(CONTINUATION, t, end)) score += 0.1
    if (stickyTest(SELF_CORRECTION, t, end)) score *= 0.4
    if (NEGATED_BEFORE.test(t.slice(Math.max(0, start - 40), start))) score *= 0.3
    hits.push({ family: 'instruction_override', start, end, score, detail: 'instruction override phrase' })
  })
  forEachMatch(OVERRIDE_NO_NOUN, scope, AT_OVERRIDE_NO_NOUN, hits, { family: 'instruction_override', score: 0.8 }, (m, at) => {
    const start = at
    const end = start + m[0].length
    const target = m[2]
    const after = t.slice(end, end + 60)
    // "disregard my typo above": the user's own words.
    const own = SELF_QUALIFIER.test(m[1] ?? '')
    let score: number
    if (/^everything$/.test(target)) {
      score = /^\s{0,3}(?:\w+\s+){0,4}?(?:above|before|prior|previous(?:ly)?|earlier|so\s+far|told|said|instructions|rules|up\s+(?:to|until))\b/.test(after)
        ? 0.85
        : 0.3
    } else {
      // "ignore the above" ends a clause; "ignore the previous error" goes on to name something else.
      // (A number goes on too: "ignore the outliers above 3 …")
      const next = /^\s{0,3}([a-z0-9']+)/.exec(after)?.[1]
      if (
        !next ||
        /^(?:and|then|now|instead|completely|entirely|just|from|you|start|begin|please|&)$/.test(next) ||
        /^\s{0,3}[.,;:!?\n-]/.test(after) ||
        after.trim() === ''
      )
        score = 0.85
      else if (/^(?:message|messages|text|content|conversation|context|input|chat|prompts?|ones|lines?|paragraphs?)$/.test(next)) score = 0.6
      else score = 0.2
      if (target === 'before' || target === 'earlier' || target === 'so far') score = Math.min(score, 0.7)
    }
    if (stickyTest(CONTINUATION, t, end)) score += 0.1
    if (own) score = Math.min(score, 0.4)
    if (stickyTest(SELF_CORRECTION, t, end)) score *= 0.4
    if (NEGATED_BEFORE.test(t.slice(Math.max(0, start - 40), start))) score *= 0.3
    hits.push({ family: 'instruction_override', start, end, score, detail: 'instruction override phrase' })
  })
  forEachMatch(NEW_INSTRUCTIONS, scope, AT_NEW_INSTRUCTIONS, hits, { family: 'instruction_override', score: 0.8 }, (m, at) => {
    const score = m[0].trimEnd().endsWith(':') ? 0.75 : 0.65
    hits.push({ family: 'instruction_override', start: at, end: at + m[0].length, score, detail: 'replacement instructions' })
  })
  forEachMatch(REPLACEMENT_TASK, scope, AT_REPLACEMENT_TASK, hits, null, (m, at) => {
    const replacing = /\b(?:replac\w*|instead\s+of|overrid\w*|supersed\w*)\b/.test(m[0])
    const addressed = /\byour\s+$/.test(t.slice(Math.max(0, at - 6), at))
    const score = replacing ? 0.75 : addressed ? 0.7 : 0.45
    hits.push({ family: 'instruction_override', start: at, end: at + m[0].length, score, detail: 'replacement task' })
  })
  forEachMatch(PASSIVE_OVERRIDE, scope, AT_PASSIVE_OVERRIDE, hits, { family: 'instruction_override', score: 0.8 }, (m, at) => {
    const weak = m[1] === undefined ? false : /^(?:the|old|these|those)$/.test(m[1])
    // "My doctor's previous instructions were cancelled": someone else's instructions, not the model's.
    const someones = /(?:\b(?:my|our|his|her|their)\s+(?:[\w-]+\s+)?|\w's\s+)$/.test(scope.t.slice(Math.max(0, at - 30), at))
    hits.push({
      family: 'instruction_override',
      start: at,
      end: at + m[0].length,
      score: someones ? 0.45 : weak ? 0.5 : 0.8,
      detail: 'declares earlier instructions void',
    })
  })
  forEachMatch(FOLLOW_MINE, scope, AT_FOLLOW_MINE, hits, { family: 'instruction_override', score: 0.8 }, (m, at) => {
    hits.push({ family: 'instruction_override', start: at, end: at + m[0].length, score: 0.7, detail: 'asks to follow the user instead' })
  })
}

function scanRole(scope: Scope, hits: RawHit[]): void {
  const { t } = scope
  const roles: Array<[number, number]> = []
  forEachMatch(ROLE_CHANGE, scope, AT_ROLE_CHANGE, hits, { family: 'role_manipulation', score: 0.8 }, (m, at) => roles.push([at, at + m[0].length]))
  // Role changes are only looked for near markers; a flood of them anywhere is still reported.
  if (roles.length <= MAX_RULE_MATCHES) {
    const { start, end } = scope.tokens
    let count = 0
    let first = -1
    for (let k = 0; k < scope.tokens.count; k++) {
      if (!(scope.tokens.concept[k] & C)) continue
      if (first < 0) first = start[k]
      if (++count > MAX_RULE_MATCHES) {
        hits.push({ family: 'role_manipulation', start: first, end: end[k], score: 0.8, detail: `more than ${MAX_RULE_MATCHES} matches of one injection rule` })
        break
      }
    }
  }
  const markers: Array<[number, number]> = []
  // Markers only matter next to a role change.
  if (roles.length > 0) {
    const near = new WindowSet(t.length)
    for (const [rs, re] of roles) near.add(rs - 660, re + 660)
    forEachMatch(JAILBREAK_MARKER, scope, near, hits, null, (m, at) => markers.push([at, at + m[0].length]))
    forEachMatch(PERSONA_ASSIGNED, scope, near, hits, null, (m, at) => markers.push([at, at + m[0].length]))
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
  forEachMatch(JAILBREAK_ALONE, scope, AT_JAILBREAK_ALONE, hits, { family: 'role_manipulation', score: 0.8 }, (m, at) => {
    hits.push({ family: 'role_manipulation', start: at, end: at + m[0].length, score: 0.8, detail: 'jailbreak phrase' })
  })
}

function scanLeak(scope: Scope, hits: RawHit[]): void {
  const { t } = scope
  forEachMatch(LEAK_REQUEST, scope, AT_LEAK_REQUEST, hits, { family: 'system_prompt_leak', score: 0.8 }, (m, at) => {
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
    if (/\b(?:verbatim|exactly|word\s+for\s+word|in\s+full)\b/.test(t.slice(at, at + m[0].length + 40))) score += 0.1
    if (HOW_TO_BEFORE.test(t.slice(Math.max(0, at - 30), at))) score *= 0.5
    hits.push({ family: 'system_prompt_leak', start: at, end: at + m[0].length, score, detail: 'asks for the hidden instructions' })
  })
  forEachMatch(LEAK_QUESTION, scope, AT_LEAK_QUESTION, hits, { family: 'system_prompt_leak', score: 0.8 }, (m, at) => {
    const end = at + m[0].length
    // "What were the original instructions for the 1990s Monopoly?" asks about something else's.
    const score = OTHER_THING_AFTER.test(t.slice(end, end + 40)) ? 0.45 : 0.85
    hits.push({ family: 'system_prompt_leak', start: at, end, score, detail: 'asks for the hidden instructions' })
  })
  // (Not on a flooded scan, a finding already: this newer rule does not read its whole text again.)
  if (!scope.tokens.complete) return
  forEachMatch(EDIT_LEAK, scope, AT_EDIT_LEAK, hits, { family: 'system_prompt_leak', score: 0.8 }, (m, at) => {
    const end = at + m[0].length
    // Text outside the message ("before my first message") is the hidden prompt wherever the request stands.
    const score = OUTSIDE_MESSAGE.test(t.slice(at, end + 24)) ? 0.85 : textAboveScore(t, at, end)
    hits.push({ family: 'system_prompt_leak', start: at, end, score, detail: 'asks for the text above the message' })
  })
}

function scanBoundaries(scope: Scope, hits: RawHit[], opts: InjectionOptions): void {
  if (!opts.rejectFakeBoundaries && !opts.enforceDelimiters) return
  forEachMatch(CHAT_TEMPLATE_TOKEN, scope, AT_CHAT_TEMPLATE_TOKEN, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    hits.push({ family: 'fake_boundary', start: at, end: at + m[0].length, score: 0.9, detail: 'chat-template token' })
  })
  forEachMatch(FAKE_DELIMITER, scope, AT_FAKE_DELIMITER, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    const lead = m[0].startsWith('\n') ? 1 : 0
    hits.push({ family: 'fake_boundary', start: at + lead, end: at + m[0].length, score: 0.8, detail: 'fake delimiter' })
  })
  forEachMatch(DECORATED_DELIMITER, scope, AT_DECORATED_DELIMITER, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    hits.push({ family: 'fake_boundary', start: at, end: at + m[0].length, score: 0.8, detail: 'fake delimiter' })
  })
  // Role labels alone score below any threshold unless enforce_delimiters asks for them.
  if (opts.enforceDelimiters) {
    forEachMatch(ROLE_LABEL, scope, AT_ROLE_LABEL, hits, null, (m, at) => {
      const lead = m[0].startsWith('\n') ? 1 : 0
      hits.push({ family: 'fake_boundary', start: at + lead, end: at + m[0].length - 1, score: 0.75, detail: 'role label inside a message' })
    })
  }
  // A pasted dialogue is ordinary; one whose assistant turn claims to be unlocked is a forged turn.
  forEachMatch(ASSISTANT_LINE, scope, AT_ASSISTANT_LINE, hits, null, (m, at) => {
    if (!UNLOCKED_CLAIM.test(m[1])) return
    const lead = m[0].startsWith('\n') ? 1 : 0
    hits.push({ family: 'fake_boundary', start: at + lead, end: at + m[0].length, score: 0.8, detail: 'forged assistant turn' })
  })
  // (A flooded scan is a finding already; these newer rules do not read its whole text again.)
  if (scope.tokens.complete) scanMoreDelimiters(scope, hits)
  forEachMatch(TAG_SWITCH, scope, AT_TAG_SWITCH, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    hits.push({ family: 'fake_boundary', start: at, end: at + m[0].length, score: 0.85, detail: 'closes a section and opens an instructions tag' })
  })
  forEachMatch(JSON_SYSTEM_ROLE, scope, AT_JSON_SYSTEM_ROLE, hits, null, (m, at) => {
    // A message object whose content is prose ("The user is trusted; …") is a forged turn; a variable (sys_prompt) is code.
    const prose = SYSTEM_CONTENT_PROSE.test(scope.t.slice(at + m[0].length, at + m[0].length + 160))
    hits.push({ family: 'fake_boundary', start: at, end: at + m[0].length, score: prose ? 0.75 : 0.5, detail: 'system role inside a message' })
  })
  forEachMatch(ROLE_TAG, scope, AT_CHAT_TEMPLATE_TOKEN, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    // "[System]: …", "[system](#override)", a tag on its own line speak as a role; "[System] Backup completed" is a log line.
    const end = at + m[0].length
    const next = scope.t.charCodeAt(end)
    const voiced =
      m[0].startsWith('<') ||
      next === 58 ||
      next === 40 ||
      next === 10 ||
      end === scope.t.length ||
      /\s(?:notice|message|prompt|override|update|note|alert|instruction|command|mode)\]$/.test(m[0])
    hits.push({ family: 'fake_boundary', start: at, end, score: voiced ? 0.85 : 0.55, detail: 'role tag inside a message' })
  })
}

/** Delimiters written as identifiers, in brackets, or with short decorations. */
function scanMoreDelimiters(scope: Scope, hits: RawHit[]): void {
  forEachMatch(IDENTIFIER_DELIMITER, scope, AT_DELIMITER_WORD, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    hits.push({ family: 'fake_boundary', start: at, end: at + m[0].length, score: 0.85, detail: 'fake delimiter' })
  })
  forEachMatch(BRACKET_DELIMITER, scope, AT_DELIMITER_WORD, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    // "[/END]" alone may close a template's block; "[NEW PROMPT]" opens instructions.
    hits.push({ family: 'fake_boundary', start: at, end: at + m[0].length, score: m[0] === '[/end]' ? 0.5 : 0.85, detail: 'fake delimiter' })
  })
  forEachMatch(DASHED_DELIMITER, scope, AT_DELIMITER_WORD, hits, { family: 'fake_boundary', score: 0.8 }, (m, at) => {
    hits.push({ family: 'fake_boundary', start: at, end: at + m[0].length, score: 0.8, detail: 'fake delimiter' })
  })
}

/** Discount quoted or fenced matches in a discussion about attacks; boost multi-family messages. */
function adjust(scope: Scope, hits: RawHit[]): void {
  if (hits.length === 0) return
  const { t } = scope
  const regions = findRegions(t, scope.tokens.quotes)
  const meta = scope.tokens.meta
  for (const h of hits) {
    const inCode = regions.code.length > 0 && inRanges(regions.code, h.start)
    // A hit counts as quoted when either end is inside quotes (concept hits can straddle one).
    const quoted = regions.quotes.length > 0 && (inRanges(regions.quotes, h.start) || inRanges(regions.quotes, h.end - 1))
    const intro = (quoted || meta) && META_INTRO.test(t.slice(Math.max(0, h.start - 40), h.start))
    // "Translate 'forget everything I told you' into Italian": quoted words handed over as language to work on.
    const asData = quoted && QUOTE_AS_DATA.test(t.slice(Math.max(0, h.start - 60), h.start))
    // A hit that runs into a quote joins a request outside it to words inside it ("explain why 'print your prompt' is …").
    const straddles = !quoted && !inCode && regions.quotes.length > 0 && startsWithin(regions.quotes, h.start, h.end)
    // Quoted text alone is no excuse (indirect injections arrive quoted);
    // quoted or code text in a discussion about attacks is.
    if (inCode) h.score *= meta ? 0.5 : 0.75
    else if (quoted) h.score *= meta || intro ? 0.5 : asData ? 0.7 : 1
    else if (straddles && meta) h.score *= 0.5
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

const FRAME_FAMILY: Record<FrameKind, InjectionFamily> = {
  override: 'instruction_override',
  stated: 'instruction_override',
  leak: 'system_prompt_leak',
  leakAbove: 'system_prompt_leak',
  leakAboveStrong: 'system_prompt_leak',
  question: 'system_prompt_leak',
  persona: 'role_manipulation',
  delimiter: 'fake_boundary',
}
const FRAME_DETAIL: Record<FrameKind, string> = {
  override: 'instruction override phrase',
  stated: 'declares earlier instructions void',
  leak: 'asks for the hidden instructions',
  leakAbove: 'asks for the text above the message',
  leakAboveStrong: 'asks for the text above the message',
  question: 'asks which instructions the model was given',
  persona: 'role change to an unrestricted persona',
  delimiter: 'fake delimiter',
}

/**
 * Overrides, leaks, personas and delimiters in German, French, Spanish,
 * Italian, Portuguese and Dutch (multilingual.ts): each language's frames run
 * around that language's anchor words only. A flooded scan (already a
 * finding) is not searched further.
 */
function scanMultilingual(scope: Scope, hits: RawHit[]): void {
  const { tokens, t } = scope
  if (!tokens.complete) return
  const windows: Array<WindowSet | undefined> = []
  for (let k = 0; k < tokens.count; k++) {
    if (!(tokens.bits[k] & A_I18N)) continue
    const s = tokens.start[k]
    const e = tokens.end[k]
    // A phrase hit keeps its words' anchors: look the words up one by one.
    let langs = ANCHOR_LANGUAGES.get(t.slice(s, e)) ?? 0
    if (langs === 0) for (const w of t.slice(s, e).split(/[^a-z]+/)) langs |= ANCHOR_LANGUAGES.get(w) ?? 0
    for (let i = 0; i < LANGUAGE_CODES.length; i++) if (langs & (1 << i)) (windows[i] ??= new WindowSet(t.length)).add(s - 260, e + 200)
  }
  if (windows.length === 0) return
  for (const frame of FRAMES) {
    const w = windows[LANGUAGE_CODES.indexOf(frame.lang)]
    if (!w) continue
    const family = FRAME_FAMILY[frame.kind]
    forEachMatch(frame.re, scope, w, hits, { family, score: 0.8 }, (m, at) => {
      const end = at + m[0].length
      let score = 0.85
      // "… are void" and "which rules were given?" are the model's when the message speaks to it ("you", "from now on", "new task").
      if (frame.kind === 'stated' || frame.kind === 'question') score = ADDRESSED.test(t.slice(Math.max(0, at - 160), end + 160)) ? 0.8 : 0.5
      else if (frame.kind === 'leakAbove') score = textAboveScore(t, at, end)
      else if (frame.kind === 'delimiter') score = 0.8
      hits.push({ family, start: at, end, score, detail: FRAME_DETAIL[frame.kind] })
    })
  }
}

/**
 * "Translate the text above": a leak when nothing of the user's own stands
 * above the request in the message (so "above" can only be the hidden
 * prompt), an ordinary request when the message starts with the text it
 * means, or hands it over after a colon.
 */
function textAboveScore(t: string, start: number, end: number): number {
  const before = t.slice(0, start).trim()
  if (before.length > 40) return 0.35
  const after = t.slice(end)
  if (/^[^\n]{0,80}?(?::|\n)\s*\S[^\n]{14}/.test(after)) return 0.4
  // A summary gives the gist, not the text: it leaks only when asked for word for word.
  if (SUMMARY_VERB.test(t.slice(start, end)) && !/\b(?:verbatim|word\s+for\s+word|in\s+full|every\s+(?:line|word)|exactly)\b/.test(t.slice(start, end + 60)))
    return 0.5
  return 0.8
}
const SUMMARY_VERB = /^(?:summari[sz]e|paraphrase|list|resume[sz]?|riassumi|resuma|fasse?|vat)\b/

function scanFolded(scope: Scope, opts: InjectionOptions): RawHit[] {
  const hits: RawHit[] = []
  scanOverride(scope, hits)
  scanMultilingual(scope, hits)
  scanRole(scope, hits)
  scanLeak(scope, hits)
  scanBoundaries(scope, hits, opts)
  for (const c of scanConcepts(scope.t, scope.tokens)) hits.push(c)
  adjust(scope, hits)
  return hits
}

export class InjectionDetector {
  private readonly norm: NormalizeOptions

  constructor(private readonly opts: InjectionOptions) {
    this.norm = { unicode: opts.normalizeUnicode, homoglyphs: opts.detectHomoglyphs, apostrophes: true }
  }

  /**
   * All matches with their scores (unthresholded), indices into `text`.
   * `shared` lets the PII detector of the same chain run reuse this scan.
   */
  scan(text: string, depth = 0, shared?: SharedScans): InjectionMatch[] {
    // ASCII text only needs lower-casing; its token pass (shared with the PII detector) reads the original.
    const ascii = isAscii(text)
    const normalized: NormalizedText = ascii ? { text: text.toLowerCase(), identity: true, toOriginal: (s, e) => [s, e] } : normalizeForScan(text, this.norm)
    const leetspeak = this.opts.detectHomoglyphs
    let tokens: TokenScan
    let runs: number[] | undefined
    if (ascii) {
      tokens = shared ? shared.asciiScan(text, leetspeak) : tokenize(text, leetspeak, true)
      runs = tokens.runs
    } else {
      // One pass over the normalised text; its run candidates and PII cues are mapped back to the original.
      tokens = tokenize(normalized.text, leetspeak, true, true, true)
      const map = normalized.toOriginal
      if (tokens.runs) {
        const spans = new WindowSet(text.length)
        for (let k = 0; k < tokens.runs.length; k += 3) {
          const [s, e] = map(tokens.runs[k + 1], tokens.runs[k + 2])
          // A base64 candidate (letters in either case on the folded text) is a run only where the original mixes cases:
          // without an upper-case letter there, it is not read again (hex runs have candidates of their own).
          if (tokens.runs[k] === RUN_BASE64 && !hasUpperCase(text, s - 4, e + 4)) continue
          spans.add(s - 4, e + 4)
        }
        runs = runsInSpans(text, spans.spans)
      }
      if (shared && tokens.pii) shared.keepCues(text, mapPiiCues(tokens.pii, map, text.length))
    }
    // Leetspeak is folded only when a folded word is one the rules look for.
    const t = tokens.leet ? foldLeet(normalized.text, hintsNear(tokens.leetHints, tokens.leetHits)) : normalized.text
    const out: InjectionMatch[] = []
    for (const h of scanFolded({ t, tokens }, this.opts)) {
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
      for (const seg of runs ? encodedSegmentsFromRuns(text, runs) : findEncodedSegments(text)) {
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
