import type { Page } from 'playwright-core'

import { START_SCREEN_FONTS } from '../../renderer/src/app/start-fonts'

/** A font as the browser sets text in it: the family's first name, the size and the weight, e.g. `DejaVu Sans 13px 400`. */
export type FontKey = string

/**
 * Every font (family, size, weight) the page's visible text and form
 * controls are set in, each with the first text found in it; and the type
 * scale's sizes and weights, read from the design tokens.
 */
export function fontsInUse(page: Page): Promise<{ scale: { sizes: string[]; weights: string[] }; used: Array<[FontKey, string]> }> {
  return page.evaluate(`(() => {
    const root = getComputedStyle(document.documentElement)
    const token = (name) => root.getPropertyValue(name).trim()
    const scale = {
      sizes: ['xs', 'sm', 'md', 'lg', 'xl', 'title'].map((s) => token('--font-size-' + s)).filter(Boolean),
      weights: ['400', token('--font-weight-medium'), token('--font-weight-strong')],
    }
    const used = new Map()
    const note = (el, what) => {
      if (!el || !el.getClientRects().length) return
      const cs = getComputedStyle(el)
      const key = [cs.fontFamily.split(',')[0].trim(), cs.fontSize, cs.fontWeight].join(' ')
      if (!used.has(key)) used.set(key, what)
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.trim()) note(n.parentElement, n.textContent.trim().slice(0, 24))
    for (const el of document.querySelectorAll('input, textarea, select, button')) note(el, el.tagName)
    return { scale, used: [...used] }
  })()`)
}

/** The fonts of START_SCREEN_FONTS (app/start-fonts.ts) as the page's tokens make them, keyed as fontsInUse keys them. */
export function startScreenFonts(page: Page): Promise<FontKey[]> {
  return page.evaluate(`(() => {
    const root = getComputedStyle(document.documentElement)
    const token = (name) => root.getPropertyValue(name).trim()
    return ${JSON.stringify(START_SCREEN_FONTS)}.map(([family, size, weight]) =>
      [token('--font-' + family).split(',')[0].trim().replace(/^['"]|['"]$/g, ''), token('--font-size-' + size), weight === 'strong' ? token('--font-weight-strong') : '400'].join(' '))
  })()`)
}
