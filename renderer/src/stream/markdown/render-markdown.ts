import { Marked, type Token, type Tokens } from 'marked'

import { highlightCode } from './highlight'
import { mathBlock, mathInline, mathLiteral } from './math'
import { maskMath } from './math-syntax'

/**
 * Markdown to HTML for model output. Model text is untrusted: raw HTML is
 * shown as text, links keep only http(s) and mailto targets, and images
 * become links (the renderer loads nothing remote). Code blocks get a
 * language label, a copy button and highlighting.
 *
 * A single line break is a line break (`breaks`), as in chat apps and
 * GitHub comments: a list the model sent as `one\ntwo` shows on two lines.
 * LaTeX is typeset (math.ts).
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function safeHref(href: string): string | null {
  const trimmed = href.trim()
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed
  if (trimmed.startsWith('#')) return trimmed
  return null
}

/** Code blocks longer than this are shown plain: highlighting them would block a frame. */
export const HIGHLIGHT_LIMIT = 20_000

export function codeBlockHtml(code: string, lang: string | undefined, highlight = true): string {
  const language = (lang ?? '').trim().split(/\s+/)[0] ?? ''
  const body = highlight && code.length <= HIGHLIGHT_LIMIT ? highlightCode(code, language) : escapeHtml(code)
  return (
    `<div class="md-code"><div class="md-code-bar"><span>${escapeHtml(language || 'text')}</span>` +
    `<button type="button" class="md-copy" data-copy="code">Copy</button></div>` +
    `<pre><code class="hljs${language ? ` language-${escapeHtml(language)}` : ''}">${body}</code></pre></div>`
  )
}

const renderer = {
  html({ text }: Tokens.HTML | Tokens.Tag) {
    return escapeHtml(text)
  },
  code({ text, lang }: Tokens.Code) {
    return codeBlockHtml(text.replace(/\n$/, ''), lang)
  },
  link(this: { parser: { parseInline(tokens: Token[]): string } }, { href, title, tokens }: Tokens.Link) {
    const inner = this.parser.parseInline(tokens)
    const safe = safeHref(href)
    if (!safe) return inner
    return `<a href="${escapeHtml(safe)}"${title ? ` title="${escapeHtml(title)}"` : ''} rel="noreferrer noopener">${inner}</a>`
  },
  image({ href, text }: Tokens.Image) {
    const safe = safeHref(href)
    const label = `🖼 ${escapeHtml(text || 'image')}`
    return safe ? `<a href="${escapeHtml(safe)}" rel="noreferrer noopener">${label}</a>` : label
  },
}

/** Text without math: no formula tokenizers to try at every character, no masking pass for emphasis. */
const plain = new Marked({ gfm: true, breaks: true, async: false }).use({ renderer })
const withMath = new Marked({ gfm: true, breaks: true, async: false }).use({
  extensions: [mathBlock, mathInline, mathLiteral],
  hooks: { emStrongMask: maskMath },
  renderer,
})

/** Every formula starts with `$` or a backslash: text with neither renders the same without the math extensions, faster. */
const markedFor = (markdown: string) => (markdown.includes('$') || markdown.includes('\\') ? withMath : plain)

/** One block of markdown to HTML. Never throws: a block that fails to parse is shown as text. */
export function renderMarkdown(markdown: string): string {
  try {
    return markedFor(markdown).parse(markdown) as string
  } catch {
    return `<p>${escapeHtml(markdown)}</p>`
  }
}

/** Inline markdown (one piece of a paragraph) to HTML. */
export function renderInline(markdown: string): string {
  try {
    return markedFor(markdown).parseInline(markdown) as string
  } catch {
    return escapeHtml(markdown)
  }
}
