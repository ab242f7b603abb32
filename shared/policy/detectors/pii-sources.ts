/**
 * Pieces of the PII patterns that two places read: the detector (pii.ts)
 * builds its expressions from them, and pii-pending.ts the expressions that
 * tell whether a streamed text ends inside such a match.
 */

/** Words that introduce a secret's value (`password: …`, `api_key = …`). */
export const SECRET_KEYWORDS =
  'api[_-]?key|apikey|api[_-]?secret|secret(?:[_-]?key)?|access[_-]?(?:key|token)|auth[_-]?token|client[_-]?secret|private[_-]?key|token|passwd|password|pwd|passphrase'

/** One character of such a value: anything but whitespace, quotes and closing punctuation. */
export const SECRET_VALUE = '[^\\s"\'`,;)}\\]]'

/** Month names and their abbreviations (dates written in words). */
export const MONTH_NAMES =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?'

/** What comes before a cardholder's name. */
export const CARDHOLDER_CUE = String.raw`card\s?holder(?:'s)?(?:\s+name)?|name\s+on\s+(?:the\s+)?card`
