/**
 * The fonts the start-up screen sets its text in, laid out once, off screen,
 * a few per layout in small tasks of their own, while the app's code is
 * still loading.
 *
 * Why: a page's first layout in a font (family, size, weight) costs the
 * browser that font's set-up, 1.5–3 ms each on this project's 2-core test
 * machine, and the start screen's first frame met all of them at once,
 * which made it the longest start-up task (bench/startup.ts). Here they are
 * set up while the main thread otherwise waits for the network, and the
 * first frame finds them ready. A few fonts per layout, not one: each
 * forced layout costs something of its own, so a font per task took about
 * twice the main-thread time (traced on a loaded machine: 48–96 ms over
 * eleven tasks, 17–36 ms for all of them in one). Not all in one either:
 * under heavy load that one task passed 50 ms. The e2e start-up test checks
 * this list covers every font the start screen uses.
 */

export type FontFamilyToken = 'ui' | 'mono'
export type FontSizeToken = 'xs' | 'sm' | 'md' | 'lg' | 'xl' | 'title'
export type FontWeightToken = 'normal' | 'strong'

/** Family, size and weight as design tokens (styles/tokens.css). */
export const START_SCREEN_FONTS: ReadonlyArray<readonly [FontFamilyToken, FontSizeToken, FontWeightToken]> = [
  ['ui', 'md', 'normal'],
  ['ui', 'md', 'strong'],
  ['ui', 'sm', 'normal'],
  ['ui', 'sm', 'strong'],
  ['ui', 'xs', 'normal'],
  ['ui', 'xs', 'strong'],
  ['ui', 'title', 'strong'],
  // The first-run welcome's heading.
  ['ui', 'xl', 'strong'],
  ['mono', 'sm', 'normal'],
  ['mono', 'xs', 'normal'],
  ['mono', 'md', 'normal'],
]

/** The CSS `font` shorthand of a token triple, read from the page's tokens. */
function fontOf(style: CSSStyleDeclaration, [family, size, weight]: readonly [FontFamilyToken, FontSizeToken, FontWeightToken]): string {
  const token = (name: string) => style.getPropertyValue(name).trim()
  return `${weight === 'strong' ? token('--font-weight-strong') : '400'} ${token(`--font-size-${size}`)} ${token(`--font-${family}`)}`
}

/** How many fonts one off-screen layout sets up (START_SCREEN_FONTS's eleven take three tasks). */
export const FONTS_PER_LAYOUT = 4

/** Lays out a line in each font, FONTS_PER_LAYOUT to an off-screen box, a box per task; the page is otherwise unaffected. */
export function warmStartFonts(doc: Document = document, fonts = START_SCREEN_FONTS): void {
  let next = 0
  let style: CSSStyleDeclaration | undefined
  const step = () => {
    if (next >= fonts.length) return
    style ??= getComputedStyle(doc.documentElement)
    const box = doc.createElement('div')
    box.setAttribute('aria-hidden', 'true')
    box.style.cssText = 'position:absolute;left:-10000px;top:0;visibility:hidden;white-space:nowrap;pointer-events:none'
    for (const font of fonts.slice(next, next + FONTS_PER_LAYOUT)) {
      const line = doc.createElement('div')
      line.textContent = 'Wafer Console 0123456789 — Aa'
      line.style.font = fontOf(style, font)
      box.append(line)
    }
    next += FONTS_PER_LAYOUT
    doc.body.append(box)
    // Reading its height makes the browser lay every line out now, each in its font.
    void box.offsetHeight
    box.remove()
    setTimeout(step, 0)
  }
  setTimeout(step, 0)
}
