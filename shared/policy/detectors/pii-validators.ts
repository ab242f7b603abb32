/**
 * Checksum and format validators for PII entities. Pure functions of the
 * candidate text, each linear in its (bounded) input.
 */
import { cardIssuer, type Issuer } from './pii-card-issuers'

export function digitsOf(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) out += s[i]
  }
  return out
}

/** How many ASCII digits `s` holds (digitsOf(s).length, without building the string). */
export function digitCount(s: string): number {
  let k = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) k++
  }
  return k
}

/** Luhn mod-10 checksum (cards, NPI with its 80840 prefix, IMEI). */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

const NETWORK_NAMES: Record<string, string> = { 'american-express': 'amex', 'diners-club': 'diners' }

/** Card network by issuer range and length (pii-card-issuers.ts). */
export function cardNetwork(digits: string): string | undefined {
  const issuer = cardIssuer(digits)
  return issuer && (NETWORK_NAMES[issuer.network] ?? issuer.network)
}

/** A card number: 12–19 digits of an issuer range and one of its lengths, passing Luhn, not one repeated digit. */
export function isCreditCard(digits: string): boolean {
  return cardCandidate(digits) !== undefined
}

/** The issuer of a valid card number (see isCreditCard), or undefined. */
export function cardCandidate(digits: string): Issuer | undefined {
  if (digits.length < 12 || digits.length > 19) return undefined
  if (/^(\d)\1+$/.test(digits) || !luhnValid(digits)) return undefined
  return cardIssuer(digits)
}

/** IBAN length per country (ISO 13616 registry). */
export const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
}

/**
 * ISO 7064 mod-97-10 over the rearranged IBAN in `iban[0, end)`, read in place:
 * letters in either case; spaces and dashes between groups skipped (the first
 * four characters, which move to the end, hold none); -1 for any other character.
 */
export function ibanMod97(iban: string, end = iban.length): number {
  const head = Math.min(4, end)
  let rem = 0
  for (let k = head; k < end + head; k++) {
    let c = iban.charCodeAt(k < end ? k : k - end)
    if (c === 32 || c === 45) continue
    if (c >= 97 && c <= 122) c -= 32
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97
    else return -1
  }
  return rem
}

export function isValidIban(raw: string): boolean {
  const iban = raw.replace(/[\s-]/g, '').toUpperCase()
  const len = IBAN_LENGTHS[iban.slice(0, 2)]
  if (!len || iban.length !== len) return false
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false
  return ibanMod97(iban) === 1
}

/** Numbers published as examples or never issued (advertising, Woolworth wallet card, …). */
const SSN_SAMPLES = new Set([
  '078051120',
  '219099999',
  '123456789',
  '457555462',
  '987654320',
  '987654321',
  '987654322',
  '987654323',
  '987654324',
  '987654325',
  '987654326',
  '987654327',
  '987654328',
  '987654329',
])

/**
 * US SSN rules: area 000, 666 and 900–999 were never issued; group 00 and
 * serial 0000 are invalid; repeated digits and published samples are rejected.
 * Mixed delimiters (123-45 6789) are rejected.
 */
export function isValidSsn(raw: string): boolean {
  const m = /^(\d{3})([- .]?)(\d{2})([- .]?)(\d{4})$/.exec(raw)
  if (!m || m[2] !== m[4]) return false
  const [area, group, serial] = [m[1], m[3], m[5]]
  const all = area + group + serial
  if (area === '000' || area === '666' || area[0] === '9') return false
  if (group === '00' || serial === '0000') return false
  if (/^(\d)\1{8}$/.test(all)) return false
  return !SSN_SAMPLES.has(all)
}

export function isValidIpv4(s: string): boolean {
  const parts = s.split('.')
  if (parts.length !== 4) return false
  return parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)
}

/**
 * IPv6 in full, compressed (::) and IPv4-embedded forms, with an optional
 * zone (%eth0). Compressed forms with fewer than three groups are refused
 * unless a group is long: `a[1::2]` is a slice, `fe80::1` is an address.
 */
export function isValidIpv6(s: string): boolean {
  const addr = s.replace(/%[\w.]+$/, '')
  if (!/^[0-9a-fA-F:.]+$/.test(addr)) return false
  const doubles = addr.split('::').length - 1
  if (doubles > 1) return false
  let groups: string[]
  let v4 = 0
  const last = addr.slice(addr.lastIndexOf(':') + 1)
  let body = addr
  if (last.includes('.')) {
    if (!isValidIpv4(last)) return false
    v4 = 2
    body = addr.slice(0, addr.length - last.length)
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1)
  }
  if (doubles === 1) {
    const [left, right] = body.split('::')
    const l = left ? left.split(':') : []
    const r = right ? right.split(':') : []
    groups = [...l, ...r]
    if (groups.length + v4 > 7) return false
    if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false
    const explicit = groups.length + (v4 ? 1 : 0)
    if (explicit < 3 && !groups.some((g) => g.length >= 3)) return false
    return explicit >= 1
  }
  groups = body.split(':')
  if (groups.length + v4 !== 8) return false
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))
}

/** Shannon entropy in bits per character. */
const asciiCounts = new Int32Array(128)
const asciiOrder = new Uint8Array(256)

export function shannonEntropy(s: string): number {
  if (!s.length) return 0
  if (s.length <= 256) {
    // ASCII (secrets, tokens): counted in a reused table, summed in order of first appearance as the Map below would.
    let distinct = 0
    let i = 0
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c >= 128) break
      if (asciiCounts[c]++ === 0) asciiOrder[distinct++] = c
    }
    if (i === s.length) {
      let h = 0
      for (let k = 0; k < distinct; k++) {
        const p = asciiCounts[asciiOrder[k]] / s.length
        h -= p * Math.log2(p)
      }
      for (let k = 0; k < distinct; k++) asciiCounts[asciiOrder[k]] = 0
      return h
    }
    for (let k = 0; k < distinct; k++) asciiCounts[asciiOrder[k]] = 0
  }
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let h = 0
  for (const c of counts.values()) {
    const p = c / s.length
    h -= p * Math.log2(p)
  }
  return h
}

/** Calling code → [min, max] length of the national number that follows. */
export const CALLING_CODES: Record<string, [number, number]> = {
  '1': [10, 10],
  '7': [10, 10],
  '20': [9, 10],
  '27': [9, 9],
  '30': [10, 10],
  '31': [9, 9],
  '32': [8, 9],
  '33': [9, 9],
  '34': [9, 9],
  '36': [8, 9],
  '39': [6, 11],
  '40': [9, 9],
  '41': [9, 9],
  '43': [4, 13],
  '44': [9, 10],
  '45': [8, 8],
  '46': [7, 10],
  '47': [8, 8],
  '48': [9, 9],
  '49': [6, 13],
  '51': [8, 9],
  '52': [10, 10],
  '53': [8, 8],
  '54': [10, 11],
  '55': [10, 11],
  '56': [9, 9],
  '57': [10, 10],
  '58': [10, 10],
  '60': [8, 10],
  '61': [9, 9],
  '62': [8, 12],
  '63': [9, 10],
  '64': [8, 10],
  '65': [8, 8],
  '66': [8, 9],
  '81': [9, 10],
  '82': [8, 10],
  '84': [9, 10],
  '86': [10, 11],
  '90': [10, 10],
  '91': [10, 10],
  '92': [9, 10],
  '93': [9, 9],
  '94': [9, 9],
  '95': [8, 10],
  '98': [10, 10],
  '212': [9, 9],
  '213': [9, 9],
  '216': [8, 8],
  '234': [8, 10],
  '254': [9, 9],
  '255': [9, 9],
  '256': [9, 9],
  '351': [9, 9],
  '352': [6, 11],
  '353': [7, 9],
  '354': [7, 9],
  '358': [6, 11],
  '370': [8, 8],
  '371': [8, 8],
  '372': [7, 8],
  '380': [9, 9],
  '385': [8, 9],
  '386': [8, 8],
  '420': [9, 9],
  '421': [9, 9],
  '852': [8, 8],
  '880': [10, 10],
  '886': [9, 9],
  '961': [7, 8],
  '962': [8, 9],
  '964': [10, 10],
  '965': [8, 8],
  '966': [9, 9],
  '971': [8, 9],
  '972': [8, 9],
  '974': [8, 8],
}

export interface PhoneShape {
  /** 'international' (+CC or 00CC), 'nanp' ((415) 555-0132), 'trunk' (national with leading 0), 'plain' (other). */
  kind: 'international' | 'nanp' | 'trunk' | 'plain'
  /** Whether the calling code and number length agree with the numbering plan. */
  planMatch: boolean
}

/**
 * Classifies a phone-number candidate (digits, spaces, dots, dashes,
 * parentheses, optional leading + or 00). Undefined when it cannot be a phone
 * number: dates, versions, decimals and runs of one digit are refused.
 */
export function phoneShape(raw: string): PhoneShape | undefined {
  const s = raw.replace(/\s*(?:ext\.?|x)\s*\d{1,5}$/i, '').replace(/\(0\)/, '')
  const digits = digitsOf(s)
  if (digits.length < 7 || digits.length > 15) return undefined
  if (/^(\d)\1+$/.test(digits)) return undefined
  const groups = s.split(/[^\d]+/).filter(Boolean)
  const seps = s.replace(/[\d+()]/g, '').replace(/\s+/g, ' ')
  // Dates (2024-01-15, 15.01.2024), versions and decimals.
  if (groups.length === 3 && /^[./-]+$/.test(seps.replace(/ /g, '')) && (groups[0].length === 4 || groups[2].length === 4) && groups[1].length <= 2)
    return undefined
  if (/^[.]+$/.test(seps) && groups.length <= 4 && groups.every((g) => g.length <= 3)) return undefined
  // Calling codes never start with 0: "00" is an international prefix only before 1–9.
  if (/^\+|^00[1-9]/.test(s.trim())) {
    const intl = s.trim().startsWith('+') ? digits : digits.slice(2)
    const firstGroup = groups[0].startsWith('00') ? groups[0].slice(2) : groups[0]
    const candidates = firstGroup.length <= 3 && groups.length > 1 ? [firstGroup] : [intl.slice(0, 1), intl.slice(0, 2), intl.slice(0, 3)]
    for (const cc of candidates) {
      const plan = CALLING_CODES[cc]
      const nsn = intl.length - cc.length
      if (plan && nsn >= plan[0] && nsn <= plan[1]) return { kind: 'international', planMatch: true }
    }
    return intl.length >= 8 && intl.length <= 15 ? { kind: 'international', planMatch: false } : undefined
  }
  const compact = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits
  if (compact.length === 10 && /^[2-9]\d{2}[2-9]\d{6}$/.test(compact) && !/^\d{3}11/.test(compact.slice(3))) {
    const formatted = /^\s*(?:1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}\s*$/.test(s)
    if (formatted) return { kind: 'nanp', planMatch: true }
  }
  if (digits[0] === '0' && digits.length >= 9 && digits.length <= 12 && groups.length >= 2) return { kind: 'trunk', planMatch: true }
  return { kind: 'plain', planMatch: false }
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
}

export function monthNumber(name: string): number | undefined {
  return MONTHS[name.toLowerCase().replace(/\.$/, '')]
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return d <= days[m - 1]
}

/** A plausible birth date: a real date between 1900 and `nowYear`. Two-digit years are read as 19xx/20xx. */
export function isPlausibleBirthDate(y: number, m: number, d: number, nowYear: number): boolean {
  let year = y
  if (year < 100) year += year > nowYear % 100 ? 1900 : 2000
  return year >= 1900 && year <= nowYear && isRealDate(year, m, d)
}
