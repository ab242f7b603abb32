/**
 * One pass over a text that finds where PII patterns can match: clusters of
 * digits (cards, phones, SSNs, IBANs, addresses, dates) and the words that
 * keyed patterns start from (api_key, bearer, born, CVV, sk-…, eyJ…). Each
 * pattern then runs only in windows around these cues. Words are hashed
 * case-insensitively as they are read; a hash collision only adds a window,
 * never hides a match, so no word is compared letter by letter.
 */
import { WindowSet } from '../text/windows'

export interface PiiCues {
  /** Around clusters of digits (letters may sit among them, as in IBANs). */
  digits: WindowSet
  /** Around clusters of digits that stand apart from letters (cards, phones, IP addresses). */
  numbers: WindowSet
  secretPrefix: WindowSet
  secretKeyword: WindowSet
  bearer: WindowSet
  birth: WindowSet
  cvv: WindowSet
  cardholder: WindowSet
}

export function emptyPiiCues(textLength: number): PiiCues {
  return {
    digits: new WindowSet(textLength),
    numbers: new WindowSet(textLength),
    secretPrefix: new WindowSet(textLength),
    secretKeyword: new WindowSet(textLength),
    bearer: new WindowSet(textLength),
    birth: new WindowSet(textLength),
    cvv: new WindowSet(textLength),
    cardholder: new WindowSet(textLength),
  }
}

const K_ASSIGN = 1 // a keyword of SECRET_ASSIGNMENT
const K_BEARER = 2
const K_BIRTH = 4 // a birth-context word
const K_CVV = 8
const K_HOLDER = 16 // cardholder cue
const K_PREFIX = 32 // a key prefix when followed by - _ or . (sk-, ghp_, SG.)
const K_D = 64 // d of d.o.b
const K_B = 128 // b of b-day

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

function hashWord(w: string): number {
  let h = FNV_OFFSET
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME)
  return h >>> 0
}

const WORDS = new Uint8Array(1 << 16)
const PREFIX3 = new Uint8Array(1 << 16) // first three letters of a key (eyJ…)
const PREFIX4 = new Uint8Array(1 << 16) // first four letters (AKIA…, AIza…)
const add = (table: Uint8Array, kind: number, words: string[]) => {
  for (const w of words) table[hashWord(w) & 0xffff] |= kind
}
add(WORDS, K_ASSIGN, [
  'api',
  'apikey',
  'secret',
  'secretkey',
  'access',
  'accesskey',
  'accesstoken',
  'auth',
  'authtoken',
  'client',
  'clientsecret',
  'private',
  'privatekey',
  'token',
  'passwd',
  'password',
  'pwd',
  'passphrase',
  'key',
])
add(WORDS, K_BEARER, ['bearer'])
add(WORDS, K_BIRTH, ['born', 'birth', 'dob', 'birthday', 'birthdate', 'bday', 'b-day', 'geboren', 'nacido', 'nacida'])
add(WORDS, K_CVV, ['cvv', 'cvv2', 'cvc', 'cvc2', 'csc', 'cid', 'security', 'verification'])
add(WORDS, K_HOLDER, ['card', 'cardholder', 'cardholders', 'holder'])
add(WORDS, K_PREFIX, [
  'sk',
  'csk',
  'ghp',
  'gho',
  'ghu',
  'ghs',
  'ghr',
  'github',
  'xoxa',
  'xoxb',
  'xoxp',
  'xoxo',
  'xoxs',
  'xoxr',
  'glpat',
  'rk',
  'whsec',
  'sg',
  'hf',
  'npm',
  'pypi',
])
add(WORDS, K_D, ['d'])
add(WORDS, K_B, ['b'])
add(PREFIX3, K_PREFIX, ['eyj'])
add(PREFIX4, K_PREFIX, ['akia', 'asia', 'abia', 'acca', 'aiza'])

// 1 = letter, 2 = digit
const CLASS = new Uint8Array(128)
for (let c = 65; c <= 90; c++) CLASS[c] = 1
for (let c = 97; c <= 122; c++) CLASS[c] = 1
for (let c = 48; c <= 57; c++) CLASS[c] = 2

/** Digits at most this far apart form one cluster: IBANs hold letter groups, phones " ext. ". */
export const DIGIT_GAP = 10

/** Cue kinds of a word with FNV-1a hash `hash` (lower-cased), of a word's first three and four letters. */
export const piiWordKind = (hash: number) => WORDS[hash & 0xffff]
export const piiPrefixKind = (h3: number, h4: number) => PREFIX3[h3 & 0xffff] | PREFIX4[h4 & 0xffff]
/**
 * Whether a word whose first two letters (lower-cased) are `a` and `b` can
 * start one of the key prefixes of PREFIX3 and PREFIX4 (eyJ…; AKIA, ASIA,
 * ABIA, ACCA, AIza…): other words need no prefix hashing. (Only spurious
 * hash matches are skipped: each real key has its own window.)
 */
export const mayStartKeyPrefix = (a: number, b: number) =>
  (a === 101 && b === 121) || (a === 97 && (b === 107 || b === 115 || b === 98 || b === 99 || b === 105))

/**
 * Records the windows a cue word [ws, we) calls for. `next` is the
 * character after it; `eyJ` says a JWT may start here (long reach).
 */
export function addPiiCue(cues: PiiCues, text: string, kind: number, ws: number, we: number, next: number, eyJ: boolean): void {
  if (kind & K_ASSIGN) cues.secretKeyword.add(ws - 24, we + 240)
  if (kind & K_BEARER) cues.bearer.add(ws - 2, we + 2020)
  if (kind & K_BIRTH) cues.birth.add(ws - 48, we + 96)
  if (kind & K_CVV) cues.cvv.add(ws - 24, we + 60)
  if (kind & K_HOLDER) cues.cardholder.add(ws - 24, we + 150)
  // Key prefixes: sk- ghp_ SG. … as a word before a joiner, eyJ… AKIA… as a word's start.
  if (kind & K_PREFIX && (we - ws > 2 || next === 45 || next === 95 || next === 46)) cues.secretPrefix.add(ws - 2, ws + (eyJ ? 7020 : 320))
  // (The character after the word first: "d" and "b" are common words in adversarial text.)
  if (kind & K_D && text.charCodeAt(we) === 46 && /^\.o\.b/i.test(text.slice(we, we + 4))) cues.birth.add(ws - 48, we + 100)
  if (kind & K_B && text.charCodeAt(we) === 45 && /^-day/i.test(text.slice(we, we + 4))) cues.birth.add(ws - 48, we + 100)
}

/** Adds the window of a cluster of digits spanning [first, last] to `windows` (cues.digits or cues.numbers). */
export function addDigitCluster(windows: WindowSet, first: number, last: number): void {
  windows.add(first - 12, last + 17)
}

export function findPiiCues(text: string): PiiCues {
  const n = text.length
  const cues = emptyPiiCues(n)
  let ws = -1 // start of the current letter run
  let h = FNV_OFFSET
  let h3 = 0
  let h4 = 0
  let clusterStart = -1
  let lastDigit = -1
  let numberStart = -1
  let lastNumber = -1
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32
    const cls = c < 128 ? CLASS[c] : 0
    if (cls === 1) {
      if (ws < 0) {
        ws = i
        h = FNV_OFFSET
      }
      h = Math.imul(h ^ (c | 32), FNV_PRIME)
      const len = i - ws + 1
      if (len === 3) h3 = h >>> 0
      else if (len === 4) h4 = h >>> 0
      continue
    }
    if (ws >= 0) {
      const len = i - ws
      let kind = len <= 16 ? WORDS[(h >>> 0) & 0xffff] : 0
      const eyJ = len >= 3 && PREFIX3[h3 & 0xffff] !== 0
      if (eyJ || (len >= 4 && PREFIX4[h4 & 0xffff])) kind |= K_PREFIX
      if (kind !== 0) addPiiCue(cues, text, kind, ws, i, c, eyJ)
      ws = -1
    }
    if (cls === 2) {
      if (clusterStart < 0) clusterStart = i
      else if (i - lastDigit > DIGIT_GAP) {
        addDigitCluster(cues.digits, clusterStart, lastDigit)
        clusterStart = i
      }
      lastDigit = i
      // A digit inside a word ("4a4a", "abc1") is no part of a number.
      const prev = i > 0 ? text.charCodeAt(i - 1) : 32
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 32
      if ((prev >= 128 || CLASS[prev] !== 1) && (next >= 128 || CLASS[next] !== 1)) {
        if (numberStart < 0) numberStart = i
        else if (i - lastNumber > DIGIT_GAP) {
          addDigitCluster(cues.numbers, numberStart, lastNumber)
          numberStart = i
        }
        lastNumber = i
      }
    }
  }
  if (clusterStart >= 0) addDigitCluster(cues.digits, clusterStart, lastDigit)
  if (numberStart >= 0) addDigitCluster(cues.numbers, numberStart, lastNumber)
  return cues
}
