import type { CompiledChain } from './engine/chain'

/**
 * Why a History search may find nothing: runs are stored as they were sent
 * and answered, so under a policy whose pii-detector redacts, an email typed
 * into the search box was never stored (its placeholder was). The same
 * detector and markers as enforcement (CompiledChain.redactionsIn) say which
 * parts of the search term would have been removed, and what to search for
 * instead.
 */

export interface RedactedSearchTerm {
  /** The kind of personal data (EMAIL_ADDRESS, PHONE_NUMBER, a custom detector's name…). */
  entity: string
  /** What the redactor writes in its place, exactly (e.g. [EMAIL_ADDRESS], [EMAIL_ADDRESS_1], ********). */
  placeholder: string
  /** What to search for to find runs where one was redacted; null when the placeholder holds nothing searchable (asterisks). */
  search: string | null
}

/** The kinds of personal data in `term` that `chain` removes before a run is stored, one per kind, in the order typed. */
export function redactedSearchTerms(chain: Pick<CompiledChain, 'redactionsIn'>, term: string): RedactedSearchTerm[] {
  const out: RedactedSearchTerm[] = []
  for (const r of chain.redactionsIn(term)) {
    if (out.some((t) => t.entity === r.entity)) continue
    out.push({ entity: r.entity, placeholder: r.marker, search: searchFor(r.marker) })
  }
  return out
}

/**
 * The placeholder as a search: without the per-value number of numbered
 * markers ([EMAIL_ADDRESS_2] → [EMAIL_ADDRESS], which the search matches for
 * every number) and the asterisks that pad it to the value's length; null
 * when no letter or digit is left (History's search only sees those).
 */
function searchFor(marker: string): string | null {
  const bare = marker.replace(/^(\[[A-Z0-9_]+?)_\d+\]/, '$1]').replace(/(?<=\])\*+$/, '')
  return /[\p{L}\p{N}]/u.test(bare) ? bare : null
}

const KIND_NAMES: Record<string, string> = {
  EMAIL_ADDRESS: 'Emails',
  PHONE_NUMBER: 'Phone numbers',
  CREDIT_CARD: 'Card numbers',
  CARD_CVV: 'Card security codes',
  CARDHOLDER_NAME: 'Cardholder names',
  IBAN_CODE: 'IBANs',
  US_SSN: 'Social security numbers',
  IP_ADDRESS: 'IP addresses',
  SECRET: 'Secrets',
  DATE_OF_BIRTH: 'Dates of birth',
  MEDICAL_RECORD_NUMBER: 'Medical record numbers',
  NPI: 'NPI numbers',
  INSURANCE_ID: 'Insurance IDs',
}

/** "Emails", "Phone numbers"; a custom detector's own name otherwise. */
export function piiKindName(entity: string): string {
  return KIND_NAMES[entity] ?? `${entity} values`
}

/**
 * Why one kind cannot be found, as History says it: "Emails are redacted
 * before runs are stored (policy “x” writes [EMAIL_ADDRESS]), so they can't
 * be found"; History follows it with the search to use instead (`search`).
 */
export function redactedSearchReason(term: RedactedSearchTerm, policy: string): string {
  return `${piiKindName(term.entity)} are redacted before runs are stored (policy “${policy}” writes ${term.placeholder}), so they can't be found`
}
