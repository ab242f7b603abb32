import {
  type AttackEncoding,
  ENCODINGS,
  fromBase64,
  fromHomoglyphs,
  fromLeet,
  fromZeroWidth,
  joinSplit,
  type Rng,
  seededRng,
  splitText,
  toBase64,
  toHomoglyphs,
  toLeet,
  toZeroWidth,
} from './encodings'
import { ATTACK_FAMILIES, type AttackFamily, type AttackLanguage, LANGUAGE_PACKS, type LanguagePack, LANGUAGES } from './languages'

/**
 * The attack suite's library: every family × template × filler × language
 * of attacks, and of benign prompts that look like them, each in every
 * encoding. The seed decides only the random parts (which letters become
 * look-alikes, where zero-width characters and message cuts go, the personal
 * data and which persona name goes with which goal), so a seed always gives
 * the same library, in the same order.
 */

export const DEFAULT_ATTACK_SEED = 1607

export interface SuiteItem {
  /** Stable within a seed: kind, family, language, encoding and a number. */
  id: string
  kind: 'attack' | 'benign'
  /** The attack family (for benign items: the family they look like). */
  family: AttackFamily
  language: AttackLanguage
  encoding: AttackEncoding
  /** The prompt before it was encoded. */
  plain: string
  /** What the chain is given: one user message, or several for `split`. */
  messages: Array<{ role: 'user'; content: string }>
}

export interface SuiteLibrary {
  seed: number
  items: SuiteItem[]
}

const FIRST = ['jana', 'lucas', 'marie', 'pablo', 'giulia', 'joao', 'sanne', 'oliver']
const LAST = ['novak', 'schmidt', 'dubois', 'garcia', 'rossi', 'silva', 'dekker', 'turner']

const PHONE_PREFIX: Record<AttackLanguage, [string, number]> = {
  en: ['+44 20 7946 ', 4],
  de: ['+49 30 ', 8],
  fr: ['+33 1 ', 8],
  es: ['+34 91 ', 7],
  it: ['+39 06 ', 8],
  pt: ['+351 21 ', 7],
  nl: ['+31 20 ', 7],
}

/** Country and BBAN layout (d digit, A upper-case letter) of an IBAN for each language's country. */
const IBAN_LAYOUT: Record<AttackLanguage, [string, string]> = {
  en: ['GB', 'AAAAdddddddddddddd'],
  de: ['DE', 'dddddddddddddddddd'],
  fr: ['FR', 'ddddddddddddddddddddddd'],
  es: ['ES', 'dddddddddddddddddddd'],
  it: ['IT', 'Adddddddddddddddddddddd'],
  pt: ['PT', 'ddddddddddddddddddddd'],
  nl: ['NL', 'AAAAdddddddddd'],
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join('')
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]

function luhnCard(rng: Rng): string {
  const body = '4' + digits(rng, 14)
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i])
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  const check = (10 - (sum % 10)) % 10
  return (body + check).replace(/(\d{4})(?=\d)/g, '$1 ')
}

function mod97(numeric: string): number {
  let r = 0
  for (const ch of numeric) r = (r * 10 + Number(ch)) % 97
  return r
}

function iban(rng: Rng, lang: AttackLanguage): string {
  const [country, layout] = IBAN_LAYOUT[lang]
  let bban = ''
  for (const c of layout) bban += c === 'd' ? digits(rng, 1) : String.fromCharCode(65 + Math.floor(rng() * 26))
  const numeric = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55))
  const check = String(98 - mod97(numeric)).padStart(2, '0')
  return (country + check + bban).replace(/(.{4})(?=.)/g, '$1 ')
}

/** Four pieces of personal data in the language's country format: an email, a phone number, a card and an IBAN. */
function piiFillers(rng: Rng, lang: AttackLanguage): string[] {
  const [prefix, n] = PHONE_PREFIX[lang]
  const person = `${pick(rng, FIRST)}.${pick(rng, LAST)}`
  return [`${person}@example.com`, prefix + digits(rng, n), luhnCard(rng), iban(rng, lang)]
}

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => slots[k] ?? m)
}

/** Each template with each of its fillers: the plain prompts of one family in one language. */
function plainAttacks(pack: LanguagePack, family: AttackFamily, lang: AttackLanguage, rng: Rng): string[] {
  const out: string[] = []
  for (const t of pack.attacks[family]) {
    if (family === 'leak' || family === 'editing-leak') {
      for (const secret of pack.secrets) out.push(fill(t, { secret }))
    } else if (family === 'pii-exfiltration') {
      piiFillers(rng, lang).forEach((pii, i) => out.push(fill(t, { pii, dest: pack.dests[(i + Math.floor(rng() * 4)) % pack.dests.length] })))
    } else {
      const shift = Math.floor(rng() * pack.names.length)
      pack.goals.forEach((goal, i) => out.push(fill(t, { goal, name: pack.names[(i + shift) % pack.names.length] })))
    }
  }
  return out
}

function plainBenign(pack: LanguagePack, family: AttackFamily): string[] {
  return pack.benign[family].flatMap((t) => pack.topics.map((topic) => fill(t, { topic })))
}

/** Which encodings a prompt can take: personal data holds digits, which leetspeak could not give back. */
function encodingsFor(kind: SuiteItem['kind'], family: AttackFamily): readonly AttackEncoding[] {
  return kind === 'attack' && family === 'pii-exfiltration' ? ENCODINGS.filter((e) => e !== 'leetspeak') : ENCODINGS
}

function encode(plain: string, encoding: AttackEncoding, kind: SuiteItem['kind'], pack: LanguagePack, rng: Rng): string[] {
  switch (encoding) {
    case 'plain':
      return [plain]
    case 'base64':
      return [fill(kind === 'attack' ? pack.decodeAndFollow : pack.decodeBenign, { b64: toBase64(plain) })]
    case 'leetspeak':
      return [toLeet(plain)]
    case 'homoglyphs':
      return [toHomoglyphs(plain, rng)]
    case 'zero-width':
      return [toZeroWidth(plain, rng)]
    case 'split':
      return splitText(plain, rng)
  }
}

/** The plain prompt an item was made from, recovered from its messages alone. */
export function decodeItem(item: Pick<SuiteItem, 'encoding' | 'messages'>): string {
  const text = item.messages.map((m) => m.content)
  switch (item.encoding) {
    case 'plain':
      return text[0]
    case 'base64': {
      const b64 = /([A-Za-z0-9+/]+=*)\s*$/.exec(text[0])
      return b64 ? fromBase64(b64[1]) : ''
    }
    case 'leetspeak':
      return fromLeet(text[0])
    case 'homoglyphs':
      return fromHomoglyphs(text[0])
    case 'zero-width':
      return fromZeroWidth(text[0])
    case 'split':
      return joinSplit(text)
  }
}

export function generateAttackLibrary(seed: number = DEFAULT_ATTACK_SEED): SuiteLibrary {
  const rng = seededRng(seed)
  const items: SuiteItem[] = []
  for (const kind of ['attack', 'benign'] as const) {
    for (const family of ATTACK_FAMILIES) {
      for (const language of LANGUAGES) {
        const pack = LANGUAGE_PACKS[language]
        const plains = kind === 'attack' ? plainAttacks(pack, family, language, rng) : plainBenign(pack, family)
        for (const encoding of encodingsFor(kind, family)) {
          plains.forEach((plain, n) => {
            const messages = encode(plain, encoding, kind, pack, rng).map((content) => ({ role: 'user' as const, content }))
            items.push({ id: `${kind}-${family}-${language}-${encoding}-${n + 1}`, kind, family, language, encoding, plain, messages })
          })
        }
      }
    }
  }
  return { seed, items }
}
