import { BlockSplitter, paragraphCuts } from '@renderer/stream/markdown/block-splitter'
import { PieceBuffer } from '@renderer/stream/markdown/piece-buffer'
import { renderInline, renderMarkdown } from '@renderer/stream/markdown/render-markdown'
import { describe, expect, it } from 'vitest'

/** The visible text of some HTML, whitespace collapsed (what a reader sees, not how it is laid out). */
function visibleText(html: string): string {
  return html
    .replace(/<button[^>]*>.*?<\/button>/g, ' ')
    .replace(/<span>(?:[a-z]+|text)<\/span><\/div><pre>/g, '<pre>') // code block language labels
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
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

function streamed(text: string, seed: number, softLimit?: number): BlockSplitter {
  const sp = new BlockSplitter(softLimit)
  let acc = ''
  for (const c of randomChunks(text, seed)) {
    acc += c
    sp.push(acc)
    // Invariant: blocks are contiguous, in order, and never reach past what has arrived.
    let prev = 0
    for (const [a, b] of sp.blocks) {
      expect(a).toBeGreaterThanOrEqual(prev)
      expect(b).toBeLessThanOrEqual(acc.length)
      prev = b
    }
  }
  sp.push(text, true)
  return sp
}

const DOCS: Record<string, string> = {
  prose: 'First paragraph with *emphasis* and `code`.\n\nSecond one, with a [link](https://example.com).\nStill second.\n\n\nThird after two blank lines.',
  lists: '1. one\n2. two\n\n3. three after a blank\n   - nested\n\n     continued under nested\n\n- a\n- b\n\nAfter the list.',
  code: 'Intro:\n```ts\nconst a = 1\n\nconst b = `x`\n```\nRight after the fence.\n\n~~~\n```not a close\n~~~\n\n````md\n```inner```\n````\nend',
  table: '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\n# Heading\n\n> quote\n> more\n\n---\n\ntext',
  html: 'Raw <b>bold</b> and <script>alert(1)</script> stay text.\n\n<div>block html</div>\n\nend',
  unicode: 'naïve façade 🚀 — “quotes” ¿qué?\n\n日本語のテキスト。\n\nend',
}

describe('the incremental block splitter', () => {
  it.each(Object.entries(DOCS))('splits "%s" the same however the text arrives', (_name, doc) => {
    const once = new BlockSplitter()
    once.push(doc, true)
    for (let seed = 1; seed <= 25; seed++) expect(streamed(doc, seed).blocks).toEqual(once.blocks)
    // The blocks cover the whole text with nothing but blank space between them.
    let at = 0
    for (const [a, b] of once.blocks) {
      expect(doc.slice(at, a).trim()).toBe('')
      at = b
    }
    expect(doc.slice(at).trim()).toBe('')
  })

  it.each(Object.entries(DOCS))('renders "%s" block by block to the same visible text as all at once', (_name, doc) => {
    const sp = new BlockSplitter()
    sp.push(doc, true)
    const byBlock = sp.blocks.map(([a, b]) => renderMarkdown(doc.slice(a, b))).join('')
    expect(visibleText(byBlock)).toBe(visibleText(renderMarkdown(doc)))
  })

  it('keeps a fenced block whole, with blank lines inside, and says when the tail is inside a fence', () => {
    const sp = new BlockSplitter()
    sp.push('Text\n\n```py\nx = 1\n\ny = 2\n')
    expect(sp.openFence).toEqual({ char: '`', length: 3 })
    expect(sp.blocks.map(([a, b]) => 'Text\n\n```py\nx = 1\n\ny = 2\n'.slice(a, b))).toEqual(['Text\n\n'])
    const text = 'Text\n\n```py\nx = 1\n\ny = 2\n```\nafter'
    sp.push(text)
    expect(sp.openFence).toBeNull()
    expect(sp.blocks.map(([a, b]) => text.slice(a, b))).toEqual(['Text\n\n', '```py\nx = 1\n\ny = 2\n```\n'])
  })

  it('does not split a list item from its indented continuation', () => {
    const text = '- item\n\n    indented continuation\n\nnext'
    const sp = new BlockSplitter()
    sp.push(text, true)
    expect(sp.blocks.map(([a, b]) => text.slice(a, b).trim())).toEqual(['- item\n\n    indented continuation', 'next'])
  })

  it('ends the previous block as soon as a new paragraph starts arriving', () => {
    const sp = new BlockSplitter()
    sp.push('One.\n\n')
    expect(sp.blocks).toEqual([])
    sp.push('One.\n\nT')
    expect(sp.blocks).toEqual([[0, 6]])
    expect(sp.committed).toBe(6)
  })

  it('cuts text without blank lines at line ends past the soft limit, so the open tail stays short', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of a long answer without any blank line`).join('\n')
    const sp = streamed(lines, 7, 1000)
    expect(sp.blocks.length).toBeGreaterThan(15)
    for (const [a, b] of sp.blocks.slice(0, -1)) expect(b - a).toBeLessThan(1100)
    const incremental = new BlockSplitter(1000)
    let acc = ''
    let longestTail = 0
    for (const c of randomChunks(lines, 3)) {
      acc += c
      incremental.push(acc)
      longestTail = Math.max(longestTail, acc.length - incremental.committed)
    }
    expect(longestTail).toBeLessThan(1200)
  })

  it('streams a one-line paragraph in inline pieces that render like the whole line', () => {
    const words =
      'Fast *models* stream `code spans` and [link text](https://x.dev/a_b) with snake_case names, *emphasis across words*, **a bold phrase** and __strong__ words. '
    const line = words.repeat(60).trim()
    const sp = new BlockSplitter()
    const pieces: string[] = []
    let done = 0
    let acc = ''
    for (const c of randomChunks(line, 11, 30)) {
      acc += c
      sp.push(acc)
      const safe = sp.inlineSafe
      expect(safe).not.toBeNull()
      expect(safe!).toBeGreaterThanOrEqual(done)
      if (safe! > done) {
        pieces.push(acc.slice(done, safe!))
        done = safe!
      }
    }
    pieces.push(line.slice(done))
    expect(pieces.length).toBeGreaterThan(100)
    expect(pieces.join('')).toBe(line)
    // Every piece boundary sits where no inline construct is open.
    expect(pieces.map(renderInline).join('')).toBe(renderInline(line))
  })

  it('cuts a finished one-line paragraph into pieces that render like the whole line', () => {
    const line = 'Reopened *answers* with `code spans`, [a link](https://x.dev) and **bold words** keep going. '.repeat(200).trim()
    const cuts = paragraphCuts(`${line}\n`, 1000)!
    expect(cuts.length).toBeGreaterThan(10)
    const bounds = [0, ...cuts, line.length]
    const pieces = bounds.slice(0, -1).map((a, i) => line.slice(a, bounds[i + 1]))
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(1200)
    expect(pieces.map(renderInline).join('')).toBe(renderInline(line))
    expect(paragraphCuts('- a list item that is long', 10)).toBeNull()
    expect(paragraphCuts('two\nlines', 10)).toBeNull()
  })

  it('does not stream lists, headings or quotes inline', () => {
    for (const start of ['- item', '# Head', '> quote', '1. first', '| a |', '    code']) {
      const sp = new BlockSplitter()
      sp.push(start)
      expect(sp.inlineSafe, start).toBeNull()
    }
  })
})

describe('the piece buffer behind streamed text', () => {
  it('reads like the joined string: charAt, indexOf across piece boundaries, slice', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `w${i}${i % 97 === 0 ? '\n' : ' '}`).join('') + '```end'
    const buf = new PieceBuffer()
    for (const c of randomChunks(text, 5, 700)) buf.append(c)
    expect(buf.length).toBe(text.length)
    expect(buf.toString()).toBe(text)
    for (const i of [0, 1, 4095, 4096, 4097, 8191, 8192, text.length - 1, text.length]) expect(buf.charAt(i)).toBe(text.charAt(i))
    for (const [a, b] of [
      [0, 10],
      [4090, 4100],
      [100, 9000],
      [text.length - 5, text.length],
      [5, 5],
    ])
      expect(buf.slice(a, b)).toBe(text.slice(a, b))
    let from = 0
    for (;;) {
      const want = text.indexOf('\n', from)
      expect(buf.indexOf('\n', from)).toBe(want)
      if (want === -1) break
      from = want + 1
    }
    for (const needle of ['```', 'w2999', 'w1234 w1235', 'absent']) expect(buf.indexOf(needle, 0)).toBe(text.indexOf(needle))
  })

  it('splits text held in pieces exactly as the same text held in one string', () => {
    const doc = Object.values(DOCS).join('\n\n') + '\n\n' + 'long line without breaks '.repeat(400)
    const fromString = new BlockSplitter()
    fromString.push(doc, true)
    const buf = new PieceBuffer()
    const fromPieces = new BlockSplitter()
    for (const c of randomChunks(doc, 9, 300)) {
      buf.append(c)
      fromPieces.push(buf)
    }
    fromPieces.push(buf, true)
    expect(fromPieces.blocks).toEqual(fromString.blocks)
  })
})

describe('rendering model output safely', () => {
  it('shows raw HTML as text, drops unsafe link targets and never loads images', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://a.dev) ![pic](http://evil/p.png)')
    expect(html).not.toMatch(/<img|<script|javascript:/)
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('<a href="https://a.dev" rel="noreferrer noopener">ok</a>')
    expect(html).toContain('<a href="http://evil/p.png" rel="noreferrer noopener">🖼 pic</a>')
  })

  it('highlights known languages, escapes unknown ones, and adds a copy button', () => {
    const ts = renderMarkdown('```ts\nconst x: number = 1 // <b>\n```')
    expect(ts).toContain('class="hljs language-ts"')
    expect(ts).toContain('<span class="hljs-keyword">const</span>')
    expect(ts).toContain('&lt;b&gt;')
    expect(ts).toContain('class="md-copy"')
    const plain = renderMarkdown('```brainfuck\n<<>>\n```')
    expect(plain).toContain('&lt;&lt;&gt;&gt;')
    expect(plain).not.toContain('hljs-')
  })
})
