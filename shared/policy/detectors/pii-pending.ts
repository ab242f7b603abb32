import type { SafeRegex } from '../regex/index'
import { CARDHOLDER_CUE, MONTH_NAMES, SECRET_KEYWORDS, SECRET_VALUE } from './pii-sources'

/**
 * Where a growing text (a streamed answer) is still undecided for the PII
 * detector: the earliest index from which what detect() finds could change
 * once more text is appended. Everything before it is settled, so a stream
 * can redact and show it at once, and detect() over the finished text finds
 * the same there. Each rule keeps the shortest tail that some pattern could
 * still be reading:
 *
 * - a trailing run of characters that no-space matches are made of (emails,
 *   keys and tokens, IPv6, IBANs written solid, numeric dates): "Hello wor"
 *   keeps "wor", which could yet become wor@example.com;
 * - digits near the end: numbers (cards, phones, SSNs, IBANs, IP addresses,
 *   dates) are scored on the words up to 24 characters after them (30 for a
 *   birth date), so the last group of numbers (digits joined by what one
 *   match may hold between them) is kept, from its start, until that much
 *   text has followed it;
 * - a secret's value after its keyword (`password: hunter2!`), a month
 *   name that may start a date, a cardholder's name, an open private-key
 *   block, and a user pattern whose automaton is still alive at the end.
 *
 * Text with none of these at its end is all settled: prose goes out as it
 * comes, with at most its last, unfinished word held.
 */

export interface PendingOptions {
  pciMode: boolean
  custom: Array<{ regex: SafeRegex }>
}

/** Characters of matches that contain no whitespace: emails, keys, bearer tokens, IPv6, solid IBANs, numeric dates, `a@b.c:` remotes. */
const isRunCode = (c: number) =>
  (c >= 48 && c <= 58) || // 0-9 :
  (c >= 64 && c <= 90) || // @ A-Z
  (c >= 97 && c <= 122) || // a-z
  c === 37 || // %
  c === 43 || // +
  c === 45 || // -
  c === 46 || // .
  c === 47 || // /
  c === 61 || // =
  c === 95 || // _
  c === 126 // ~

const isDigitCode = (c: number) => c >= 48 && c <= 57

/**
 * A number's score reads up to 24 characters after it (a birth date's, 30):
 * digits closer than this to the end are not settled.
 */
const AFTER_WINDOW = 30
/** The most non-digits one match holds between two of its digits ("th of September, " in "14th of September, 1990"). */
const MAX_GAP = 24
/**
 * What one match may hold between two of its digits: a separator ("4111 1111",
 * "10.0.0.1", "1990/02/14"), a phone's brackets and extension ("(415) 555",
 * " ext. 12"), a date's words ("14th of March, 1990", "March 3, 1990").
 * Digits with such a gap are one group; a gap like " | " in a table parts them.
 */
const NUMBER_GAP = new RegExp(
  `^(?:[ .\\/-]|[ .-]?\\(|\\)[ .-]?|\\s?(?:ext\\.?|x)\\s?|(?:st|nd|rd|th)?,?\\s{1,3}|(?:st|nd|rd|th)?\\s{1,3}(?:of\\s{1,3})?(?:${MONTH_NAMES})\\.?,?\\s{1,3})$`,
  'i',
)
/** An IBAN's letters between digits ("GB82 WEST 1234", in any case). */
const IBAN_GAP = /^(?:[ -]?[A-Za-z])+[ -]?$/
/** Tails are looked for in this many last characters (longer than any match they describe). */
const TAIL = 256

/** What may stand before a number's first digit and belong to its match: a month name, "+", "(" (an IBAN's country is part of its run). */
const NUMBER_PREFIX = new RegExp(`(?:\\b(?:${MONTH_NAMES})\\.?\\s{1,3}|\\+\\s?|\\()$`, 'i')
/** What a phone number may start with before its first digit. */
const NUMBER_START_TAIL = /(?:\(|\+\s?)$/
/** A secret's keyword and separator, and the part of the value that has come. */
const ASSIGNMENT_TAIL = new RegExp(`(?<![A-Za-z0-9])(?:${SECRET_KEYWORDS})["']?\\s{0,3}(?::|=>?|\\bis\\b)\\s{0,3}["']?${SECRET_VALUE}{0,200}$`, 'i')
/** A month name that a day and year may follow ("born on March 3, 1990"). */
const MONTH_TAIL = new RegExp(`\\b(?:${MONTH_NAMES})\\.?\\s{1,3}$`, 'i')
/** An IBAN in groups ("DE89 3704 0044 "), which may end in letters. */
const IBAN_TAIL = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){0,34}[ -]?$/
/** A cardholder cue and the words of a name after it (up to four words, matched case-insensitively). */
const CARDHOLDER_TAIL = new RegExp(
  `\\b(?:${CARDHOLDER_CUE})\\b\\s{0,3}(?:[:=-]|is)?\\s{0,3}([A-Za-z][a-zA-Z'-]{0,30}(?: [A-Za-z][a-zA-Z'-]{0,30}){0,3} ?)$`,
  'i',
)

export function pendingFrom(text: string, opts: PendingOptions): number {
  const n = text.length
  let from = n
  const hold = (at: number) => {
    if (at >= 0 && at < from) from = at
  }

  // A run of match characters at the end.
  let r = n
  while (r > 0 && isRunCode(text.charCodeAt(r - 1))) r--
  hold(r)

  // The last group of numbers, if it ends within the after-window: from its first digit (and what may precede it).
  let d = n - 1
  while (d >= 0 && n - 1 - d < AFTER_WINDOW && !isDigitCode(text.charCodeAt(d))) d--
  if (d >= 0 && n - 1 - d < AFTER_WINDOW) {
    let first = d
    for (let k = d - 1; k >= 0 && (first - k - 1 <= MAX_GAP || n - 1 - k < AFTER_WINDOW); k--) {
      if (!isDigitCode(text.charCodeAt(k))) continue
      const gap = text.slice(k + 1, first)
      if (n - 1 - k < AFTER_WINDOW || !gap || NUMBER_GAP.test(gap) || IBAN_GAP.test(gap)) first = k
      else break
    }
    const before = NUMBER_PREFIX.exec(text.slice(Math.max(0, first - 16), first))
    hold(first - (before ? before[0].length : 0))
  }

  const tailStart = Math.max(0, n - TAIL)
  const tail = text.slice(tailStart)
  for (const re of [NUMBER_START_TAIL, ASSIGNMENT_TAIL, MONTH_TAIL, IBAN_TAIL]) {
    const m = re.exec(tail)
    if (m) hold(tailStart + m.index)
  }
  // The name, not its cue: the cue is context, kept anyway.
  const holder = opts.pciMode ? CARDHOLDER_TAIL.exec(tail) : null
  if (holder) hold(tailStart + holder.index + holder[0].length - holder[1].length)

  // A private-key block that has not closed yet (or a header still being written).
  const begin = text.lastIndexOf('-----BEGIN')
  if (begin >= 0) {
    const headerEnd = text.indexOf('-----', begin + 10)
    const end = headerEnd < 0 ? -1 : text.indexOf('-----END', headerEnd + 5)
    const closed = end >= 0 && text.indexOf('-----', end + 8) >= 0
    if (!closed && (headerEnd >= 0 || n - begin <= 70)) hold(begin)
  }

  for (const c of opts.custom) hold(c.regex.pendingStart(text, 0))

  // Never inside a run: the part before would be scanned without the run's start.
  while (from > 0 && from < n && isRunCode(text.charCodeAt(from - 1)) && isRunCode(text.charCodeAt(from))) from--
  return from
}
