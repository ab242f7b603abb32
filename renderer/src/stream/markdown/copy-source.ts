/**
 * What a copied selection of rendered markdown holds when it takes in a
 * formula: each formula (even one only partly selected) as the LaTeX the
 * model sent, the rest as the text shown, with line breaks between blocks.
 * Without a formula the browser's own copy is left alone.
 */

const BLOCKS = new Set(['P', 'DIV', 'LI', 'PRE', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TR', 'UL', 'OL', 'TABLE'])

/** The text of a selection inside `root` with formulas as their source, or null to let the browser copy. */
export function selectionText(root: HTMLElement): string | null {
  const selection = root.ownerDocument.getSelection()
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null
  const range = selection.getRangeAt(0)
  if (!root.contains(range.commonAncestorContainer)) return null
  const fragment = range.cloneContents()
  // A selection wholly inside one formula clones only its inner spans: the formula is its ancestor.
  const inside = (range.commonAncestorContainer as Element).closest?.('.md-math') ?? range.commonAncestorContainer.parentElement?.closest('.md-math')
  if (inside) return inside.getAttribute('data-tex')
  if (!fragment.querySelector('.md-math')) return null
  return fragmentText(fragment)
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** Text of rendered markdown with formulas as their `data-tex` source. */
export function fragmentText(node: Node): string {
  let out = ''
  const walk = (n: Node) => {
    if (n.nodeType === 3) {
      out += (n as Text).data
      return
    }
    if (n.nodeType !== 1 && n.nodeType !== 11) return
    const el = n as Element
    if (n.nodeType === 1) {
      if (el.classList.contains('md-math')) {
        out += el.getAttribute('data-tex') ?? ''
        return
      }
      if (el.tagName === 'BR') {
        out += '\n'
        return
      }
      if (el.tagName === 'BUTTON') return
    }
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c)
    if (n.nodeType === 1 && BLOCKS.has(el.tagName) && !out.endsWith('\n')) out += '\n'
  }
  walk(node)
  return out
}
