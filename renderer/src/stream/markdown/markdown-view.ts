import 'katex/dist/katex.min.css'
import './markdown.css'

import { animationFrameScheduler, type FrameScheduler } from '../frame-scheduler'
import { BlockSplitter, paragraphCuts } from './block-splitter'
import { selectionText } from './copy-source'
import { PieceBuffer } from './piece-buffer'
import { codeBlockHtml, renderInline, renderMarkdown } from './render-markdown'

/**
 * Paints growing markdown into a DOM element without React. Finished blocks
 * are rendered once and appended; only the open tail is rendered again, and
 * mostly not even that: inside an open code fence new text is appended to a
 * text node, and a paragraph still on its first line is appended in inline
 * pieces. A display formula is shown as its source until it closes, then
 * typeset once. A long text given at once (a reopened 100k-token answer) is
 * rendered a few milliseconds per frame, so scrolling and typing go on.
 */

export interface MarkdownViewOptions {
  frames?: FrameScheduler
  now?: () => number
  /** Rendering time per frame when catching up on many blocks. */
  budgetMs?: number
  /** A link was clicked (default navigation is always prevented). */
  onLink?: (href: string) => void
  /** A copy button was clicked. */
  onCopy?: (text: string) => void
}

interface OpenFenceView {
  /** Where the fence's tail starts (its opener line). */
  start: number
  code: Text
  appendedTo: number
}

/** An open display formula: its source, appended as it arrives. */
interface OpenMathView {
  start: number
  source: Text
  appendedTo: number
}

interface OpenParagraphView {
  start: number
  p: HTMLElement
  /** The piece of the paragraph being appended to (see PARAGRAPH_CHUNK). */
  chunk: HTMLElement
  chunkChars: number
  /** Inline HTML not yet final (after the last safe point), re-rendered per frame. */
  live: HTMLElement
  appendedTo: number
}

/**
 * A paragraph streamed as one endless line is laid out in pieces of about
 * this many characters, each its own block (with content-visibility: auto):
 * appending then re-lays out one piece, not the whole paragraph, and pieces
 * off screen are skipped. Lines break at a piece boundary (always after a
 * space); ordinary paragraphs are shorter than one piece.
 */
export const PARAGRAPH_CHUNK = 1_000

/**
 * Finished blocks are kept in groups of up to this many blocks or
 * characters, and the group, not each block, is what content-visibility
 * skips off screen. Every skippable element is a paint-containment boundary
 * the browser checks for visibility on every frame (an intersection
 * computation, a paint layer, a hit test): a reopened 400 KB answer has
 * about 1,400 blocks, and checking each of them cost a frame's worth of
 * time on every frame, even while idle.
 */
export const GROUP_BLOCKS = 32
export const GROUP_CHARS = 8_000

/**
 * Rendering time for a whole text given at once (update: a saved answer
 * shown or reopened) before the first frame. It is rendered inside the
 * caller's task (React's commit, which has its own work to do); the rest
 * comes a budget per frame.
 */
const GIVEN_TEXT_BUDGET_MS = 2

/** An off-screen group never laid out is this tall per character it holds (about right for prose at playground width). */
const GROUP_PX_PER_CHAR = 0.3

interface BlockGroup {
  el: HTMLElement
  blocks: number
  chars: number
}

export class MarkdownView {
  private splitter = new BlockSplitter()
  private text = new PieceBuffer()
  private final = false
  private rendered = 0
  /** Finished blocks are the root's children before the tail, which is always last. */
  private tailEl: HTMLElement
  private lastTail: string | null = null
  private fence: OpenFenceView | null = null
  private math: OpenMathView | null = null
  private para: OpenParagraphView | null = null
  /** A long one-line paragraph being rendered a few pieces per frame (see paintBigParagraph). */
  private big: { end: number; pieces: [number, number][]; next: number; p: HTMLElement } | null = null
  /** The group finished blocks are added to (see GROUP_BLOCKS). */
  private group: BlockGroup | null = null
  private catchUpQueued = false
  private disposed = false
  private readonly frames: FrameScheduler
  private readonly now: () => number
  private readonly budgetMs: number
  private readonly onClick: (e: MouseEvent) => void
  private readonly onCopySelection: (e: ClipboardEvent) => void

  constructor(
    private readonly root: HTMLElement,
    private readonly opts: MarkdownViewOptions = {},
  ) {
    this.frames = opts.frames ?? animationFrameScheduler()
    this.now = opts.now ?? (() => performance.now())
    this.budgetMs = opts.budgetMs ?? 6
    root.classList.add('md')
    const doc = root.ownerDocument
    this.tailEl = doc.createElement('div')
    this.tailEl.className = 'md-tail'
    root.replaceChildren(this.tailEl)
    this.onClick = (e) => this.click(e)
    root.addEventListener('click', this.onClick)
    // A selection copied with formulas in it gives their LaTeX, not KaTeX's glyphs.
    this.onCopySelection = (e) => {
      const text = selectionText(root)
      if (text === null || !e.clipboardData) return
      e.clipboardData.setData('text/plain', text)
      e.preventDefault()
    }
    root.addEventListener('copy', this.onCopySelection)
  }

  /**
   * Show `text` in full: a finished message, or a replacement. Text that
   * only extends what is shown is appended; identical text is a no-op.
   */
  update(text: string, final = false): void {
    if (this.disposed) return
    const shown = this.text.length
    if (text.length >= shown && (shown === 0 || this.text.toString() === text.slice(0, shown)) && !(this.final && text.length !== shown)) {
      this.add(text.slice(shown), final, Math.min(this.budgetMs, GIVEN_TEXT_BUDGET_MS))
      return
    }
    this.reset()
    this.add(text, final, Math.min(this.budgetMs, GIVEN_TEXT_BUDGET_MS))
  }

  /** Add streamed text (only the new part). `final`: nothing more will come. */
  append(fresh: string, final = false): void {
    this.add(fresh, final, this.budgetMs)
  }

  private add(fresh: string, final: boolean, budgetMs: number): void {
    // A finished view changes only when text comes: a stream that continues it starts with none.
    if (this.disposed || (!fresh && (final === this.final || this.final) && this.text.length > 0)) return
    if (this.final && fresh) {
      // A finished view that grows again: lay it out afresh rather than lose anything.
      const all = this.text.toString() + fresh
      this.reset()
      this.text.append(all)
    } else this.text.append(fresh)
    this.final = final
    this.splitter.push(this.text, final)
    this.root.classList.toggle('md-streaming', !final)
    this.paint(budgetMs)
  }

  /** Everything is on screen (no blocks waiting for a later frame). */
  get caughtUp(): boolean {
    return this.rendered === this.splitter.blocks.length && !this.big
  }

  dispose(): void {
    this.disposed = true
    this.root.removeEventListener('click', this.onClick)
    this.root.removeEventListener('copy', this.onCopySelection)
  }

  private reset(): void {
    this.splitter = new BlockSplitter()
    this.text = new PieceBuffer()
    this.final = false
    this.rendered = 0
    this.lastTail = null
    this.fence = null
    this.math = null
    this.para = null
    this.big = null
    this.group = null
    this.tailEl.replaceChildren()
    this.root.replaceChildren(this.tailEl)
  }

  /**
   * The group a finished block of `chars` characters goes into: the open
   * group right before the tail, or a new one there when it is full or
   * something else (a streamed paragraph) now stands between them.
   */
  private groupFor(chars: number, flushHtml: () => void): BlockGroup {
    const g = this.group
    if (g && g.el.nextSibling === this.tailEl && g.blocks < GROUP_BLOCKS && g.chars + chars <= GROUP_CHARS) return g
    flushHtml()
    const el = this.root.ownerDocument.createElement('div')
    el.className = 'md-group'
    this.root.insertBefore(el, this.tailEl)
    this.group = { el, blocks: 0, chars: 0 }
    return this.group
  }

  private paint(budgetMs = this.budgetMs): void {
    const started = this.now()
    const overBudget = () => this.now() - started > budgetMs
    const blocks = this.splitter.blocks
    let html = ''
    let into: BlockGroup | null = null
    const flushHtml = () => {
      if (html && into) {
        into.el.insertAdjacentHTML('beforeend', html)
        into.el.style.containIntrinsicSize = `auto ${Math.round(into.chars * GROUP_PX_PER_CHAR)}px`
      }
      html = ''
    }
    for (;;) {
      if (this.big) {
        if (!this.paintBigParagraph(overBudget)) break
        continue
      }
      if (this.rendered >= blocks.length) break
      const [from, to] = blocks[this.rendered++]
      if (this.para && this.para.start === from && this.finishParagraph(to, flushHtml)) continue
      if (to - from > PARAGRAPH_CHUNK * 4 && this.startBigParagraph(from, to, flushHtml)) continue
      into = this.groupFor(to - from, flushHtml)
      into.blocks++
      into.chars += to - from
      html += `<div class="md-block">${renderMarkdown(this.text.slice(from, to))}</div>`
      if (overBudget() && this.rendered < blocks.length) break
    }
    flushHtml()
    if (!this.caughtUp) {
      // Still behind: the rest comes next frame; until then the tail waits too.
      this.clearTail()
      if (!this.catchUpQueued) {
        this.catchUpQueued = true
        this.frames.request(() => {
          this.catchUpQueued = false
          if (!this.disposed) this.paint()
        })
      }
      return
    }
    this.paintTail()
  }

  /**
   * A finished one-line paragraph of many KB (a reopened answer that never
   * broke a line) is rendered in the same pieces streaming would have made,
   * a few per frame, instead of one long parse and layout.
   */
  private startBigParagraph(from: number, to: number, flushHtml: () => void): boolean {
    const text = this.text.slice(from, to)
    const cuts = paragraphCuts(text, PARAGRAPH_CHUNK)
    if (!cuts) return false
    flushHtml()
    const body = text.replace(/\s+$/, '')
    const bounds = [0, ...cuts, body.length]
    const pieces: [number, number][] = []
    for (let i = 0; i + 1 < bounds.length; i++) pieces.push([from + bounds[i], from + bounds[i + 1]])
    const block = this.root.ownerDocument.createElement('div')
    block.className = 'md-block md-block-streamed'
    const p = this.root.ownerDocument.createElement('p')
    block.appendChild(p)
    this.root.insertBefore(block, this.tailEl)
    this.big = { end: to, pieces, next: 0, p }
    return true
  }

  /** Render pieces until the frame's budget is spent; true when the paragraph is done. */
  private paintBigParagraph(overBudget: () => boolean): boolean {
    const big = this.big!
    let html = ''
    while (big.next < big.pieces.length) {
      const [a, b] = big.pieces[big.next++]
      html += `<span class="md-pchunk">${renderInline(this.text.slice(a, b))}</span>`
      if (overBudget()) break
    }
    if (html) big.p.insertAdjacentHTML('beforeend', html)
    if (big.next < big.pieces.length) return false
    this.big = null
    return true
  }

  /** The streamed paragraph became a block: keep its DOM (no re-parse) if it is still one line. */
  private finishParagraph(to: number, flushHtml: () => void): boolean {
    const para = this.para!
    this.para = null
    const rest = this.text.slice(para.appendedTo, to).replace(/\r?\n[\s]*$/, '')
    if (rest.includes('\n')) return false
    flushHtml()
    if (rest) para.live.insertAdjacentHTML('beforebegin', renderInline(rest))
    para.live.remove()
    // The tail element that holds the paragraph becomes its block where it stands: moving a
    // long paragraph would lay it out again. A new, empty tail follows it.
    this.tailEl.className = 'md-block md-block-streamed'
    this.tailEl = this.root.ownerDocument.createElement('div')
    this.tailEl.className = 'md-tail'
    this.root.appendChild(this.tailEl)
    this.lastTail = null
    return true
  }

  private clearTail(): void {
    this.tailEl.replaceChildren()
    this.lastTail = null
    this.fence = null
    this.math = null
    this.para = null
  }

  private paintTail(): void {
    const start = this.splitter.committed
    const safe = this.splitter.inlineSafe
    if (safe !== null && !this.final) {
      this.paintParagraph(start, safe)
      return
    }
    this.para = null
    if (this.splitter.openMath && !this.final) {
      this.fence = null
      this.lastTail = null
      if (!this.math || this.math.start !== start) this.openMathView(start)
      const m = this.math!
      if (this.text.length > m.appendedTo) {
        m.source.appendData(this.text.slice(m.appendedTo))
        m.appendedTo = this.text.length
      }
      return
    }
    this.math = null
    if (this.splitter.openFence && !this.final) {
      const nl = this.text.indexOf('\n', start)
      if (nl !== -1) {
        if (!this.fence || this.fence.start !== start) this.openFenceView(start, nl + 1)
        const f = this.fence!
        if (this.text.length > f.appendedTo) {
          f.code.appendData(this.text.slice(f.appendedTo))
          f.appendedTo = this.text.length
        }
        this.lastTail = null
        return
      }
    }
    this.fence = null
    const tail = this.text.slice(start)
    if (tail === this.lastTail) return
    this.lastTail = tail
    if (!tail.trim()) this.tailEl.replaceChildren()
    else this.tailEl.innerHTML = renderMarkdown(tail)
  }

  private paintParagraph(start: number, safe: number): void {
    this.fence = null
    this.math = null
    this.lastTail = null
    const doc = this.root.ownerDocument
    if (!this.para || this.para.start !== start) {
      const p = doc.createElement('p')
      const chunk = doc.createElement('span')
      const live = doc.createElement('span')
      live.className = 'md-live'
      chunk.className = 'md-pchunk'
      chunk.appendChild(live)
      p.appendChild(chunk)
      this.tailEl.replaceChildren(p)
      this.para = { start, p, chunk, chunkChars: 0, live, appendedTo: start }
    }
    const para = this.para
    if (safe > para.appendedTo) {
      if (para.chunkChars >= PARAGRAPH_CHUNK) {
        const next = doc.createElement('span')
        next.className = 'md-pchunk'
        para.p.appendChild(next)
        next.appendChild(para.live)
        para.chunk = next
        para.chunkChars = 0
      }
      para.live.insertAdjacentHTML('beforebegin', renderInline(this.text.slice(para.appendedTo, safe)))
      para.chunkChars += safe - para.appendedTo
      para.appendedTo = safe
    }
    para.live.innerHTML = renderInline(this.text.slice(para.appendedTo))
  }

  private openFenceView(start: number, codeStart: number): void {
    const opener = this.text
      .slice(start, codeStart)
      .trim()
      .replace(/^[`~]+/, '')
    this.tailEl.innerHTML = codeBlockHtml('', opener, false)
    const codeEl = this.tailEl.querySelector('code')!
    const node = this.root.ownerDocument.createTextNode('')
    codeEl.appendChild(node)
    this.fence = { start, code: node, appendedTo: codeStart }
  }

  private openMathView(start: number): void {
    const doc = this.root.ownerDocument
    const pending = doc.createElement('div')
    pending.className = 'md-math-pending'
    const source = doc.createTextNode('')
    pending.appendChild(source)
    this.tailEl.replaceChildren(pending)
    this.math = { start, source, appendedTo: start }
  }

  private click(e: MouseEvent): void {
    const target = e.target as Element | null
    const copy = target?.closest?.('button.md-copy')
    if (copy) {
      const code = copy.closest('.md-code')?.querySelector('code')?.textContent ?? ''
      this.opts.onCopy?.(code)
      copy.textContent = 'Copied'
      setTimeout(() => (copy.textContent = 'Copy'), 1200)
      return
    }
    const link = target?.closest?.('a[href]')
    if (link) {
      e.preventDefault()
      this.opts.onLink?.(link.getAttribute('href') ?? '')
    }
  }
}
