import creditCardType from 'credit-card-type'

/**
 * Card issuer ranges (ISO/IEC 7812 issuer identification numbers) and the
 * lengths each issues, from the maintained table of `credit-card-type`
 * (Braintree's), plus the few ranges and lengths that table leaves out. A
 * number is a card when one range's prefix and one of its lengths fit and it
 * passes Luhn (pii-validators.ts).
 */

export interface IssuerRange {
  network: string
  /** A prefix ("4", "6011") or an inclusive range of prefixes of one length ([3528, 3589]). */
  low: string
  high: string
  lengths: readonly number[]
}

/**
 * Ranges and lengths ISO/IEC 7812 issues that the table lacks: the older
 * 15-digit JCB numbers (1800, 2131), 13-digit Visa, UATP (airline, 15 digits)
 * and a few national schemes (RuPay 82, Borica, UzCard, Humo).
 */
const SUPPLEMENT: ReadonlyArray<[network: string, low: string, high: string, lengths: number[]]> = [
  ['jcb', '1800', '1800', [15]],
  ['jcb', '2131', '2131', [15]],
  ['visa', '4', '4', [13]],
  ['uatp', '1', '1', [15]],
  ['rupay', '82', '82', [16]],
  ['borica', '2205', '2205', [16]],
  ['uzcard', '8600', '8600', [16]],
  ['humo', '9860', '9860', [16]],
]

function buildRanges(): IssuerRange[] {
  const out: IssuerRange[] = []
  for (const type of Object.values(creditCardType.types)) {
    const info = creditCardType.getTypeInfo(type)
    for (const p of info.patterns) {
      const [low, high] = Array.isArray(p) ? [String(p[0]), String(p[1])] : [String(p), String(p)]
      out.push({ network: info.type, low, high, lengths: info.lengths })
    }
  }
  for (const [network, low, high, lengths] of SUPPLEMENT) out.push({ network, low, high, lengths })
  // Most specific prefix first, so a number reads as its own network rather than a catch-all (Maestro's "6").
  return out.sort((a, b) => b.low.length - a.low.length)
}

export const ISSUER_RANGES: readonly IssuerRange[] = buildRanges()

export interface Issuer {
  network: string
  /** Digits of the range's prefix: 1 for a catch-all such as Maestro's "6", 6 for a single bank's range. */
  prefixLength: number
}

/** The most specific issuer range whose prefix and lengths fit `digits` (only digits), if any. */
export function cardIssuer(digits: string): Issuer | undefined {
  const n = digits.length
  for (const r of ISSUER_RANGES) {
    const k = r.low.length
    if (k > n || !r.lengths.includes(n)) continue
    const head = digits.slice(0, k)
    if (head >= r.low && head <= r.high) return { network: r.network, prefixLength: k }
  }
  return undefined
}
