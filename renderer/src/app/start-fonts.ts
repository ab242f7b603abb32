/**
 * The fonts the start-up screen sets its text in, each laid out once, off
 * screen, in a task of its own, while the app's code is still loading.
 *
 * Why: a page's first layout in a font (family, size, weight) costs the
 * browser that font's set-up, 1.5–3 ms each on this project's 2-core test
 * machine, and the start screen's first frame met all of them at once,
 * which made it the longest start-up task (bench/startup.ts). Here each costs
 * the same in a small task of its own, while the main thread otherwise waits
 * for the network, and the first frame finds them ready. The e2e start-up
 * test checks this list covers every font the start screen uses.
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

/** Lays out a line in each font, one font per task, then stops; what the page renders meanwhile is unaffected. */
export function warmStartFonts(doc: Document = document, fonts = START_SCREEN_FONTS): void {
  const style = getComputedStyle(doc.documentElement)
  let next = 0
  const step = () => {
    const font = fonts[next++]
    if (!font) return
    const line = doc.createElement('span')
    line.setAttribute('aria-hidden', 'true')
    line.textContent = 'Wafer Console 0123456789 — Aa'
    line.style.cssText = 'position:absolute;left:-10000px;top:0;visibility:hidden;white-space:nowrap;pointer-events:none'
    line.style.font = fontOf(style, font)
    doc.body.append(line)
    // Reading its width makes the browser lay the line out now, in this font.
    void line.offsetWidth
    line.remove()
    setTimeout(step, 0)
  }
  setTimeout(step, 0)
}
