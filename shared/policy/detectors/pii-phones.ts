import { type CountryCode, getCountryCallingCode, Metadata, type NumberingPlan, parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * National phone numbers written without a country code ("612 345 678",
 * "412 34 567", "(11) 98765-4321"): validated per region against Google's
 * numbering plans (libphonenumber-js, "max" metadata, which checks the digits
 * of each number type and not only the length). Which regions are tried
 * follows the language of the words around the number ("llámame" → Spain and
 * Latin America, "ring meg" → Norway), then a fixed list of regions whose
 * numbers are commonly written without a trunk prefix.
 *
 * A validation costs microseconds, so it runs only where its answer can
 * change the verdict, and at most PHONE_CHECKS_PER_TEXT times per text.
 */

/**
 * Words that say a number nearby is a phone number, in the languages of the
 * regions below (matched on lower-case text). "Number" words alone
 * (número, Nummer) are not among them: an order has a number too.
 */
export const PHONE_CUE = new RegExp(
  '\\b(?:' +
    [
      // en
      'phone',
      'tel',
      'telephone',
      'mobile',
      'cell',
      'call',
      'calls',
      'fax',
      'whatsapp',
      'sms',
      'text\\s+me',
      'contact',
      'reach',
      'dial',
      'ring',
      'hotline',
      // es, pt
      'tel[eé]fono',
      'm[oó]vil',
      'll[aá]m(?:a|ame|eme|enos|ar)',
      'celular',
      'contacto',
      'contato',
      'telefone',
      'telem[oó]vel',
      'liga-(?:me|nos)',
      'ligar',
      'ligue',
      'liga\\s+(?:para|pra)',
      // de
      'telefon\\w*',
      'handy\\w*',
      'mobil\\w*',
      'rufnummer',
      'festnetz',
      'anrufen',
      'ruf(?:en)?\\s+(?:sie|mich|uns)',
      'erreich(?:en|bar)',
      // fr
      't[ée]l[ée]phone',
      't[ée]l',
      'portable',
      'appel(?:le|lez|er)',
      'joindre',
      // it
      'cellulare',
      'chiam(?:a|ami|are|ateci)',
      // nl
      'bel\\s+(?:ons|me|mij|gerust)',
      'bellen',
      'telefoon\\w*',
      'mobiel\\w*',
      'gsm(?:-nummer)?',
      // no, da, sv, fi
      'tlf',
      'soita',
      'puhelin\\w*',
      'numeroon',
    ].join('|') +
    ')\\b',
)

/** Phone words by language, with the regions whose numbers they usually introduce. */
const CUES: ReadonlyArray<[RegExp, readonly CountryCode[]]> = [
  [/\b(?:tel[eé]fono|m[oó]vil|ll[aá]m(?:a|ame|eme|enos|ar)|celular|contacto|n[uú]mero)\b/, ['ES', 'MX', 'AR', 'CO', 'CL', 'PE']],
  [/\b(?:telefone|telem[oó]vel|celular|liga-(?:me|nos)|ligar|ligue|liga\s+(?:para|pra)|contacto|contato)\b/, ['PT', 'BR']],
  [/\b(?:telefon\w*|handy\w*|rufnummer|festnetz|anrufen|ruf(?:en)?\s+(?:sie|mich|uns)|erreich(?:en|bar))\b/, ['DE', 'AT', 'CH']],
  [/\b(?:t[ée]l[ée]phone|t[ée]l|portable|appel(?:le|lez|er)|joindre|num[ée]ro)\b/, ['FR', 'BE', 'CH', 'LU']],
  [/\b(?:telefono|cellulare|chiam(?:a|ami|are|ateci)|numero)\b/, ['IT', 'CH']],
  [/\b(?:bel\s+(?:ons|me|mij|gerust)|bellen|telefoon\w*|mobiel\w*|gsm(?:-nummer)?)\b/, ['NL', 'BE']],
  [/\b(?:ring\s+(?:meg|oss|til)|mobil\w*|tlf|telefon\w*|nummer\w*)\b/, ['NO', 'DK', 'SE']],
  [/\b(?:soita|puhelin\w*|numeroon)\b/, ['FI']],
]

/**
 * Regions tried for every national number after those its words point at:
 * where numbers are written without a trunk prefix (a number with one, "020 …",
 * is read by its shape alone), or with an area code in parentheses that has
 * none ("(11) 98765-4321").
 */
const DEFAULT_REGIONS: readonly CountryCode[] = ['ES', 'PT', 'NO', 'DK', 'IT', 'BR', 'MX']

/** Region checks per text at most; past this, national numbers are scored on their words alone. */
export const PHONE_CHECKS_PER_TEXT = 96

/** A per-text budget of region checks (one object per detect() call). */
export interface PhoneBudget {
  left: number
}

/** The regions to try for a number whose surrounding words (lower case) are `around`, in order. */
export function regionsFor(around: string): CountryCode[] {
  const out: CountryCode[] = []
  for (const [re, regions] of CUES) if (re.test(around)) for (const r of regions) if (!out.includes(r)) out.push(r)
  for (const r of DEFAULT_REGIONS) if (!out.includes(r)) out.push(r)
  return out
}

export interface NationalCheck {
  /** The first region in whose numbering plan the number is valid. */
  region: CountryCode
  /** Whether it is grouped the way that region writes its numbers ("612 34 56 78" in Spain, "(030) 1234567" in Germany). */
  formatted: boolean
}

const groupsOf = (s: string) => s.split(/\D+/).filter(Boolean)

/** Lengths of each region's national numbers (libphonenumber's metadata), read once per region. */
const lengthsCache = new Map<CountryCode, number[]>()
function possibleLengths(region: CountryCode): number[] {
  let lengths = lengthsCache.get(region)
  if (!lengths) {
    const metadata = new Metadata()
    metadata.selectNumberingPlan(region)
    lengths = metadata.numberingPlan?.possibleLengths() ?? []
    lengthsCache.set(region, lengths)
  }
  return lengths
}
/** Whether `digits` digits can be a national number of `region`, with up to two digits of trunk or carrier prefix: a check of lengths before the parse. */
const fitsLength = (region: CountryCode, digits: number) => possibleLengths(region).some((l) => digits >= l && digits <= l + 2)

/**
 * What a region's parse can take from the front of a national number: null when
 * it may strip a national prefix (then nothing is known without parsing), else
 * its calling code and international prefix, which the parse reads as the
 * start of an international number ("4512345678" in Denmark, "1220…" in Chile).
 */
interface Front {
  callingCode: string
  idd: RegExp
}
const frontCache = new Map<CountryCode, Front | null>()
function frontOf(region: CountryCode): Front | null {
  let front = frontCache.get(region)
  if (front === undefined) {
    const metadata = new Metadata()
    metadata.selectNumberingPlan(region)
    // The national prefixes are read by the library's numbering plan but left out of its typings: without them, nothing is skipped.
    const plan = metadata.numberingPlan as
      (NumberingPlan & Partial<Record<'nationalPrefix' | 'nationalPrefixForParsing', () => string | undefined>>) | undefined
    const known = plan && typeof plan.nationalPrefix === 'function' && typeof plan.nationalPrefixForParsing === 'function'
    front =
      !known || plan.nationalPrefix!() || plan.nationalPrefixForParsing!()
        ? null
        : { callingCode: getCountryCallingCode(region), idd: new RegExp(`^(?:${plan.IDDPrefix() || '$^'})`) }
    frontCache.set(region, front)
  }
  return front
}

/**
 * A parse that cannot give a valid number, known without it: in a region that
 * strips no national prefix, a number of digits and separators only (no
 * extension letters) that starts with neither the region's calling code nor its
 * international prefix keeps all its digits, and their count is none of the
 * region's lengths.
 */
export function surelyInvalid(raw: string, digits: string, region: CountryCode): boolean {
  if (possibleLengths(region).includes(digits.length)) return false
  const front = frontOf(region)
  if (!front || digits.startsWith(front.callingCode) || front.idd.test(digits)) return false
  return !/[^\d\s().-]/.test(raw)
}

/**
 * The region in which `raw` (a national number, no country code) is a valid
 * phone number, trying `regions` in order; undefined when none is, or the
 * budget ran out (null then, so the caller can tell "unknown" from "no").
 */
export function checkNational(raw: string, regions: readonly CountryCode[], budget: PhoneBudget): NationalCheck | undefined | null {
  const groups = groupsOf(raw)
  const digits = groups.reduce((n, g) => n + g.length, 0)
  let solid: string | undefined
  for (const region of regions) {
    if (!fitsLength(region, digits)) continue
    if (budget.left <= 0) return null
    budget.left--
    // Counted as a check all the same, so the budget runs out where it did.
    if (surelyInvalid(raw, (solid ??= groups.join('')), region)) continue
    const parsed = parsePhoneNumberFromString(raw, { defaultCountry: region, extract: false })
    if (!parsed?.isValid()) continue
    const national = groupsOf(parsed.formatNational())
    const formatted = groups.length > 1 && national.length === groups.length && national.every((g, i) => g === groups[i])
    return { region: parsed.country ?? region, formatted }
  }
  return undefined
}
