import type { SafeRegex } from '../regex/index'
import { execInWindows, WindowSet } from '../text/windows'
import type { Issuer } from './pii-card-issuers'
import { findPiiCues, type PiiCues } from './pii-cues'
import { pendingFrom } from './pii-pending'
import { checkNational, PHONE_CHECKS_PER_TEXT, PHONE_CUE, type PhoneBudget, regionsFor } from './pii-phones'
import { CARDHOLDER_CUE, MONTH_NAMES, SECRET_KEYWORDS, SECRET_VALUE } from './pii-sources'
import {
  cardCandidate,
  digitCount,
  IBAN_LENGTHS,
  ibanMod97,
  isPlausibleBirthDate,
  isValidIpv4,
  isValidIpv6,
  isValidSsn,
  luhnValid,
  monthNumber,
  phoneShape,
  shannonEntropy,
} from './pii-validators'
import type { SharedScans } from './shared-scan'

/**
 * PII detection: candidates found by linear scans (bounded regular
 * expressions that cannot backtrack far, or hand-written loops), then
 * validated (checksums, numbering plans, ranges). A passing checksum raises
 * the score, a failing one drops the candidate; context words nearby raise
 * scores, words such as "order" or "invoice" lower them.
 *
 * The expressions run only where they can match: number patterns inside
 * clusters of digits, keyed patterns around their keywords or prefixes
 * (found with indexOf), so text without such anchors costs next to nothing.
 */

export interface PiiMatch {
  entity: string
  start: number
  end: number
  score: number
}

export interface CustomDetector {
  entity: string
  regex: SafeRegex
  score: number
}

export interface PiiOptions {
  pciMode: boolean
  healthcareMode: boolean
  custom: CustomDetector[]
  /** Findings below this score are dropped (default 0.5). */
  minScore?: number
  /** For date-of-birth plausibility; defaults to the current year. */
  nowYear?: number
}

export const PII_ENTITIES = ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'IP_ADDRESS', 'SECRET', 'DATE_OF_BIRTH'] as const
export const PCI_ENTITIES = ['CREDIT_CARD', 'CARD_CVV', 'CARDHOLDER_NAME'] as const
export const HEALTHCARE_ENTITIES = ['MEDICAL_RECORD_NUMBER', 'NPI', 'INSURANCE_ID'] as const

const CONTEXT: Record<string, RegExp> = {
  PHONE_NUMBER: PHONE_CUE,
  CREDIT_CARD:
    /\b(?:card|credit|debit|visa|mastercard|maestro|amex|american\s+express|discover|jcb|unionpay|payment|pay|cc|billing|charge|cardholder|tarjeta|carte|karte|kartennummer|kreditkarte|cart[aã]o|carta|creditcard|bankkaart|betaalkaart|kortnummer)\b/,
  US_SSN: /\b(?:ssn|ssns|social\s+security|social\s+sec|ss#|tax\s+id|tin|itin)\b/,
  IP_ADDRESS: /\b(?:ip|ips|ipv4|ipv6|address|server|host|client|connect|ping|gateway|subnet)\b/,
  DATE_OF_BIRTH: /\b(?:born|birth|dob|d\.o\.b|birthday|birthdate|bday|b-day|date\s+of\s+birth|geboren|nacido|nacida)\b/,
}

/** Numbers next to these words are usually identifiers of things, not of people (in the languages phone and card words are read in). */
const NEGATIVE_CONTEXT =
  /\b(?:order|orders|invoice|tracking|track|ref|reference|ticket|case|sku|serial|part|model|version|build|transaction|txn|confirmation|isbn|ean|upc|gtin|barcode|imei|item|product|po|batch|lot|shipment|parcel|receipt|booking|issue|pr|commit|row|line|page|chapter|room|flight|zip|postcode|id|uuid|timestamp|epoch|pedido|factura|fatura|encomenda|referencia|refer[êe]ncia|r[ée]f[ée]rence|commande|facture|bestellung|rechnung|auftrag|(?:kunden|bestell|rechnungs|auftrags|sendungs|artikel|referenz|vorgangs|serien|konto)nummer|ordre|bestilling|faktura|ordine|fattura|bestelling|factuur)\b|(?:#|no\.|n\.?\s?[º°])\s*$/

/** "… 4 512 330 units", "1 234 567 €": a count or an amount, not a phone number. */
const QUANTITY_AFTER =
  /^\s?(?:€|\$|£|%|eur|euros?|usd|dollars?|gbp|chf|sek|nok|dkk|kr|units|people|persons|users|items|votes|views|times|km|kg|ms|bytes|habitantes|personas|pessoas|personnes|einwohner|menschen|inwoners)\b/

/** "Number" words: a phone number's, or an order's, so they count only where nothing says it is a thing's. */
const NUMBER_WORD = /\b(?:number|n[uú]mero|num[ée]ro|numero|nummer|nummeret|nr)\b/

const VERSION_BEFORE = /\b(?:v|ver|version|release|build|rev|revision|firmware|kernel|node|python|chrome)\.?\s*$/

function windowBefore(text: string, start: number, size = 48): string {
  return text.slice(Math.max(0, start - size), start).toLowerCase()
}
function windowAround(text: string, start: number, end: number, before = 48, after = 24): string {
  return `${windowBefore(text, start, before)} ${text.slice(end, end + after).toLowerCase()}`
}

function contextScore(text: string, start: number, end: number, entity: string, base: number): number {
  const around = windowAround(text, start, end)
  let score = base
  const pos = CONTEXT[entity]
  const positive = pos ? pos.test(around) : false
  if (positive) score += 0.35
  else if (NEGATIVE_CONTEXT.test(windowBefore(text, start, 32))) score -= 0.45
  return Math.max(0, Math.min(1, score))
}

const isLocalChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45
const isDomainChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46

const FILE_EXTENSIONS = new Set(
  'png jpg jpeg gif svg webp ico bmp tif tiff js mjs cjs ts tsx jsx css scss less json yaml yml md txt pdf zip gz tar map lock html htm xml csv py rb go rs java kt swift vue php sh'.split(
    ' ',
  ),
)

function scanEmails(text: string, out: PiiMatch[]): void {
  const n = text.length
  // `stop`: where the domain scan of this '@' ran into the next '@' (no search needed for it).
  let stop = -1
  for (let at = text.indexOf('@'); at >= 0; at = stop > at ? stop : text.indexOf('@', at + 1)) {
    let s = at
    while (s > 0 && at - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s--
    if (s > 0 && isLocalChar(text.charCodeAt(s - 1))) continue // local part longer than 64
    while (s < at && text.charCodeAt(s) === 46) s++
    if (s === at) continue
    let e = at + 1
    let lastDot = -1
    while (e < n && e - at <= 253 && isDomainChar(text.charCodeAt(e))) {
      if (text.charCodeAt(e) === 46) lastDot = e
      e++
    }
    if (text.charCodeAt(e) === 64) stop = e
    while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--
    if (lastDot >= e) lastDot = text.lastIndexOf('.', e - 1)
    // Cheap rejections first: most '@' in adversarial or code text fail here.
    if (lastDot <= at + 1 || e - lastDot - 1 < 2) continue
    const domain = text.slice(at + 1, e)
    const local = text.slice(s, at)
    if (local.endsWith('.') || local.includes('..')) continue
    const labels = domain.split('.')
    if (labels.length < 2) continue
    if (!labels.every((l) => l.length >= 1 && l.length <= 63 && /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(l))) continue
    const tld = labels[labels.length - 1].toLowerCase()
    if (!/^(?:[a-z]{2,24}|xn--[a-z0-9-]{2,20})$/.test(tld) || FILE_EXTENSIONS.has(tld)) continue
    // git@github.com:org/repo.git is an SSH remote, not a mailbox.
    if (text[e] === ':' && /[\w/~]/.test(text[e + 1] ?? '')) continue
    out.push({ entity: 'EMAIL_ADDRESS', start: s, end: e, score: 0.95 })
  }
}

// 12 to 19 digits, in groups or solid (ISO/IEC 7812 lengths; the longest run is cut back below).
const CARD_RE = /(?<![\w-]|\d[ -])\d(?:[ -]?\d){11,22}(?!\d)/g

/**
 * How issuers print numbers, by the lengths of the first `g` groups: fours
 * with a short last group (4-4-4, 4-4-4-4, 4-4-4-1…4, 4-4-4-4-1…4), Amex and
 * Diners 4-6-5 and 4-6-4, UATP 4-5-6.
 */
function cardLayout(lens: readonly number[], g: number): boolean {
  if (lens[0] !== 4) return false
  if (g === 3) return (lens[1] === 4 && lens[2] === 4) || (lens[1] === 6 && (lens[2] === 4 || lens[2] === 5)) || (lens[1] === 5 && lens[2] === 6)
  if (g !== 4 && g !== 5) return false
  if (lens[1] !== 4 || lens[2] !== 4) return false
  const last = lens[g - 1]
  return (g === 4 || lens[3] === 4) && last >= 1 && last <= 4
}

/**
 * Base score of a card number before context: a 12-digit number (only Maestro
 * issues that length) or a solid number of a one-digit catch-all range (UATP's
 * 1) needs a card word nearby to count.
 */
function cardBase(digits: string, issuer: Issuer, grouped: boolean): number {
  if (digits.length === 12) return 0.45
  if (issuer.prefixLength === 1 && issuer.network === 'uatp' && !grouped) return 0.45
  return 0.9
}

function scanCards(text: string, out: PiiMatch[], clusters: WindowSet): void {
  const lens: number[] = []
  execInWindows(CARD_RE, text, clusters, (m, at) => {
    const raw = m[0]
    // Group lengths (a space or a dash between groups, never both).
    lens.length = 0
    let run = 0
    let space = false
    let dash = false
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i)
      if (c === 32 || c === 45) {
        if (c === 32) space = true
        else dash = true
        lens.push(run)
        run = 0
      } else run++
    }
    lens.push(run)
    if (space && dash) return
    let total = 0
    for (const l of lens) total += l
    const solid = lens.length > 1 ? raw.replace(/[ -]/g, '') : raw
    // Try the whole run, then without trailing groups ("4111 1111 1111 1111 2024").
    for (let g = lens.length; g >= 1; g--) {
      if (g < lens.length) total -= lens[g]
      // A 12-digit card stands alone: "6011-0117-9740-4509" that fails Luhn is a mistyped card, not one of its first three groups.
      if (total < (g < lens.length ? 13 : 12)) break
      if (g > 1 && !cardLayout(lens, g)) continue
      const digits = g === lens.length ? solid : solid.slice(0, total)
      const issuer = cardCandidate(digits)
      if (!issuer) continue
      const end = at + total + g - 1
      out.push({ entity: 'CREDIT_CARD', start: at, end, score: contextScore(text, at, end, 'CREDIT_CARD', cardBase(digits, issuer, g > 1)) })
      break
    }
  })
}

const SSN_RE = /(?<![\d-]|\d[ -])\d{3}([- ]?)\d{2}\1\d{4}(?!\d|[ -]\d)/g

function scanSsns(text: string, out: PiiMatch[], clusters: WindowSet): void {
  execInWindows(SSN_RE, text, clusters, (m, at) => {
    if (!isValidSsn(m[0])) return
    const base = m[1] === '-' ? 0.85 : m[1] === ' ' ? 0.6 : 0.3
    const end = at + m[0].length
    out.push({ entity: 'US_SSN', start: at, end, score: contextScore(text, at, end, 'US_SSN', base) })
  })
}

const PHONE_RE =
  /(?<![\w+@/$#.-]|\d[ .-])(?:(?:\+\s?\d|00[1-9])\d{0,2}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,10}(?:[ .-]\d{1,10}){0,6}(?:\s?(?:ext\.?|x)\s?\d{1,5})?(?![\w@/]|[.-]\d)/gi

function scanPhones(text: string, out: PiiMatch[], clusters: WindowSet, budget: PhoneBudget): void {
  // A national number inside a card, an IBAN or an SSN found with full confidence would lose to it: no region checks for it.
  const strong = out.filter((x) => x.score >= 0.9).sort((a, b) => a.start - b.start)
  const covered = (s: number, e: number) => {
    let lo = 0
    let hi = strong.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (strong[mid].start <= s) lo = mid + 1
      else hi = mid
    }
    // Matches of one scanner do not overlap; a few candidates back cover the other scanners'.
    for (let k = lo - 1; k >= 0 && k >= lo - 4; k--) if (strong[k].end >= e) return true
    return false
  }
  execInWindows(PHONE_RE, text, clusters, (m, at) => {
    let raw = m[0]
    if (raw.length < 7 || digitCount(raw) < 7) return
    if (VERSION_BEFORE.test(windowBefore(text, at, 16))) return
    // A trailing group may belong to the sentence ("call 415 555 0132 2 times"): retry without it.
    let shape = phoneShape(raw)
    for (let k = 0; k < 2 && (!shape || shape.kind === 'plain'); k++) {
      const cut = raw.search(/[ .-]\d{1,10}$/)
      if (cut <= 0) break
      const shorter = raw.slice(0, cut)
      const s2 = phoneShape(shorter)
      if (s2 && s2.kind !== 'plain') {
        raw = shorter
        shape = s2
      } else break
    }
    if (!shape) return
    const end = at + raw.length
    if (shape.kind === 'plain') {
      if (covered(at, end)) return
      const score = nationalScore(text, at, end, raw, budget)
      if (score > 0) out.push({ entity: 'PHONE_NUMBER', start: at, end, score })
      return
    }
    const base = shape.kind === 'international' ? (shape.planMatch ? 0.8 : 0.55) : shape.kind === 'nanp' ? 0.7 : 0.55
    out.push({ entity: 'PHONE_NUMBER', start: at, end, score: contextScore(text, at, end, 'PHONE_NUMBER', base) })
  })
}

/**
 * A national number without a trunk prefix ("612 345 678", "412 34 567",
 * "(11) 98765-4321"): valid in a region its words point at, and grouped
 * the way that region writes numbers or introduced by a phone word. A
 * "number" word counts only where no order or invoice is named. Region
 * checks run only where they can change the verdict (pii-phones.ts).
 */
function nationalScore(text: string, start: number, end: number, raw: string, budget: PhoneBudget): number {
  const before = windowBefore(text, start)
  const around = `${before} ${text.slice(end, end + 24).toLowerCase()}`
  const positive = PHONE_CUE.test(around)
  const negative = !positive && (NEGATIVE_CONTEXT.test(before.slice(-32)) || QUANTITY_AFTER.test(text.slice(end, end + 16).toLowerCase()))
  if (negative) return 0
  const cue = positive ? 0.35 : NUMBER_WORD.test(before.slice(-32)) ? 0.25 : 0
  // Without a word for it, only a number grouped the way its region writes them can count; solid digits cannot.
  const grouped = /\D/.test(raw)
  if (!cue && !grouped) return 0
  // Out of checks: the words decide, as they did before numbers were checked per region.
  const check = budget.left > 0 ? checkNational(raw, regionsFor(around), budget) : null
  if (check === null) return cue ? 0.25 + cue : 0
  if (!check) return 0.1 + cue
  return Math.min(1, (check.formatted || raw.startsWith('(') ? 0.55 : 0.3) + cue)
}

const IPV4_RE = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/g

/**
 * Where IPV4_RE can start: before a dot, at the start of its run of one to three
 * digits, with neither a word character nor a dot before the run. Dots are
 * found with indexOf, so windows of digits without dots cost next to nothing.
 */
function seekIpv4(p: string, from: number): number {
  for (let dot = p.indexOf('.', from + 1); dot >= 0; dot = p.indexOf('.', dot + 1)) {
    let s = dot
    while (s > 0 && dot - s < 4 && isDigitCode(p.charCodeAt(s - 1))) s--
    if (s === dot || dot - s > 3 || s < from) continue
    if (s > 0 && (isWordCode(p.charCodeAt(s - 1)) || p.charCodeAt(s - 1) === 46)) continue
    return s
  }
  return -1
}

function scanIps(text: string, out: PiiMatch[], clusters: WindowSet): void {
  execInWindows(
    IPV4_RE,
    text,
    clusters,
    (m, at) => {
      if (!isValidIpv4(m[0])) return
      if (VERSION_BEFORE.test(windowBefore(text, at, 16))) return
      const end = at + m[0].length
      out.push({ entity: 'IP_ADDRESS', start: at, end, score: contextScore(text, at, end, 'IP_ADDRESS', 0.8) })
    },
    seekIpv4,
  )
  // Two colons at most four hex digits apart: a quick test for short texts; long ones are read colon by colon.
  if (text.length <= 65_536 ? hasIpv6Hint(text) : text.indexOf(':') >= 0) scanIpv6(text, out)
}

/**
 * Whether two colons stand at most four hex digits apart (/:[0-9a-fA-F]{0,4}:/),
 * found colon by colon with indexOf: a regular expression reads every character.
 */
function hasIpv6Hint(text: string): boolean {
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    let k = i + 1
    while (k <= i + 4 && isHexCode(text.charCodeAt(k))) k++
    if (text.charCodeAt(k) === 58) return true
  }
  return false
}

const isDigitCode = (c: number) => c >= 48 && c <= 57
const isHexCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
const isV6Code = (c: number) => isHexCode(c) || c === 58 || c === 46
const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95

/**
 * IPv6 candidates grow from each colon over hex digits, colons and dots; a
 * region is read once and skipped, so colon-heavy text stays linear.
 */
function scanIpv6(text: string, out: PiiMatch[]): void {
  const n = text.length
  for (let i = text.indexOf(':'); i >= 0 && i < n;) {
    let s = i
    while (s > 0 && isV6Code(text.charCodeAt(s - 1))) s--
    let e = i
    while (e < n && isV6Code(text.charCodeAt(e))) e++
    const next = text.indexOf(':', e)
    // Whole-token boundaries; addresses are at most 45 characters.
    if (e - s <= 45 && !(s > 0 && isWordCode(text.charCodeAt(s - 1))) && !(e < n && isWordCode(text.charCodeAt(e)))) {
      let end = e
      while (end > s && (text[end - 1] === '.' || (text[end - 1] === ':' && text[end - 2] !== ':'))) end--
      if (text[end] === '%') {
        let z = end + 1
        while (z < n && z - end <= 16 && (isWordCode(text.charCodeAt(z)) || text[z] === '.')) z++
        if (z > end + 1) end = z
      }
      const candidate = text.slice(s, end)
      if (isValidIpv6(candidate)) out.push({ entity: 'IP_ADDRESS', start: s, end, score: 0.85 })
    }
    i = next
  }
}

// In any letter case ("de89 3704 …", "Gb82west…"), solid or in groups of spaces or dashes.
const IBAN_RE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,34}(?![A-Za-z0-9])/g

function scanIbans(text: string, out: PiiMatch[], clusters: WindowSet): void {
  execInWindows(IBAN_RE, text, clusters, (m, at) => {
    const len = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()]
    if (!len) return
    // Cut after exactly `len` alphanumerics, at a group boundary ("… 0130 00 IS MINE").
    const raw = m[0]
    let count = 0
    let cut = -1
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i)
      if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) count++
      if (count === len) {
        cut = i + 1
        break
      }
    }
    if (cut < 0) return
    const next = raw.charCodeAt(cut)
    if (cut < raw.length && ((next >= 48 && next <= 57) || (next >= 65 && next <= 90) || (next >= 97 && next <= 122))) return
    // The checksum read in place, on the match cut after its country's length.
    if (ibanMod97(raw, cut) !== 1) return
    out.push({ entity: 'IBAN_CODE', start: at, end: at + cut, score: 1 })
    // Go on right after the IBAN (indices of the window the expression is running over).
    IBAN_RE.lastIndex = m.index + cut
  })
}

const SECRET_PREFIXED =
  /(?<![\w-])(?:sk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-|admin\d\d-)?)?[A-Za-z0-9_-]{20,200}|csk-[A-Za-z0-9]{20,200}|gh[pousr]_[A-Za-z0-9]{30,100}|github_pat_[A-Za-z0-9_]{40,120}|xox[abposr]-[A-Za-z0-9-]{10,200}|(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,60}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,200}|whsec_[A-Za-z0-9]{20,100}|SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{20,64}|hf_[A-Za-z0-9]{30,60}|npm_[A-Za-z0-9]{30,60}|pypi-[A-Za-z0-9_-]{50,300}|eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,1000})(?![A-Za-z0-9_-])/g

// The keyword may end an identifier (db_password, my-api-key): only a letter or digit right before it is refused.
const SECRET_ASSIGNMENT = new RegExp(`(?<![A-Za-z0-9])(${SECRET_KEYWORDS})["']?\\s{0,3}(?::|=|=>|\\bis\\b)\\s{0,3}["']?(${SECRET_VALUE}{6,200})`, 'gi')

const BEARER = /\bbearer\s{1,3}([A-Za-z0-9._~+/-]{20,2000}=*)/gi

const PLACEHOLDER =
  /^(?:\$\{?[A-Za-z_]|<|\{\{|%[A-Za-z_]|\[[A-Z_]+\])|^(?:x+|\*+|\.+|<.*>|\$\{.*\}|\{\{.*\}\}|%.*%|changeme|password\d*|secret|your[_-].*|my[_-].*|example.*|placeholder|none|null|undefined|true|false|redacted|process\.env.*|os\.environ.*|env\(.*|getenv.*)$/i

function scanSecrets(text: string, out: PiiMatch[], cues: PiiCues): void {
  execInWindows(SECRET_PREFIXED, text, cues.secretPrefix, (m, at) => {
    const tok = m[0]
    const body = tok.replace(
      /^(?:sk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-|admin\d\d-)?)?|csk-|gh[pousr]_|github_pat_|xox[abposr]-|glpat-|(?:sk|rk)_(?:live|test)_|whsec_|hf_|npm_|pypi-)/,
      '',
    )
    const entropy = shannonEntropy(body)
    out.push({ entity: 'SECRET', start: at, end: at + tok.length, score: entropy >= 3 ? 0.95 : 0.4 })
  })
  execInWindows(SECRET_ASSIGNMENT, text, cues.secretKeyword, (m, at) => {
    const key = m[1].toLowerCase()
    const value = m[2].replace(/["']$/, '')
    if (PLACEHOLDER.test(value)) return
    const isPassword = /^(?:passwd|password|pwd|passphrase)$/.test(key)
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length
    const entropy = shannonEntropy(value)
    const ok = isPassword ? value.length >= 6 && (classes >= 2 || entropy >= 2.5) : value.length >= 12 && entropy >= 3.2 && classes >= 2
    if (!ok) return
    const start = at + m[0].length - m[2].length
    out.push({ entity: 'SECRET', start, end: start + value.length, score: 0.8 })
  })
  execInWindows(BEARER, text, cues.bearer, (m, at) => {
    if (shannonEntropy(m[1]) < 3) return
    const start = at + m[0].length - m[1].length
    out.push({ entity: 'SECRET', start, end: start + m[1].length, score: 0.85 })
  })
  // PEM private keys span lines; found with two searches so many headers cannot cost quadratic time.
  let from = 0
  for (;;) {
    const begin = text.indexOf('-----BEGIN', from)
    if (begin < 0) break
    const headerEnd = text.indexOf('-----', begin + 10)
    if (headerEnd < 0 || headerEnd - begin > 60 || !/PRIVATE KEY$/.test(text.slice(begin + 10, headerEnd).trim())) {
      from = begin + 10
      continue
    }
    const endMarker = text.indexOf('-----END', headerEnd + 5)
    if (endMarker < 0) {
      out.push({ entity: 'SECRET', start: begin, end: text.length, score: 0.95 })
      break
    }
    const close = text.indexOf('-----', endMarker + 8)
    const end = close < 0 ? text.length : close + 5
    out.push({ entity: 'SECRET', start: begin, end, score: 1 })
    from = end
  }
}

const DATE_NUM_RE = /(?<![\d/.-])(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?![\d/]|[.-]\d)/g
const MONTH = `(${MONTH_NAMES})`
const DATE_TEXT_RE = new RegExp(
  `\\b(?:(\\d{1,2})(?:st|nd|rd|th)?\\s{1,3}(?:of\\s{1,3})?${MONTH}\\.?,?\\s{1,3}(\\d{4})|${MONTH}\\.?\\s{1,3}(\\d{1,2})(?:st|nd|rd|th)?,?\\s{1,3}(\\d{4}))\\b`,
  'gi',
)

function scanBirthDates(text: string, out: PiiMatch[], nowYear: number, near: WindowSet): void {
  // A birth date needs a birth word in its sentence (within 48 characters before it, or right after it).
  if (near.empty) return
  // The cue must be in the same sentence: "born … . Meeting on 2024-05-01" is not a birth date.
  const hasContext = (s: number, e: number) => {
    const before = windowBefore(text, s, 48)
    const cut = Math.max(before.lastIndexOf('. '), before.lastIndexOf('\n'), before.lastIndexOf('; '), before.lastIndexOf('! '), before.lastIndexOf('? '))
    const after = text.slice(e, e + 16).toLowerCase()
    const sentence = before.slice(cut + 1)
    // "birthday party on 2024-07-14" dates the party, not a birth.
    if (/\bbirthday\s+(?:party|celebration|cake|gift|present|dinner|card|bash|plans?)\b/.test(sentence + text.slice(e, e + 30).toLowerCase())) return false
    return (
      CONTEXT.DATE_OF_BIRTH.test(sentence) ||
      CONTEXT.DATE_OF_BIRTH.test(before.slice(-12)) ||
      /^\W{0,3}\(?(?:dob|d\.o\.b|date\s+of\s+birth|birthday)\b/.test(after)
    )
  }
  execInWindows(DATE_NUM_RE, text, near, (m, at) => {
    const [a, b, c] = [Number(m[1]), Number(m[3]), Number(m[4])]
    let ok: boolean
    if (m[1].length === 4) ok = isPlausibleBirthDate(a, b, c, nowYear)
    else if (m[1].length <= 2 && (m[4].length === 4 || m[4].length === 2)) ok = isPlausibleBirthDate(c, b, a, nowYear) || isPlausibleBirthDate(c, a, b, nowYear)
    else ok = false
    const end = at + m[0].length
    if (ok && hasContext(at, end)) out.push({ entity: 'DATE_OF_BIRTH', start: at, end, score: 0.9 })
  })
  execInWindows(DATE_TEXT_RE, text, near, (m, at) => {
    const day = Number(m[1] ?? m[5])
    const month = monthNumber(m[2] ?? m[4])
    const year = Number(m[3] ?? m[6])
    const end = at + m[0].length
    if (month && isPlausibleBirthDate(year, month, day, nowYear) && hasContext(at, end)) {
      out.push({ entity: 'DATE_OF_BIRTH', start: at, end, score: 0.9 })
    }
  })
}

const CVV_RE = /\b(?:cvv2?|cvc2?|csc|cid|security\s+code|card\s+verification(?:\s+(?:value|code))?)\b\s{0,3}(?:[:#=-]|is)?\s{0,3}(\d{3,4})\b/gi
const CARDHOLDER_RE = new RegExp(`\\b(?:${CARDHOLDER_CUE})\\b\\s{0,3}(?:[:=-]|is)?\\s{0,3}([A-Z][a-zA-Z'-]{1,30}(?:[ ][A-Z][a-zA-Z'-]{1,30}){1,3})`, 'gi')

function scanPci(text: string, out: PiiMatch[], cues: PiiCues): void {
  execInWindows(CVV_RE, text, cues.cvv, (m, at) => {
    const start = at + m[0].length - m[1].length
    out.push({ entity: 'CARD_CVV', start, end: start + m[1].length, score: 0.85 })
  })
  execInWindows(CARDHOLDER_RE, text, cues.cardholder, (m, at) => {
    const name = m[1]
    // The cue is matched case-insensitively; the name itself must be capitalised words.
    if (!/^[A-Z][a-z'-]+(?: [A-Z][a-zA-Z'-]+)+$/.test(name)) return
    const start = at + m[0].length - name.length
    out.push({ entity: 'CARDHOLDER_NAME', start, end: start + name.length, score: 0.85 })
  })
}

const MRN_RE = /\b(?:mrn|medical\s+record(?:\s+(?:number|no\.?|#))?|patient\s+(?:id|number))\b\s{0,3}(?:[:#=-]|is)?\s{0,3}([A-Z0-9][A-Z0-9-]{4,15})\b/gi
const INSURANCE_RE =
  /\b(?:member\s+(?:id|number|#)|policy\s+(?:number|no\.?|#)|insurance\s+(?:id|number|no\.?)|subscriber\s+(?:id|number)|group\s+(?:number|no\.?)|medicare\s+(?:number|id|#)|medicaid\s+(?:number|id|#)|mbi)\b\s{0,3}(?:[:#=-]|is)?\s{0,3}([A-Z0-9][A-Z0-9-]{5,20})\b/gi
const NPI_RE = /(?<!\d)\d{10}(?!\d)/g

function scanHealthcare(text: string, out: PiiMatch[]): void {
  MRN_RE.lastIndex = 0
  for (let m = MRN_RE.exec(text); m; m = MRN_RE.exec(text)) {
    if (!/\d/.test(m[1])) continue
    const start = m.index + m[0].length - m[1].length
    out.push({ entity: 'MEDICAL_RECORD_NUMBER', start, end: start + m[1].length, score: 0.85 })
  }
  INSURANCE_RE.lastIndex = 0
  for (let m = INSURANCE_RE.exec(text); m; m = INSURANCE_RE.exec(text)) {
    if (!/\d/.test(m[1])) continue
    const start = m.index + m[0].length - m[1].length
    out.push({ entity: 'INSURANCE_ID', start, end: start + m[1].length, score: 0.8 })
  }
  NPI_RE.lastIndex = 0
  for (let m = NPI_RE.exec(text); m; m = NPI_RE.exec(text)) {
    // NPI check digit: Luhn over "80840" + the ten digits.
    if (!/^[12]/.test(m[0]) || !luhnValid('80840' + m[0])) continue
    const near = /\bnpi\b|national\s+provider/.test(windowBefore(text, m.index, 40))
    if (near) out.push({ entity: 'NPI', start: m.index, end: m.index + 10, score: 0.9 })
  }
}

/**
 * Keep the best of overlapping matches (higher score, then longer), in one
 * sweep by start position: O(k log k) even for inputs with many candidates.
 */
export function resolveOverlaps<T extends { start: number; end: number; score: number }>(matches: T[]): T[] {
  if (matches.length <= 1) return [...matches]
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: T[] = []
  for (const m of sorted) {
    const last = kept[kept.length - 1]
    if (!last || m.start >= last.end) {
      kept.push(m)
    } else if (m.score > last.score || (m.score === last.score && m.end - m.start > last.end - last.start)) {
      kept[kept.length - 1] = m
    }
  }
  return kept
}

/** Texts up to this long are scanned whole, without looking for cues first. */
const WHOLE_TEXT = 512

/** Cues that put every pattern over the whole text (those with digits only when it has digits). */
function wholeTextCues(text: string): PiiCues {
  const all = new WindowSet(text.length)
  all.add(0, text.length)
  const none = new WindowSet(text.length)
  const digits = /\d/.test(text) ? all : none
  // Birth dates need a birth word somewhere (most texts have none: the date patterns then stay idle).
  const birth = BIRTH_WORD.test(text) ? all : none
  return { digits, numbers: digits, secretPrefix: all, secretKeyword: all, bearer: all, birth, cvv: all, cardholder: all }
}
const BIRTH_WORD = /born|birth|dob|d\.o\.b|bday|b-day|geboren|nacid/i

export class PiiDetector {
  readonly minScore: number
  private readonly nowYear: number

  constructor(private readonly opts: PiiOptions) {
    this.minScore = opts.minScore ?? 0.5
    this.nowYear = opts.nowYear ?? new Date().getFullYear()
  }

  /** `shared`: scans of this chain run, whose PII cues this detector reuses. */
  detect(text: string, shared?: SharedScans): PiiMatch[] {
    if (!text) return []
    const all: PiiMatch[] = []
    if (text.indexOf('@') >= 0) scanEmails(text, all)
    // The injection detector's pass over the same message may have found the cues already; a short text is
    // cheaper to scan whole than to find cues in.
    const cues = text.length <= WHOLE_TEXT ? wholeTextCues(text) : (shared?.piiCues(text) ?? findPiiCues(text))
    if (!cues.digits.empty) {
      // Cards, phones and IPv4 addresses never touch letters; SSNs and IBANs may.
      if (this.opts.pciMode) scanCards(text, all, cues.numbers)
      scanSsns(text, all, cues.digits)
      scanIbans(text, all, cues.digits)
      scanPhones(text, all, cues.numbers, { left: PHONE_CHECKS_PER_TEXT })
      scanIps(text, all, cues.numbers)
      scanBirthDates(text, all, this.nowYear, cues.birth)
      if (this.opts.healthcareMode) scanHealthcare(text, all)
    }
    scanSecrets(text, all, cues)
    if (this.opts.pciMode) scanPci(text, all, cues)
    for (const c of this.opts.custom) {
      for (const [s, e] of c.regex.matchAll(text, { limit: 1000 })) all.push({ entity: c.entity, start: s, end: e, score: c.score })
    }
    return resolveOverlaps(all.filter((m) => m.score >= this.minScore))
  }

  /**
   * For a text that is still growing (a streamed answer): the earliest index
   * from which detect() could find something else once more text is
   * appended. Everything before it is settled, so it can be redacted and
   * shown now and detect() over the whole text will agree (pii-pending.ts).
   */
  pendingFrom(text: string): number {
    return pendingFrom(text, this.opts)
  }
}
