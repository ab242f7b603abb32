/**
 * Turn what a user types into the search box into an FTS5 MATCH expression
 * that cannot be a syntax error: every word and "quoted phrase" becomes a
 * quoted FTS string (so AND, OR, NEAR, `-` and `:` are plain text), all terms
 * must match, and the last bare word also matches as a prefix because the
 * user is probably still typing it.
 *
 * Returns null when nothing searchable is left (empty, or punctuation only).
 */
export function toFtsQuery(input: string): string | null {
  const terms = searchTerms(input)
  if (terms.length === 0) return null
  return terms.map((t) => `"${t.text.replace(/"/g, '""')}"${t.prefix ? '*' : ''}`).join(' ')
}

export interface SearchTerm {
  /** The word or the quoted phrase's text, as typed. */
  text: string
  /** Its last token also matches as a prefix (the last bare word, while the user is typing it). */
  prefix: boolean
}

/** The terms of what the user typed, as toFtsQuery searches them (and the snippets mark them). */
export function searchTerms(input: string): SearchTerm[] {
  const terms: { text: string; phrase: boolean }[] = []
  const re = /"([^"]*)"?|(\S+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(input)) !== null) {
    if (m[1] !== undefined) terms.push({ text: m[1], phrase: true })
    else terms.push({ text: m[2], phrase: false })
  }
  // unicode61 drops everything that is not a letter or digit; a term with
  // neither would be an empty phrase, which FTS5 rejects.
  const searchable = terms.filter((t) => /[\p{L}\p{N}]/u.test(t.text))
  return searchable.map((t, i) => ({ text: t.text, prefix: i === searchable.length - 1 && !t.phrase && !input.endsWith(' ') }))
}
