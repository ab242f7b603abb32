import katex from 'katex'
import type { RendererExtension, TokenizerAndRendererExtension, Tokens } from 'marked'

import { matchMath } from './math-syntax'

/**
 * LaTeX in model answers, typeset with KaTeX. Reasoning models (gpt-oss)
 * write `\( … \)` and `\[ … \]`; others `$$ … $$` and `$ … $`. Markdown
 * would read `\(` and `\[` as escapes and drop the backslash, so these
 * tokenizers run before marked's own.
 *
 * - `\( … \)` inline, `\[ … \]` and `$$ … $$` display (also inside a line).
 * - `$ … $` only where it cannot be money (Pandoc's rule): no space after
 *   the opening `$`, none before the closing one, no digit right after it,
 *   no line break, backtick or other `$` inside. `$5 and $10` stays text.
 * - A `\(`, `\)`, `\[` or `\]` that does not make math keeps its backslash:
 *   the answer shows what the model sent.
 * - Code spans and code blocks are never math (their tokenizers come first).
 *
 * What counts as math is math-syntax.ts; the block splitter's inline scan
 * follows the same rules, so a streamed paragraph is never cut inside a
 * formula.
 */

// ---- typesetting

const cache = new Map<string, string>()
const CACHE_SIZE = 400

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * A formula as HTML: KaTeX's markup (with MathML for screen readers) in a
 * span that keeps the exact source, so copying a selection gives back what
 * the model sent. The open tail of a streamed answer is typeset again each
 * frame, so recent formulas are cached.
 */
export function mathHtml(tex: string, display: boolean, raw: string): string {
  const key = `${display ? 'D' : 'I'}${raw}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  let body: string
  try {
    // Untrusted input: no \href, \url or \htmlData (trust: false); bad input is shown, not thrown.
    body = katex.renderToString(tex, {
      displayMode: display,
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      errorColor: 'var(--danger)',
      output: 'htmlAndMathml',
    })
  } catch {
    body = escapeAttr(raw)
  }
  const html = `<span class="md-math${display ? ' md-math-display' : ''}" data-tex="${escapeAttr(raw)}">${body}</span>`
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
  cache.set(key, html)
  return html
}

// ---- marked extensions

interface MathToken extends Tokens.Generic {
  type: 'math' | 'mathBlock'
  raw: string
  tex: string
  display: boolean
}

interface MathLiteralToken extends Tokens.Generic {
  type: 'mathLiteral'
  raw: string
}

const BLOCK_DOLLARS = /^ {0,3}\$\$(?!\$)([\s\S]+?)\$\$[ \t]*(?:\n+|$)/
const BLOCK_BRACKETS = /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/
/** A display formula starting a line (it may interrupt a paragraph). */
const BLOCK_START = /(?:^|\n) {0,3}(?:\$\$|\\\[)/

/** `$$ … $$` or `\[ … \]` standing on its own lines. */
export const mathBlock: TokenizerAndRendererExtension = {
  name: 'mathBlock',
  level: 'block',
  start(src: string) {
    const m = BLOCK_START.exec(src)
    if (!m) return undefined
    return m.index + (m[0].startsWith('\n') ? 1 : 0)
  },
  tokenizer(src: string): MathToken | undefined {
    const m = BLOCK_DOLLARS.exec(src) ?? BLOCK_BRACKETS.exec(src)
    if (!m || !m[1].trim()) return undefined
    return { type: 'mathBlock', raw: m[0], tex: m[1], display: true }
  },
  renderer(token) {
    const t = token as MathToken
    return `<div class="md-math-block">${mathHtml(t.tex, true, t.raw.replace(/\n+$/, '').trim())}</div>`
  },
}

const INLINE_START = /\\[()[\]]|\$/

export const mathInline: TokenizerAndRendererExtension = {
  name: 'math',
  level: 'inline',
  start(src: string) {
    const m = INLINE_START.exec(src)
    return m ? m.index : undefined
  },
  tokenizer(src: string): MathToken | MathLiteralToken | undefined {
    const m = matchMath(src)
    if (!m) return undefined
    if ('literal' in m) return { type: 'mathLiteral', raw: m.raw }
    return { type: 'math', raw: m.raw, tex: m.tex, display: m.display }
  },
  renderer(token) {
    const t = token as MathToken
    return mathHtml(t.tex, t.display, t.raw)
  },
}

/** Renders the literal delimiters mathInline's tokenizer produces. */
export const mathLiteral: RendererExtension = {
  name: 'mathLiteral',
  renderer(token) {
    return escapeAttr(token.raw)
  },
}
