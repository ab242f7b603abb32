import { BlockSplitter } from '@renderer/stream/markdown/block-splitter'
import { maskMath, matchMath } from '@renderer/stream/markdown/math-syntax'
import { PieceBuffer } from '@renderer/stream/markdown/piece-buffer'
import { renderInline, renderMarkdown } from '@renderer/stream/markdown/render-markdown'
import { describe, expect, it } from 'vitest'

/*
 * Answers shown as the model sent them: single line breaks kept, LaTeX
 * typeset with KaTeX (its source kept for copying), and the incremental
 * renderer's guarantees kept for formulas: a display formula is one block,
 * made only when it is closed, and a streamed line is never cut inside one.
 */

/** The LaTeX sources KaTeX typeset in some HTML (from its MathML annotation), in order. */
function typeset(html: string): string[] {
  return [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((m) =>
    m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim(),
  )
}

/** The sources kept for copying (data-tex), unescaped. */
function sources(html: string): string[] {
  return [...html.matchAll(/data-tex="([^"]*)"/g)].map((m) =>
    m[1]
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  )
}

function randomChunks(text: string, seed: number, max = 40): string[] {
  let s = seed
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) % 1_000_000) / 1_000_000
  const out: string[] = []
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(rand() * max)
    out.push(text.slice(i, i + n))
    i += n
  }
  return out
}

/** A gpt-oss style answer: inline and display LaTeX in all four notations, a list, code. */
const GPT_OSS = [
  'The quadratic formula solves \\(ax^2 + bx + c = 0\\):',
  '',
  '\\[',
  'x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}',
  '\\]',
  '',
  'Steps:',
  '1. compute \\(\\Delta = b^2 - 4ac\\)',
  '2. take the root',
  '',
  '$$',
  '\\int_0^1 x^2\\,dx = \\tfrac{1}{3}',
  '',
  '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
  '$$',
  'So $e^{i\\pi} + 1 = 0$ while prices like $5 and $10 stay text.',
  '',
  '```tex',
  '\\[ not math in code \\]',
  '```',
  'Inline code `$x$` and `\\(y\\)` stays literal.',
].join('\n')

describe('line breaks', () => {
  it('keeps a single line break as a line break, as chat apps and GitHub comments do', () => {
    expect(renderMarkdown('one\ntwo\nthree')).toBe('<p>one<br>two<br>three</p>\n')
    expect(renderInline('a\nb')).toBe('a<br>b')
  })

  it('leaves lists, paragraphs and code blocks as they were', () => {
    expect(renderMarkdown('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n')
    expect(renderMarkdown('one\n\ntwo')).toBe('<p>one</p>\n<p>two</p>\n')
    expect(renderMarkdown('```\nx\ny\n```')).not.toContain('<br>')
  })
})

describe('LaTeX', () => {
  it('typesets the four notations and keeps each formula source exactly as sent', () => {
    const html = renderMarkdown('Inline \\(a^2\\), display \\[b_1\\], $$c$$ and $d + 1$.')
    expect(typeset(html)).toEqual(['a^2', 'b_1', 'c', 'd + 1'])
    expect(sources(html)).toEqual(['\\(a^2\\)', '\\[b_1\\]', '$$c$$', '$d + 1$'])
    expect((html.match(/class="katex-display"/g) ?? []).length).toBe(2)
    // MathML for screen readers comes with the glyphs.
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">')
  })

  it('typesets a display formula on its own lines as a block', () => {
    const html = renderMarkdown('\\[\nx = \\frac{1}{2}\n\\]\n')
    expect(html.startsWith('<div class="md-math-block">')).toBe(true)
    expect(typeset(html)).toEqual(['x = \\frac{1}{2}'])
    expect(sources(html)).toEqual(['\\[\nx = \\frac{1}{2}\n\\]'])
  })

  it('keeps the backslash of a delimiter that makes no formula, and money as text', () => {
    expect(renderMarkdown('an open \\( without close')).toBe('<p>an open \\( without close</p>\n')
    expect(renderMarkdown('a \\] alone')).toBe('<p>a \\] alone</p>\n')
    for (const money of ['costs $5 and $10', 'from $5-$10 a month', '$ 5 and 6 $', 'US$3.50, or $4', '$10 a month, and `$x$` in code'])
      expect(typeset(renderMarkdown(money)), money).toEqual([])
    // Other escapes still work as markdown says.
    expect(renderMarkdown('\\*not emphasis\\* \\$5')).toBe('<p>*not emphasis* $5</p>\n')
  })

  it('leaves math inside code spans and code blocks literal', () => {
    const html = renderMarkdown('`$x$` and `\\(y\\)`\n\n```\n\\[ z \\]\n$$w$$\n```')
    expect(typeset(html)).toEqual([])
    expect(html).toContain('<code>$x$</code>')
    expect(html).toContain('<code>\\(y\\)</code>')
    expect(html).toContain('\\[ z \\]\n$$w$$')
  })

  it('never reads * or _ inside a formula as emphasis', () => {
    const html = renderMarkdown('Take $a_1 * b_1$ and $a_2 * b_2$ then *really* _this_.')
    expect(typeset(html)).toEqual(['a_1 * b_1', 'a_2 * b_2'])
    expect(html).toContain('<em>really</em>')
    expect(html).toContain('<em>this</em>')
    expect(maskMath('x $a*b$ y')).toBe('x aaaaa y')
    expect(maskMath('`$a*b$` $c$')).toBe('`$a*b$` aaa')
  })

  it('shows a formula KaTeX cannot parse as its source, and runs none of its commands', () => {
    const bad = renderMarkdown('\\(\\frac{1}{\\)')
    expect(bad).toContain('katex-error')
    expect(bad).toContain('\\frac{1}{')
    const link = renderMarkdown('\\(\\href{javascript:alert(1)}{x}\\)')
    expect(link).not.toMatch(/<a |javascript:alert\(1\)"/)
  })

  it('matches formulas from a given offset without copying the text', () => {
    expect(matchMath('ab \\(x\\) c', 3)).toEqual({ raw: '\\(x\\)', tex: 'x', display: false })
    expect(matchMath('$$$')).toEqual({ raw: '$$$', literal: true })
    expect(matchMath('$x$1')).toBeNull()
  })
})

describe('formulas in the incremental renderer', () => {
  it('splits a LaTeX answer the same however it arrives, each display formula one block', () => {
    const once = new BlockSplitter()
    once.push(GPT_OSS, true)
    const blocks = once.blocks.map(([a, b]) => GPT_OSS.slice(a, b))
    expect(blocks).toContain('\\[\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n\\]\n')
    // A blank line inside $$ … $$ does not end it.
    expect(blocks).toContain('$$\n\\int_0^1 x^2\\,dx = \\tfrac{1}{3}\n\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$\n')
    for (let seed = 1; seed <= 25; seed++) {
      const sp = new BlockSplitter()
      const buf = new PieceBuffer()
      for (const c of randomChunks(GPT_OSS, seed)) {
        buf.append(c)
        sp.push(buf)
      }
      sp.push(buf, true)
      expect(sp.blocks).toEqual(once.blocks)
    }
    // Block by block, every formula is typeset, and the code stays literal.
    const html = blocks.map(renderMarkdown).join('')
    expect(typeset(html)).toEqual([
      'ax^2 + bx + c = 0',
      'x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}',
      '\\Delta = b^2 - 4ac',
      '\\int_0^1 x^2\\,dx = \\tfrac{1}{3}\n\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
      'e^{i\\pi} + 1 = 0',
    ])
    expect(html).toContain('\\[ not math in code \\]')
  })

  it('makes a display formula a block only once it is closed, and says while it is open', () => {
    const sp = new BlockSplitter(1000)
    let text = 'Before.\n\n\\[\n'
    sp.push(text)
    expect(sp.openMath).toEqual({ closer: '\\]', start: 9 })
    expect(sp.blocks.map(([a, b]) => text.slice(a, b))).toEqual(['Before.\n\n'])
    text += 'x = 1\n\n' + 'y '.repeat(1500) + '\n'
    sp.push(text)
    // Neither a blank line nor a long line ends it early.
    expect(sp.blocks.length).toBe(1)
    expect(sp.openMath).not.toBeNull()
    text += '\\]\nAfter'
    sp.push(text)
    expect(sp.openMath).toBeNull()
    expect(sp.blocks.map(([a, b]) => text.slice(a, b)).at(-1)).toBe(`\\[\nx = 1\n\n${'y '.repeat(1500)}\n\\]\n`)
  })

  it('gives up on an opener that never closes, so the rest of the answer is not held back', () => {
    const lines = ['$$$ profit ahead', ...Array.from({ length: 400 }, (_, i) => `line ${i} of an answer that never closes the dollars`)].join('\n')
    const sp = new BlockSplitter(1000)
    sp.push(lines)
    expect(sp.openMath).toBeNull()
    const sp2 = new BlockSplitter(1000)
    sp2.push('$$ money\n' + lines)
    expect(sp2.openMath).toBeNull()
    expect(sp2.blocks.length).toBeGreaterThan(3)
  })

  /** Stream `line` in random chunks; the pieces between the safe points the splitter gave. */
  function streamedPieces(line: string, seed: number): string[] {
    const sp = new BlockSplitter()
    const buf = new PieceBuffer()
    const pieces: string[] = []
    let done = 0
    for (const c of randomChunks(line, seed, 25)) {
      buf.append(c)
      sp.push(buf)
      const safe = sp.inlineSafe!
      expect(safe).toBeGreaterThanOrEqual(done)
      if (safe > done) {
        pieces.push(line.slice(done, safe))
        done = safe
      }
    }
    pieces.push(line.slice(done))
    expect(pieces.join('')).toBe(line)
    return pieces
  }

  it('streams a one-line paragraph with formulas in pieces that never cut one, rendering like the whole line', () => {
    const words = 'Energy \\(E = mc^2\\) and $a_1 * b_1 + c$ with *stress* or \\[\\sum_i x_i\\] then $$y^2 + z^2$$, `$x$` code, costs $5 and $10 per run. '
    const line = words.repeat(40).trim()
    const whole = renderInline(line)
    expect(typeset(whole).length).toBe(40 * 4)
    for (const seed of [5, 6, 7]) {
      const pieces = streamedPieces(line, seed)
      expect(pieces.length).toBeGreaterThan(50)
      expect(pieces.map(renderInline).join('')).toBe(whole)
    }
  })

  it('reads the text after a $ that was money again, as the renderer does', () => {
    // The backtick after `$10 per ` ends that `$` as money; the code span is then code.
    const line = 'Pay $5 and $10 per `$x$` run, **bold** \\( p \\) and `code` then _u_ words. '.repeat(30).trim()
    const whole = renderInline(line)
    for (const seed of [1, 2, 3]) expect(streamedPieces(line, seed).map(renderInline).join('')).toBe(whole)
  })
})
