/**
 * One pass over normalised text that every injection family shares: words
 * are hashed as they are read and looked up in the lexicon (phrases of up to
 * four words, longest first), so a message costs one loop however many rules
 * there are. It also notes what later steps would otherwise rescan the text
 * for: sentence numbers, quote characters, leetspeak, spelled-out letters,
 * discussion words. Linear in the text; allocates only for lexicon hits.
 */
import { RUN_BASE64, RUN_HEX, RUN_SEPARATED_HEX } from '../../text/encoded'
import { addDigitCluster, addPiiCue, DIGIT_GAP, emptyPiiCues, mayStartKeyPrefix, type PiiCues, piiPrefixKind, piiWordKind } from '../pii-cues'
import { int32Columns } from './columns'
import {
  ANCHOR_MASK,
  BLOOM,
  combine,
  ENTRY_BITS,
  ENTRY_CONCEPTS,
  ENTRY_LEN,
  ENTRY_WORD_LEN,
  ENTRY_WORD_START,
  keyFor,
  MAX_WORD_LENGTH,
  MAX_WORDS,
  META,
  ONE_CHAR_WORD,
  pairSlot,
  PHRASE_CLOSING,
  PHRASE_END,
  PHRASE_OPENING,
  PHRASE_SEED,
  PHRASE_START,
  SINGLE_BY_HASH,
  TABLE_IDS,
  TABLE_KEYS,
  TABLE_MASK,
  WORD_CHARS,
  wordEntry,
} from './lexicon'

export interface TokenScan {
  /** Number of lexicon hits. */
  count: number
  /** Lexicon hits in text order, as parallel arrays (first `count` entries): [start, end), anchor bits, concept bits, sentence number. */
  start: Int32Array
  end: Int32Array
  bits: Int32Array
  concept: Int32Array
  sentence: Int32Array
  /** Positions of quote characters outside words ("“”«»'`), in order. */
  quotes: number[]
  /** A leetspeak word ("1gn0r3") matched the lexicon: phrase rules need the folded text. */
  leet: boolean
  /** In each word mixing letters and leetspeak digits, the first position of a letter next to such a digit. */
  leetHints: number[]
  /** Starts of the lexicon hits that needed leetspeak folding. */
  leetHits: number[]
  /** A word that marks a discussion about attacks (META) occurs. */
  meta: boolean
  /** Concept hits reached MAX_CONCEPT_HITS; scanning stopped there. */
  flooded: boolean
  /** The whole text was read (not stopped by a flood): hits mark every anchor. */
  complete: boolean
  /** With `collect` (original ASCII text): encoded-run candidates as [kind, start, end, …] (see encoded.ts). */
  runs?: number[]
  /** With `collect`: where PII patterns can match. */
  pii?: PiiCues
}

/** Growable parallel arrays of hits (columns of one buffer: see columns.ts). */
class Hits {
  count = 0
  start: Int32Array
  end: Int32Array
  bits: Int32Array
  concept: Int32Array
  sentence: Int32Array

  constructor() {
    ;[this.start, this.end, this.bits, this.concept, this.sentence] = int32Columns(5, 128)
  }

  push(s: number, e: number, b: number, c: number, n: number): void {
    if (this.count === this.start.length) this.grow()
    const k = this.count++
    this.start[k] = s
    this.end[k] = e
    this.bits[k] = b
    this.concept[k] = c
    this.sentence[k] = n
  }

  private grow(): void {
    const [start, end, bits, concept, sentence] = int32Columns(5, this.start.length * 2)
    start.set(this.start)
    end.set(this.end)
    bits.set(this.bits)
    concept.set(this.concept)
    sentence.set(this.sentence)
    this.start = start
    this.end = end
    this.bits = bits
    this.concept = concept
    this.sentence = sentence
  }
}

/** Past this many concept words in one message the text is a flood, not prose. */
export const MAX_CONCEPT_HITS = 65_536
/** Anchor-only hits kept per message; beyond it phrase rules fall back to whole-text scans. */
export const MAX_HITS = 4 * MAX_CONCEPT_HITS

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

// 1 = lower-case letter, 2 = digit, 4 = upper-case letter (words are hashed lower-cased: c | 32)
const WORD = new Uint8Array(128)
for (let c = 97; c <= 122; c++) WORD[c] = 1
for (let c = 48; c <= 57; c++) WORD[c] = 2
for (let c = 65; c <= 90; c++) WORD[c] = 4
const LETTERS = 5
const isHexCode = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102)

/** Leetspeak digits and the letters they stand for. */
export const LEET_LETTER = new Int32Array(128).fill(-1)
for (const [d, l] of Object.entries({ '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g' })) {
  LEET_LETTER[d.charCodeAt(0)] = l.charCodeAt(0)
}

// Outside words: 1 = sentence end (. ! ? ; newline), 2 = quote character, 4 = separator of spelled-out letters, 8 = base64 punctuation
const SKIP = new Uint8Array(128)
for (const ch of '.!?;\n') SKIP[ch.charCodeAt(0)] |= 1
for (const ch of '"\'`') SKIP[ch.charCodeAt(0)] |= 2
for (const ch of ' .-_*') SKIP[ch.charCodeAt(0)] |= 4
for (const ch of '+/_-') SKIP[ch.charCodeAt(0)] |= 8
const isQuoteAbove127 = (c: number) => c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb

const isWordCode = (c: number) => c < 128 && WORD[c] !== 0

/** By the low 16 bits of a word's (lower-cased) hash: 1 when the lexicon may hold it (BLOOM), plus its PII cue kind (piiWordKind) times 2. */
const WORD_TABLE = new Uint16Array(1 << 16)
for (let k = 0; k < 1 << 16; k++) WORD_TABLE[k] = BLOOM[k] | (piiWordKind(k) << 1)

/** The lexicon entry of letters spelled out one by one in [s, e), every other character ("i g n o r e"), or -1. */
function spelledEntry(t: string, s: number, e: number): number {
  const letters = (e - s + 1) >> 1
  if (letters < 4 || letters > 25) return -1
  let word = ''
  for (let k = s; k < e; k += 2) word += String.fromCharCode(t.charCodeAt(k) | 32)
  return wordEntry(word)
}

/**
 * Adds the hit for a spelled-out word in [s, e), replacing hits inside it.
 * Returns the change in the number of concept hits.
 */
function pushSpelled(t: string, s: number, e: number, sentence: number, hits: Hits): number {
  const id = spelledEntry(t, s, e)
  if (id < 0) return 0
  let removed = 0
  while (hits.count > 0 && hits.start[hits.count - 1] >= s) {
    hits.count--
    if (hits.concept[hits.count] !== 0) removed++
  }
  hits.push(s, e, ENTRY_BITS[id], ENTRY_CONCEPTS[id], sentence)
  return (ENTRY_CONCEPTS[id] !== 0 ? 1 : 0) - removed
}

/** Whether the token [s, e) is the one word of entry `id` (leetspeak folded when `folded`). */
function sameWord(t: string, s: number, e: number, id: number, folded: boolean): boolean {
  const wl = ENTRY_WORD_LEN[id * MAX_WORDS]
  if (e - s !== wl) return false
  const ws = ENTRY_WORD_START[id * MAX_WORDS]
  for (let q = 0; q < wl; q++) {
    let x = t.charCodeAt(s + q) | 32
    if (folded && x < 128 && LEET_LETTER[x] >= 0) x = LEET_LETTER[x]
    if (x !== WORD_CHARS.charCodeAt(ws + q)) return false
  }
  return true
}

/**
 * The entry whose words are the last L words of the ring, as id * 2 + 1
 * when a word needed leetspeak folding (id * 2 otherwise), or -2.
 */
function probePhrase(t: string, L: number, known: number, ts: Int32Array, te: Int32Array, th: Uint32Array, tLeet: Uint8Array): number {
  let key = PHRASE_SEED
  for (let k = L - 1; k >= 0; k--) key = combine(key, th[(known - 1 - k) & (MAX_WORDS - 1)])
  key = keyFor(key, L)
  for (let p = key & TABLE_MASK; TABLE_IDS[p] !== 0; p = (p + 1) & TABLE_MASK) {
    if (TABLE_KEYS[p] !== key) continue
    const id = TABLE_IDS[p] - 1
    if (ENTRY_LEN[id] !== L) continue
    // Verify the words (hashes can collide).
    let same = true
    let anyLeet = false
    for (let k = 0; k < L && same; k++) {
      const r = (known - L + k) & (MAX_WORDS - 1)
      const wl = ENTRY_WORD_LEN[id * MAX_WORDS + k]
      if (te[r] - ts[r] !== wl) {
        same = false
        break
      }
      const ws = ENTRY_WORD_START[id * MAX_WORDS + k]
      const folded = tLeet[r] === 1
      if (folded) anyLeet = true
      for (let q = 0; q < wl; q++) {
        let x = t.charCodeAt(ts[r] + q) | 32
        if (folded && x < 128 && LEET_LETTER[x] >= 0) x = LEET_LETTER[x]
        if (x !== WORD_CHARS.charCodeAt(ws + q)) {
          same = false
          break
        }
      }
    }
    if (same) return id * 2 + (anyLeet ? 1 : 0)
  }
  return -2
}

/** Bits of the one-word entry for the token [s, e) with hash `hash`; 0 when none. */
function singleWordBits(t: string, s: number, e: number, hash: number, folded: boolean): number {
  const key = keyFor(combine(PHRASE_SEED, hash), 1)
  for (let p = key & TABLE_MASK; TABLE_IDS[p] !== 0; p = (p + 1) & TABLE_MASK) {
    if (TABLE_KEYS[p] !== key) continue
    const id = TABLE_IDS[p] - 1
    const wl = ENTRY_WORD_LEN[id * MAX_WORDS]
    if (ENTRY_LEN[id] !== 1 || wl !== e - s) continue
    const ws = ENTRY_WORD_START[id * MAX_WORDS]
    let q = 0
    for (; q < wl; q++) {
      let x = t.charCodeAt(s + q) | 32
      if (folded && x < 128 && LEET_LETTER[x] >= 0) x = LEET_LETTER[x]
      if (x !== WORD_CHARS.charCodeAt(ws + q)) break
    }
    if (q === wl) return ENTRY_BITS[id]
  }
  return 0
}

const isLetterCode = (c: number) => (c | 32) >= 97 && (c | 32) <= 122

/** The lexicon hash of the token leetScan last read as leetspeak (its digits read as letters). */
let leetScanHash = 0

/**
 * One pass over the token [s, e): -2 when it does not mix letters with
 * leetspeak digits; otherwise the first position of a letter next to such a
 * digit ("1gn0r3"), or -1 when none is next to one ("a-1"), with the
 * token's folded hash in leetScanHash.
 */
function leetScan(t: string, s: number, e: number): number {
  let letters = false
  let digits = false
  let hint = -1
  let prev = 0 // 1: letter, 2: leetspeak digit, 0: other
  let h = FNV_OFFSET
  for (let k = s; k < e; k++) {
    const c = t.charCodeAt(k)
    const leet = c < 128 ? LEET_LETTER[c] : -1
    const cls = isLetterCode(c) ? 1 : leet >= 0 ? 2 : 0
    if (cls === 1) letters = true
    else if (cls === 2) digits = true
    if (hint < 0 && prev !== 0 && cls !== 0 && prev !== cls) hint = k - 1
    prev = cls
    h = Math.imul(h ^ (leet >= 0 ? leet : c | 32), FNV_PRIME)
  }
  leetScanHash = h >>> 0
  return letters && digits ? hint : -2
}

/** Records the PII cues of token [s, e) (lower-cased hash `h`), part by part when it is joined with hyphens. */
function tokenPiiCues(cues: PiiCues, t: string, s: number, e: number, h: number, joined: boolean): void {
  const len = e - s
  let kind = len <= 16 ? piiWordKind(h) : 0
  const first = t.charCodeAt(s) | 32
  let eyJ = false
  if (len >= 3 && mayStartKeyPrefix(first, t.charCodeAt(s + 1) | 32)) {
    let p = Math.imul(Math.imul(Math.imul(FNV_OFFSET ^ first, FNV_PRIME) ^ (t.charCodeAt(s + 1) | 32), FNV_PRIME) ^ (t.charCodeAt(s + 2) | 32), FNV_PRIME)
    const h3 = p >>> 0
    p = len >= 4 ? Math.imul(p ^ (t.charCodeAt(s + 3) | 32), FNV_PRIME) : 0
    const prefix = piiPrefixKind(h3, len >= 4 ? p >>> 0 : 0)
    if (prefix) {
      kind |= prefix
      eyJ = first === 101
    }
  }
  if (kind !== 0) addPiiCue(cues, t, kind, s, e, t.charCodeAt(e), eyJ)
  if (!joined) return
  // "x-api-key", "sk-proj-…": each part may be a cue.
  let ps = s
  let ph = FNV_OFFSET
  for (let k = s; k <= e; k++) {
    const c = k < e ? t.charCodeAt(k) : 32
    if (c === 45 || c === 39 || k === e) {
      const part = k - ps
      if (part > 0 && part < len) {
        const pk = part <= 16 ? piiWordKind(ph >>> 0) : 0
        if (pk !== 0) addPiiCue(cues, t, pk, ps, k, c, false)
      }
      ps = k + 1
      ph = FNV_OFFSET
    } else ph = Math.imul(ph ^ (c | 32), FNV_PRIME)
  }
}

/**
 * Finds the lexicon words of `t`. With `collect`, `t` must be the original
 * text (case kept): the same pass then also finds encoded-run candidates
 * and PII cues, which would otherwise each cost a pass. `lexicon: false`
 * skips the word lookups (a pass for `collect` alone). `caseless`: `t` is
 * normalised text, so encoded runs are only candidates (any case, pairs
 * from seven on) for encoded.ts to verify on the original.
 */
export function tokenize(t: string, foldLeet: boolean, collect = false, lexicon = true, caseless = false): TokenScan {
  const hits = new Hits()
  const quotes: number[] = []
  const leetHints: number[] = []
  const leetHits: number[] = []
  const n = t.length
  // Ring of the last MAX_WORDS lexicon words (only they can form phrases), with their token numbers.
  const ts = new Int32Array(MAX_WORDS)
  const te = new Int32Array(MAX_WORDS)
  const th = new Uint32Array(MAX_WORDS)
  const tOrd = new Int32Array(MAX_WORDS).fill(-10)
  const tPhrase = new Uint8Array(MAX_WORDS) // whether the word can begin a phrase
  const tLeet = new Uint8Array(MAX_WORDS)
  let known = 0 // lexicon words seen
  let tok = 0 // tokens seen
  let sentenceFirst = 0 // number of the first token of the current sentence (phrases do not cross sentences)
  let sentence = 0
  let concepts = 0
  let meta = false
  let leet = false
  let flooded = false
  // A run of single letters separated by one character each.
  let runStart = -1
  let runEnd = -2
  // collect: encoded runs and PII cues
  const runs: number[] = []
  const pii = collect ? emptyPiiCues(n) : undefined
  let b64Start = -1
  let b64Case = 0
  // A pair before the first may hide inside a word ("x4a 4b …"): candidates start one pair early.
  const minPairs = caseless ? MIN_SEPARATED_PAIRS - 1 : MIN_SEPARATED_PAIRS
  let pairStart = -1
  let pairs = 0
  let lastPairEnd = -2
  let clusterStart = -1
  let lastDigit = -1
  let numberStart = -1
  let lastNumber = -1
  let i = 0
  while (i < n) {
    let c = t.charCodeAt(i)
    // Skip to the next word.
    while (c >= 128 || WORD[c] === 0) {
      if (c < 128) {
        const k = SKIP[c]
        if (k !== 0) {
          if (k & 1) {
            sentence++
            sentenceFirst = tok
          }
          if (k & 2) quotes.push(i)
        }
        if (collect) {
          if (!(k & 8)) {
            if (b64Start >= 0) {
              if (i - b64Start >= MIN_RUN) closeBase64(t, b64Start, i, caseless ? caselessCase(b64Case) : b64Case, runs)
              b64Start = -1
            }
          } else if (b64Start < 0) {
            b64Start = i
            b64Case = 0
          }
        }
      } else {
        if (isQuoteAbove127(c)) quotes.push(i)
        if (b64Start >= 0) {
          if (i - b64Start >= MIN_RUN) closeBase64(t, b64Start, i, caseless ? caselessCase(b64Case) : b64Case, runs)
          b64Start = -1
        }
      }
      if (++i >= n) break
      c = t.charCodeAt(i)
    }
    if (i >= n) break
    const s = i
    let h = Math.imul(FNV_OFFSET ^ (c | 32), FNV_PRIME)
    let kinds = WORD[c] // 1 lower, 2 digit, 4 upper
    let joined = false
    i++
    while (i < n) {
      c = t.charCodeAt(i)
      const k = c < 128 ? WORD[c] : 0
      if (k === 0) {
        if (!((c === 39 || c === 45) && i + 1 < n && isWordCode(t.charCodeAt(i + 1)))) break
        joined = true
      }
      kinds |= k
      h = Math.imul(h ^ (c | 32), FNV_PRIME)
      i++
    }
    const len = i - s
    // The lexicon filter and the PII cue kind of the word, in one table read.
    const entry = WORD_TABLE[h & 0xffff]

    if (collect) {
      if (b64Start < 0) {
        b64Start = s
        b64Case = 0
      }
      b64Case |= kinds
      if (joined) {
        // An apostrophe inside a word is outside the base64 alphabet.
        for (let k = s; k < i; k++) {
          if (t.charCodeAt(k) !== 39) continue
          closeBase64(t, b64Start, k, caseless ? caselessCase(b64Case) : b64Case, runs)
          b64Start = k + 1
          b64Case = kinds
        }
      }
      // Hex digits decode to readable text only with digits among them (letters alone are bytes 0xaa-0xff): digitless words are skipped.
      if (len >= 20 && kinds & 2) hexRunsIn(t, s, i, runs)
      // Hex pairs separated by one space or colon: "69 67 6e …"
      if (len === 2 && isHexCode(t.charCodeAt(s)) && isHexCode(t.charCodeAt(s + 1))) {
        const sep = t.charCodeAt(s - 1)
        if (pairs > 0 && s === lastPairEnd + 1 && (sep === 32 || sep === 58)) pairs++
        else {
          if (pairs >= minPairs) runs.push(RUN_SEPARATED_HEX, pairStart, lastPairEnd)
          pairStart = s
          pairs = 1
        }
        lastPairEnd = i
      } else if (pairs > 0) {
        if (pairs >= minPairs) runs.push(RUN_SEPARATED_HEX, pairStart, lastPairEnd)
        pairs = 0
      }
      if (kinds & 2) {
        if (clusterStart < 0) clusterStart = s
        else if (s - lastDigit > DIGIT_GAP) {
          addDigitCluster(pii!.digits, clusterStart, lastDigit)
          clusterStart = s
        }
        lastDigit = i - 1
        // Only words of digits alone make numbers (cards, phones, addresses); "4a4a" does not.
        if (kinds === 2) {
          if (numberStart < 0) numberStart = s
          else if (s - lastNumber > DIGIT_GAP) {
            addDigitCluster(pii!.numbers, numberStart, lastNumber)
            numberStart = s
          }
          lastNumber = i - 1
        }
      }
      // Most words are no cue: one table read decides, unless the word may start a key (a…, e…) or is joined.
      if (joined || (len <= 16 && entry > 1)) tokenPiiCues(pii!, t, s, i, h >>> 0, joined)
      else if (len >= 3) {
        const first = t.charCodeAt(s) | 32
        if (mayStartKeyPrefix(first, t.charCodeAt(s + 1) | 32)) tokenPiiCues(pii!, t, s, i, h >>> 0, false)
      }
      if (!lexicon) continue
    }

    // Spelled-out letters: "i g n o r e", "i.g.n.o.r.e" (a run of one-letter words), "i-g-n-o-r-e" (one token).
    if (len === 1 && (kinds === 1 || kinds === 4)) {
      if (s !== runEnd + 1 || !(SKIP[t.charCodeAt(s - 1)] & 4)) {
        // A spelled word needs four letters or more.
        if (runEnd - runStart >= 7) concepts += pushSpelled(t, runStart, runEnd, sentence, hits)
        runStart = s
      }
      runEnd = i
    } else if (runStart >= 0) {
      if (runEnd - runStart >= 7) concepts += pushSpelled(t, runStart, runEnd, sentence, hits)
      runStart = -1
      runEnd = -2
    }
    if (len >= 7 && (len & 1) === 1 && t.charCodeAt(s + 1) === 45 && t.charCodeAt(s + 3) === 45 && spelledEntry(t, s, i) >= 0) {
      concepts += pushSpelled(t, s, i, sentence, hits)
      tok++
      sentenceFirst = tok
      continue
    }

    tok++
    // Hardly any one-character token is a lexicon word.
    if (len === 1 && ONE_CHAR_WORD[t.charCodeAt(s) | 32] !== 1) continue
    const leetHint = foldLeet && kinds & LETTERS && kinds & 2 ? leetScan(t, s, i) : -2
    const isLeet = leetHint !== -2
    if (leetHint >= 0) leetHints.push(leetHint)
    // No lexicon word is this long, or starts with a digit (leetspeak aside): skip the lookups and break any phrase.
    if (len > MAX_WORD_LENGTH || (!isLeet && (kinds === 2 || WORD[t.charCodeAt(s)] === 2))) {
      sentenceFirst = tok
      continue
    }
    const hash = isLeet ? leetScanHash : h >>> 0
    if ((isLeet ? BLOOM[hash & 0xffff] : entry & 1) !== 1) continue
    const slot = known & (MAX_WORDS - 1)
    ts[slot] = s
    te[slot] = i
    th[slot] = hash
    tOrd[slot] = tok - 1
    tLeet[slot] = isLeet ? 1 : 0
    tPhrase[slot] = PHRASE_START[hash & 0xffff]
    known++

    // Longest phrase ending here: phrases are runs of consecutive lexicon words in one sentence, tried only where a phrase-start word sits and this word can end one.
    let longest = 1
    if (PHRASE_END[hash & 0xffff] === 1) {
      while (longest < MAX_WORDS && longest < known) {
        const prev = (known - 1 - longest) & (MAX_WORDS - 1)
        if (tOrd[prev] !== tok - 1 - longest || tOrd[prev] < sentenceFirst) break
        longest++
      }
    }
    // A phrase's last two words must be a phrase's closing pair (cuts the lengths to try to one on repeated words).
    if (longest > 1 && PHRASE_CLOSING[pairSlot(th[(known - 2) & (MAX_WORDS - 1)], hash)] === 0) longest = 1
    for (let L = longest; L >= 1; L--) {
      const first = (known - L) & (MAX_WORDS - 1)
      if (L > 1 && (tPhrase[first] === 0 || PHRASE_OPENING[pairSlot(th[first], th[(first + 1) & (MAX_WORDS - 1)])] === 0)) continue
      // One word: a direct table read (words whose low hash bits collide go through the probe).
      const single = L === 1 ? SINGLE_BY_HASH[hash & 0xffff] : -2
      if (single === -1) continue
      let entry = -1
      let anyLeet = false
      if (single >= 0) {
        if (sameWord(t, s, i, single, isLeet)) {
          entry = single
          anyLeet = isLeet
        }
      } else {
        const found = probePhrase(t, L, known, ts, te, th, tLeet)
        entry = found >> 1
        anyLeet = (found & 1) === 1
      }
      if (entry < 0) continue
      if (anyLeet) {
        leet = true
        leetHits.push(ts[first])
      }
      const start = ts[first]
      let bits = ENTRY_BITS[entry]
      const concept = ENTRY_CONCEPTS[entry]
      // The last word was never looked up alone: keep its anchors too.
      if (L > 1) bits |= singleWordBits(t, s, i, hash, isLeet) & ANCHOR_MASK
      // The phrase replaces the shorter hits it covers (its concepts replace theirs), keeping their anchors.
      while (hits.count > 0 && hits.start[hits.count - 1] >= start) {
        hits.count--
        bits |= hits.bits[hits.count] & ANCHOR_MASK
        if (hits.concept[hits.count] !== 0) concepts--
      }
      hits.push(start, i, bits, concept, sentence)
      if (bits & META) meta = true
      if (concept !== 0 && ++concepts >= MAX_CONCEPT_HITS) flooded = true
      break
    }
    if (flooded || hits.count >= MAX_HITS) break
  }
  if (runStart >= 0 && !flooded) pushSpelled(t, runStart, runEnd, sentence, hits)
  const complete = !flooded && hits.count < MAX_HITS
  const scan: TokenScan = {
    count: hits.count,
    start: hits.start,
    end: hits.end,
    bits: hits.bits,
    concept: hits.concept,
    sentence: hits.sentence,
    quotes,
    leet,
    leetHints,
    leetHits,
    meta,
    flooded,
    complete,
  }
  if (collect && complete) {
    if (b64Start >= 0) closeBase64(t, b64Start, n, caseless ? caselessCase(b64Case) : b64Case, runs)
    if (pairs >= minPairs) runs.push(RUN_SEPARATED_HEX, pairStart, lastPairEnd)
    if (clusterStart >= 0) addDigitCluster(pii!.digits, clusterStart, lastDigit)
    if (numberStart >= 0) addDigitCluster(pii!.numbers, numberStart, lastNumber)
    scan.runs = runs
    scan.pii = pii
  }
  return scan
}

/** Pairs of hex digits separated by one space or colon: at least this many (as in encoded.ts). */
const MIN_SEPARATED_PAIRS = 8
const MIN_RUN = 20

/** On lower-cased text a run may have mixed cases in the original if it holds letters at all. */
const caselessCase = (kinds: number) => (kinds & LETTERS ? LETTERS : 0)

/** A base64 run [s, e) that mixes cases, with its '=' padding. */
function closeBase64(t: string, s: number, e: number, kinds: number, runs: number[]): void {
  if (e - s < MIN_RUN || (kinds & LETTERS) !== LETTERS) return
  let end = e
  while (end < t.length && end - e < 2 && t.charCodeAt(end) === 61) end++
  runs.push(RUN_BASE64, s, end)
}

/** Maximal runs of 20+ hex digits inside the word [s, e). */
function hexRunsIn(t: string, s: number, e: number, runs: number[]): void {
  let h = -1
  for (let k = s; k <= e; k++) {
    if (k < e && isHexCode(t.charCodeAt(k))) {
      if (h < 0) h = k
    } else if (h >= 0) {
      if (k - h >= MIN_RUN) runs.push(RUN_HEX, h, k)
      h = -1
    }
  }
}
