/**
 * Concept co-occurrence detection: paraphrases of an injection rarely share
 * a phrase but do share concepts in one sentence, e.g. something dismissive
 * ("ignore", "doesn't matter", "no longer apply") + the model's instructions
 * ("rules", "what you were told") + a reference back ("earlier", "your").
 * One regular-expression pass finds concept words (English plus common
 * French, Spanish, German, Italian and Portuguese forms, on accent-folded
 * text); sentences are then scored from the concepts they hold.
 */
import type { InjectionFamily } from './injection-rules'

const D = 1 // dismiss
const T = 2 // the model's instructions
const TS = 4 // … strongly: instructions, rules, system prompt, what you were told
const R = 8 // reference back: previous, your, initial, all …
const SELF = 16 // my, our: the user's own earlier words
const C = 32 // role change addressed to the model
const U = 64 // unrestricted, uncensored, no rules …
const LV = 128 // reveal, print, repeat …
const LVS = 256 // soft reveal verbs: summarize, translate, list, describe
const LT = 512 // a hidden prompt: system prompt, preprompt, instructions …
const LR = 1024 // hidden, initial, verbatim, at the beginning …
const NEG = 2048 // don't, never, not
const DESC = 4096 // descriptive subjects: the model keeps …, it sometimes …

const LEXICON: Array<[number, string[]]> = [
  [
    D,
    [
      'ignore', 'ignoring', 'disregard', 'disregarding', 'forget', 'forgetting', 'override', 'overriding', 'overrule', 'bypass', 'bypassing',
      'circumvent', 'discard', 'abandon', 'neglect', 'dismiss', 'overlook', 'overwrite', 'erase', 'scrap', 'ditch', 'nullify', 'revoke',
      'revoked', 'void', 'voided', 'supersede', 'superseded', 'unlearn', 'wipe', 'purge', 'drop', 'remove', 'removed', 'lift', 'lifted',
      'disable', 'disabled', 'suspend', 'suspended', 'skip', 'nevermind', 'never mind', 'set aside', 'put aside', 'pay no attention',
      "doesn't matter", 'does not matter', "don't matter", 'do not matter', 'no longer matter', 'no longer matters', 'irrelevant',
      'no longer apply', 'no longer applies', 'no longer valid', 'no longer in effect', 'obsolete', 'outdated', 'invalid', 'null and void',
      'stop following', 'stop obeying', "don't follow", 'do not follow', 'dont follow', "don't obey", 'do not obey', 'do not adhere',
      "don't adhere", 'no longer follow', 'not bound by', 'no longer bound', 'free yourself from',
      // fr, es, de, it, pt (accents folded)
      'ignorez', 'ignorer', 'ignore', 'oublie', 'oubliez', 'oublier', 'ne tiens pas compte', 'ne tenez pas compte', 'ignora', 'ignorar',
      'olvida', 'olvide', 'olvidar', 'omite', 'omitir', 'ignoriere', 'ignorieren', 'vergiss', 'vergessen', 'missachte', 'dimentica',
      'dimenticare', 'esqueca', 'esquece', 'esquecer', 'desconsidere',
    ],
  ],
  [
    T | TS,
    [
      'instructions', 'instruction', 'rules', 'guidelines', 'directives', 'directive', 'system prompt', 'system message', 'prompt',
      'preprompt', 'pre-prompt', 'programming', 'guardrails', 'what you were told', 'were told', 'told you', 'you were given',
      'consignes', 'regles', 'instrucciones', 'reglas', 'indicaciones', 'anweisungen', 'regeln', 'vorgaben', 'istruzioni', 'regole',
      'instrucoes', 'regras',
    ],
  ],
  [
    T,
    [
      'restrictions', 'restriction', 'constraints', 'constraint', 'limitations', 'limits', 'filters', 'policies', 'policy', 'safeguards',
      'guidance', 'orders', 'commands', 'context', 'configuration', 'ethics', 'morals', 'principles', 'protocols', 'directions', 'training',
      'conditioning', 'guardrail', 'rule', 'guideline',
    ],
  ],
  [
    R,
    [
      'previous', 'previously', 'prior', 'earlier', 'above', 'preceding', 'foregoing', 'aforementioned', 'former', 'initial', 'original',
      'existing', 'your', 'yours', 'all', 'any', 'every', 'developer', 'developers', 'creator', 'creators', 'openai', 'default', 'given',
      'configured', 'whatever', 'so far', 'up to now', 'hidden', 'built-in', 'preset', 'system', 'safety',
      // these name the model's own instructions, so they refer back by themselves
      'system prompt', 'system message', 'preprompt', 'programming', 'what you were told', 'told you', 'you were given',
      'precedentes', 'anterieures', 'toutes', 'tous', 'vos', 'tes', 'anteriores', 'previas', 'todas', 'todos', 'tus', 'sus', 'vorherigen',
      'bisherigen', 'alle', 'obigen', 'deine', 'ihre', 'precedenti', 'tutte', 'tue', 'suas',
    ],
  ],
  [SELF, ['my', 'our', 'mine']],
  [
    C,
    [
      'you are now', "you're now", 'youre now', 'you are no longer', "you're no longer", 'you will be', 'you will act', 'you will now',
      'you are going to', 'from now on you', "from now on you're", 'from now on youre', 'from now on you are', 'from now on you will', 'act as', 'act like', 'acting as', 'pretend', 'pretending', 'roleplay',
      'role-play', 'role play', 'play the role', 'play the part', 'simulate', 'behave as', 'behave like', 'become', 'imagine you',
      "imagine you're", 'stay in character', 'persona', 'your new name', 'your new identity', 'respond as', 'answer as', 'switch to',
      'we are playing a game', "we're playing a game", "let's play a game",
    ],
  ],
  [
    U,
    [
      'uncensored', 'unfiltered', 'unrestricted', 'unbound', 'jailbroken', 'jailbreak', 'amoral', 'unethical', 'immoral', 'lawless',
      'no restrictions', 'zero restrictions', 'without restrictions', 'no limits', 'without limits', 'no limitations', 'no rules',
      'without rules', 'no filters', 'without filters', 'no ethics', 'no morals', 'without morals', 'no ethical', 'no moral',
      'no censorship', 'without censorship', 'no boundaries', 'no guidelines', 'without guidelines', 'no content policy',
      'without content policies', 'without content policy', 'without any restrictions', 'without any limits', 'without any rules',
      'free from', 'free of', 'broken free', 'never refuses', 'never refuse', 'never declines', 'never decline', 'never says no',
      'does anything', 'do anything', 'can do anything', 'answers anything', 'answer anything', 'answers everything', 'without refusing',
      'not bound by', 'no matter how', 'god mode', 'developer mode', 'do anything now', 'removed every', 'removed all', 'every safety',
      'safety limit', 'safety limits', 'no safety',
    ],
  ],
  [
    LV,
    [
      'repeat', 'print', 'print out', 'show', 'reveal', 'display', 'output', 'tell', 'give', 'share', 'leak', 'dump', 'recite', 'echo',
      'spell out', 'disclose', 'provide', 'return', 'copy', 'expose', 'write out', 'write down', 'type out', 'paste', 'reproduce', 'quote',
      'read out', 'what is', 'what are', 'what was', 'what were', "what's", 'what did', 'what does',
    ],
  ],
  [LVS, ['summarize', 'summarise', 'translate', 'list', 'describe', 'explain', 'write', 'state']],
  [
    LT,
    [
      'system prompt', 'system message', 'system instructions', 'preprompt', 'pre-prompt', 'initial prompt', 'hidden prompt', 'full prompt',
      'your prompt', 'your instructions', 'your configuration', 'hidden instructions', 'initial instructions', 'original instructions',
      'secret instructions', 'confidential instructions', 'the instructions you', 'the rules you', 'instructions you were given',
      'text that came before', 'text above', 'everything above', 'messages above', 'words above', 'before my first message',
      'at the beginning', 'at the start',
    ],
  ],
  [
    LR,
    [
      'your', 'initial', 'original', 'hidden', 'secret', 'internal', 'confidential', 'developer', 'developers', 'first', 'beginning',
      'verbatim', 'exact', 'exactly', 'full', 'entire', 'word for word', 'loaded', 'were given', 'configured', 'behind',
      // phrases that are targets and already say whose and when
      'at the beginning', 'at the start', 'before my first message', 'instructions you were given', 'hidden instructions',
      'initial instructions', 'original instructions', 'secret instructions', 'confidential instructions', 'hidden prompt', 'initial prompt',
    ],
  ],
  [NEG, ["don't", 'dont', 'do not', 'never', 'not', "shouldn't", "won't", 'cannot', "can't", 'must not']],
  [
    DESC,
    [
      'keeps', 'kept', 'sometimes', 'often', 'always', 'usually', 'tends to', 'seems to', 'why does', 'why do', 'how do i', 'how can i',
      'how to', 'the model', 'the bot', 'the ai', 'the assistant', 'chatgpt', 'gpt', 'it ignores', 'ignores', 'ignored', 'forgot',
    ],
  ],
]

// ---------------------------------------------------------------- lexicon lookup without allocation
//
// Words are hashed (FNV-1a) while the text is scanned; phrases of up to four
// words combine their word hashes. Only a hash hit is verified against the
// text, so ordinary words cost a few arithmetic operations and no strings.

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
const isJoiner = (c: number) => c === 39 || c === 45 // ' and - inside a word: don't, pre-prompt
const isSentenceEnd = (c: number) => c === 46 || c === 33 || c === 63 || c === 59 || c === 10

function fnv(s: string, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
const combine = (k: number, x: number) => (Math.imul(k, 1000003) ^ x) >>> 0
const PHRASE_SEED = 0x9747b28c

interface Entry {
  words: string[]
  bits: number
}
const MAX_WORDS = 4
const MAX_WORD_LENGTH = 24
const TABLES: Array<Map<number, Entry[]>> = Array.from({ length: MAX_WORDS + 1 }, () => new Map())

/** Split a lexicon entry the way the scanner splits text. */
function entryWords(phrase: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < phrase.length) {
    while (i < phrase.length && !isWordChar(phrase.charCodeAt(i))) i++
    const s = i
    while (i < phrase.length && (isWordChar(phrase.charCodeAt(i)) || (isJoiner(phrase.charCodeAt(i)) && isWordChar(phrase.charCodeAt(i + 1))))) i++
    if (i > s) out.push(phrase.slice(s, i))
  }
  return out
}

const merged = new Map<string, number>()
for (const [bit, words] of LEXICON) for (const w of words) merged.set(w, (merged.get(w) ?? 0) | bit)
for (const [phrase, bits] of merged) {
  const words = entryWords(phrase)
  if (words.length === 0 || words.length > MAX_WORDS) continue
  let key = PHRASE_SEED
  for (const w of words) key = combine(key, fnv(w, 0, w.length))
  const table = TABLES[words.length]
  const list = table.get(key) ?? []
  const same = list.find((e) => e.words.join(' ') === words.join(' '))
  if (same) same.bits |= bits
  else list.push({ words, bits })
  table.set(key, list)
}
/**
 * A 64 Kbit filter over the hashes of every lexicon word: an ordinary word
 * is dismissed with one array read, before any map lookup.
 */
const BLOOM = new Uint8Array(1 << 16)
for (const phrase of merged.keys()) for (const w of entryWords(phrase)) BLOOM[fnv(w, 0, w.length) & 0xffff] = 1

/** Hashes of words that begin a phrase of two or more words: only then are longer lookups tried. */
const PHRASE_STARTS = new Set<number>()
for (let L = 2; L <= MAX_WORDS; L++) for (const list of TABLES[L].values()) for (const e of list) PHRASE_STARTS.add(fnv(e.words[0], 0, e.words[0].length))
const SINGLE_BITS = new Map<string, number>()
for (const [phrase, bits] of merged) if (entryWords(phrase).length === 1) SINGLE_BITS.set(entryWords(phrase)[0], bits)

interface Hit {
  start: number
  end: number
  bits: number
  sentence: number
}

export interface ConceptHit {
  family: InjectionFamily
  start: number
  end: number
  score: number
  detail: string
}

/** Past this many concept words in one message the text is a flood, not prose. */
export const MAX_CONCEPT_HITS = 65_536

/** Concept words and phrases of `t` (longest match wins), with sentence numbers. Linear in `t`. */
function conceptHits(t: string): { hits: Hit[]; flooded: boolean } {
  const hits: Hit[] = []
  const n = t.length
  // Ring of the last MAX_WORDS tokens: start, end, hash.
  const ts = new Int32Array(MAX_WORDS)
  const te = new Int32Array(MAX_WORDS)
  const th = new Uint32Array(MAX_WORDS)
  const starts = new Uint8Array(MAX_WORDS) // whether the token can begin a phrase
  let count = 0 // tokens in the current sentence
  let sentence = 0
  let i = 0
  const verify = (entry: Entry, last: number) => {
    const L = entry.words.length
    for (let k = 0; k < L; k++) {
      const slot = (last - (L - 1 - k) + MAX_WORDS * 4) % MAX_WORDS
      const w = entry.words[k]
      if (te[slot] - ts[slot] !== w.length) return false
      for (let c = 0; c < w.length; c++) if (t.charCodeAt(ts[slot] + c) !== w.charCodeAt(c)) return false
    }
    return true
  }
  let tok = 0
  while (i < n) {
    // skip to the next word, noting sentence ends
    while (i < n) {
      const c = t.charCodeAt(i)
      if (isWordChar(c)) break
      if (isSentenceEnd(c)) {
        sentence++
        count = 0
      }
      i++
    }
    if (i >= n) break
    const s = i
    let h = 0x811c9dc5
    while (i < n) {
      const c = t.charCodeAt(i)
      if (isWordChar(c) || (isJoiner(c) && i + 1 < n && isWordChar(t.charCodeAt(i + 1)))) {
        h ^= c
        h = Math.imul(h, 0x01000193)
        i++
      } else break
    }
    // No lexicon word is this long, or starts with a digit: skip the lookups (and break any phrase).
    const first = t.charCodeAt(s)
    if (i - s > MAX_WORD_LENGTH || (first >= 48 && first <= 57)) {
      count = 0
      continue
    }
    const slot = tok % MAX_WORDS
    ts[slot] = s
    te[slot] = i
    th[slot] = h >>> 0
    const known = BLOOM[h & 0xffff] === 1
    starts[slot] = known && PHRASE_STARTS.has(h >>> 0) ? 1 : 0
    tok++
    count++
    // An unknown word ends no phrase and is no concept itself.
    if (!known) continue
    // Longest phrase ending here; a phrase is only possible where a phrase-start word sits.
    for (let L = Math.min(MAX_WORDS, count); L >= 1; L--) {
      if (L > 1 && !starts[(tok - L) % MAX_WORDS]) continue
      let key = PHRASE_SEED
      for (let k = L - 1; k >= 0; k--) key = combine(key, th[(tok - 1 - k) % MAX_WORDS])
      const list = TABLES[L].get(key)
      if (!list) continue
      const entry = list.find((e) => verify(e, tok - 1))
      if (!entry) continue
      const start = ts[(tok - L) % MAX_WORDS]
      while (hits.length && hits[hits.length - 1].start >= start) hits.pop()
      hits.push({ start, end: i, bits: entry.bits, sentence })
      if (hits.length >= MAX_CONCEPT_HITS) return { hits, flooded: true }
      break
    }
  }
  return { hits, flooded: false }
}

/** Spelled-out letters ("i g n o r e") collapsed and looked up as words. */
const SPACED = /(?<![a-z0-9])(?:[a-z][ .\-_*]){3,24}[a-z](?![a-z0-9])/g
function spacedHits(t: string, hits: Hit[]): Hit[] {
  if (!SPACED.test(t)) return hits
  const extra: Hit[] = []
  SPACED.lastIndex = 0
  for (let m = SPACED.exec(t); m; m = SPACED.exec(t)) {
    const bits = SINGLE_BITS.get(m[0].replace(/[ .\-_*]/g, ''))
    if (bits) extra.push({ start: m.index, end: m.index + m[0].length, bits, sentence: -1 })
  }
  if (!extra.length) return hits
  // Give each spelled-out word the sentence of the hit after it, and merge in order.
  const out: Hit[] = []
  let k = 0
  for (const h of hits) {
    while (k < extra.length && extra[k].start < h.start) out.push({ ...extra[k++], sentence: h.sentence })
    out.push(h)
  }
  while (k < extra.length) out.push({ ...extra[k++], sentence: hits.length ? hits[hits.length - 1].sentence : 0 })
  return out
}

/** Max distance, in characters, between concepts that count together. */
const WINDOW = 120

/** Findings reported per message; the verdict is settled long before. */
const MAX_CONCEPT_FINDINGS = 4096

/** Concepts looked at around one hit: bounds the work per hit on dense input. */
const MAX_NEIGHBOURS = 32

/** Bits of the concepts after hit i in its sentence and window, and where the last one ends. */
function collectAfter(hits: Hit[], i: number): { bits: number; last: number } {
  const h = hits[i]
  let bits = 0
  let last = h.end
  for (let j = i + 1; j < hits.length && j - i <= MAX_NEIGHBOURS && hits[j].sentence === h.sentence && hits[j].start - h.end <= WINDOW; j++) {
    bits |= hits[j].bits
    if (hits[j].end > last) last = hits[j].end
  }
  return { bits, last }
}

/** Whether a concept with `mask` precedes hit i within `chars` characters in its sentence. */
function hasBefore(hits: Hit[], i: number, mask: number, chars: number): boolean {
  const h = hits[i]
  for (let j = i - 1; j >= 0 && i - j <= MAX_NEIGHBOURS && hits[j].sentence === h.sentence && h.start - hits[j].end <= chars; j--) {
    if (hits[j].bits & mask) return true
  }
  return false
}

export function scanConcepts(t: string): ConceptHit[] {
  const scanned = conceptHits(t)
  const hits = spacedHits(t, scanned.hits)
  const out: ConceptHit[] = []
  if (scanned.flooded) {
    const last = hits[hits.length - 1]
    out.push({ family: 'instruction_override', start: hits[0].start, end: last.end, score: 0.75, detail: 'floods the text with injection trigger words' })
  }
  const n = hits.length
  for (let i = 0; i < n && out.length < MAX_CONCEPT_FINDINGS; i++) {
    const h = hits[i]
    if (!(h.bits & (D | C | LV | LVS))) continue
    if (h.bits & D) {
      const { bits, last } = collectAfter(hits, i)
      // "whatever you were told earlier doesn't matter": the target can come first.
      let back = 0
      let backTargetStart = h.start
      for (let j = i - 1; j >= 0 && i - j <= MAX_NEIGHBOURS && hits[j].sentence === h.sentence && h.start - hits[j].end <= WINDOW; j--) {
        back |= hits[j].bits
        if (hits[j].bits & T) backTargetStart = hits[j].start
      }
      const all = bits | back
      if (all & T) {
        const ref = all & R && !((all & SELF) && !(all & R & ~SELF))
        let score = ref ? (all & TS ? 0.85 : 0.75) : 0.55
        if (all & SELF && !/\b(?:your|system|developer)/.test(t.slice(h.start - 60 < 0 ? 0 : h.start - 60, last))) score = Math.min(score, 0.55)
        if (hasBefore(hits, i, NEG, 20) && !/^(?:stop|don|do not|dont|no longer|not bound)/.test(t.slice(h.start, h.end))) score *= 0.3
        if (hasBefore(hits, i, DESC, 40) || bits & DESC) score *= 0.45
        const start = back & T ? Math.min(h.start, backTargetStart) : h.start
        out.push({ family: 'instruction_override', start, end: Math.max(last, h.end), score, detail: 'dismisses earlier instructions' })
      }
    }
    if (h.bits & C) {
      // A role change counts with an unrestricted marker anywhere nearby in the message.
      let unrestricted = false
      for (let j = i + 1; j < n && j - i <= 4 * MAX_NEIGHBOURS && hits[j].start - h.end <= 400 && !unrestricted; j++) unrestricted = (hits[j].bits & U) !== 0
      for (let j = i - 1; j >= 0 && i - j <= 2 * MAX_NEIGHBOURS && h.start - hits[j].end <= 200 && !unrestricted; j--) unrestricted = (hits[j].bits & U) !== 0
      if (unrestricted) out.push({ family: 'role_manipulation', start: h.start, end: h.end, score: 0.85, detail: 'role change to an unrestricted persona' })
    }
    if (h.bits & (LV | LVS)) {
      const { bits, last } = collectAfter(hits, i)
      if (bits & LT) {
        const soft = !(h.bits & LV)
        const question = /^what/.test(t.slice(h.start, h.end))
        // "What is a system prompt?" asks about prompts in general; "what is your …" asks for this one.
        const addressed = /\byou(?:r|'ve|\s+were)?\b/.test(t.slice(h.end, last))
        let score = question ? (addressed ? 0.85 : 0.3) : bits & LR ? 0.85 : 0.45
        if (soft) score = bits & LR && /system|hidden|secret|initial|original|your/.test(t.slice(h.start, last)) ? 0.75 : 0.4
        if (hasBefore(hits, i, DESC, 30)) score *= 0.5
        if (hasBefore(hits, i, NEG, 15)) score *= 0.3
        out.push({ family: 'system_prompt_leak', start: h.start, end: last, score, detail: 'asks for the hidden prompt' })
      }
    }
  }
  return out
}
