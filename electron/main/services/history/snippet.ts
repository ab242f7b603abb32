import { SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/ipc/domains/history'

import type { SearchTerm } from './fts-query'

/**
 * The passage of a run's text that a search matched, hits marked, as FTS5's
 * snippet() gives it (the search index keeps no copy of the text: it is
 * stored once, compressed, in `texts`). Words are split and folded as the
 * index's tokenizer does (unicode61, remove_diacritics 2: letters, digits
 * and private-use characters; case and accents folded).
 */

/** Tokens in a passage, as snippet(…, 16) was asked for. */
export const SNIPPET_TOKENS = 16
const ELLIPSIS = '…'

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/

function fold(token: string): string {
  return ASCII.test(token) ? token.toLowerCase() : token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

interface Token {
  start: number
  end: number
  folded: string
}

function tokens(text: string): Token[] {
  const out: Token[] = []
  for (const m of text.matchAll(TOKEN)) out.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) })
  return out
}

/** The passage with the hits marked, or null when none of the terms is in `text`. */
export function snippetOf(text: string, terms: readonly SearchTerm[]): string | null {
  // Most texts of a page hold none of the words: when terms and text are plain ASCII (nothing to fold but case), a substring test says so without splitting the text.
  if (ASCII.test(text) && terms.every((t) => ASCII.test(t.text))) {
    const lower = text.toLowerCase()
    if (!terms.some((t) => tokens(t.text).every((w) => lower.includes(w.folded)))) return null
  }
  const toks = tokens(text)
  const hit = new Array<boolean>(toks.length).fill(false)
  /** Per token: which term matched starting there (for choosing the passage with the most terms). */
  const termAt = new Map<number, number>()
  terms.forEach((term, ti) => {
    const want = tokens(term.text).map((t) => t.folded)
    if (!want.length) return
    for (let i = 0; i + want.length <= toks.length; i++) {
      const ok = want.every((w, k) => (term.prefix && k === want.length - 1 ? toks[i + k].folded.startsWith(w) : toks[i + k].folded === w))
      if (!ok) continue
      for (let k = 0; k < want.length; k++) hit[i + k] = true
      if (!termAt.has(i)) termAt.set(i, ti)
    }
  })
  if (termAt.size === 0) return null
  // The window of SNIPPET_TOKENS tokens holding the most different terms (then the most hits), the earliest of equals.
  const starts = [...termAt.keys()].sort((a, b) => a - b)
  let best = { first: starts[0], score: -1 }
  for (const s of starts) {
    const inWindow = starts.filter((p) => p >= s && p < s + SNIPPET_TOKENS)
    const score = new Set(inWindow.map((p) => termAt.get(p))).size * 1000 + inWindow.length
    if (score > best.score) best = { first: s, score }
  }
  // Centre the hits in the window, kept within the text.
  const lastHit = Math.max(...starts.filter((p) => p >= best.first && p < best.first + SNIPPET_TOKENS))
  const span = lastHit - best.first + 1
  let from = Math.max(0, best.first - Math.floor((SNIPPET_TOKENS - span) / 2))
  from = Math.max(0, Math.min(from, toks.length - SNIPPET_TOKENS))
  const to = Math.min(toks.length, from + SNIPPET_TOKENS)
  let out = from === 0 ? text.slice(0, toks[0].start) : ELLIPSIS
  for (let i = from; i < to; i++) {
    const t = toks[i]
    out += hit[i] ? `${SNIPPET_OPEN}${text.slice(t.start, t.end)}${SNIPPET_CLOSE}` : text.slice(t.start, t.end)
    if (i + 1 < to) out += text.slice(t.end, toks[i + 1].start)
  }
  out += to === toks.length ? text.slice(toks[toks.length - 1].end) : ELLIPSIS
  return out
}
