import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

/*
 * WCAG 2.1 AA contrast of the design tokens (renderer/src/styles/tokens.css),
 * in both themes: every text colour on every surface it is used on (4.5:1),
 * status colours on their own tint as badges and chips draw it, text on the
 * accent fill, and the edge of form controls (3:1, a UI boundary).
 */

const SRC = fileURLToPath(new URL('../../../renderer/src/', import.meta.url))
const TOKENS_CSS = readFileSync(path.join(SRC, 'styles/tokens.css'), 'utf8')

/** The custom properties declared in the block whose selector is `selector`. */
function tokensOf(css: string, selector: string): Record<string, string> {
  const at = css.indexOf(`${selector} {`)
  if (at < 0) throw new Error(`no ${selector} block in tokens.css`)
  const body = css.slice(at, css.indexOf('}', at))
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]))
}

type Rgb = [number, number, number]

function rgb(value: string): Rgb {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1]
  if (!hex) throw new Error(`not a #rgb or #rrggbb colour: ${value}`)
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb
}

/** WCAG 2.1 relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

/** `color-mix(in srgb, fg p%, transparent)` painted over `bg`. */
function tint(fg: Rgb, bg: Rgb, p: number): Rgb {
  return fg.map((v, i) => Math.round(v * p + bg[i] * (1 - p))) as Rgb
}

/** Colours that text is set in (every `color: var(--…)` in the renderer's CSS must be one of these). */
const TEXT = ['--text', '--text-muted', '--text-faint', '--accent', '--ok', '--warn', '--danger', '--info', '--demo']
/** Surfaces text sits on: the page, panels, wells and hovered rows. */
const SURFACES = ['--bg', '--bg-raised', '--bg-sunken', '--bg-hover']
/** Colours that also tint their own badge or chip (up to 12%) under their text. */
const STATUS = ['--accent', '--ok', '--warn', '--danger', '--info', '--demo']

describe.each(['dark', 'light'])('design tokens, %s theme', (theme) => {
  const tokens = tokensOf(TOKENS_CSS, `[data-theme='${theme}']`)
  const color = (name: string) => {
    if (!tokens[name]) throw new Error(`${name} is not set for the ${theme} theme`)
    return rgb(tokens[name])
  }
  const pairs = (fgs: string[], bgs: string[]) => fgs.flatMap((fg) => bgs.map((bg) => [fg, bg] as const))

  it.each(pairs(TEXT, SURFACES))('%s on %s is at least 4.5:1', (fg, bg) => {
    expect(contrast(color(fg), color(bg))).toBeGreaterThanOrEqual(4.5)
  })

  it.each(pairs(['--text', '--text-muted'], ['--bg-active']))('%s on the selected row (%s) is at least 4.5:1', (fg, bg) => {
    expect(contrast(color(fg), color(bg))).toBeGreaterThanOrEqual(4.5)
  })

  it.each(pairs(STATUS, ['--bg', '--bg-raised']))('%s on its own 12%% tint over %s (badges, chips) is at least 4.5:1', (fg, bg) => {
    expect(contrast(color(fg), tint(color(fg), color(bg), 0.12))).toBeGreaterThanOrEqual(4.5)
  })

  it.each(pairs(['--on-accent'], ['--accent', '--accent-strong']))('%s on %s (primary buttons) is at least 4.5:1', (fg, bg) => {
    expect(contrast(color(fg), color(bg))).toBeGreaterThanOrEqual(4.5)
  })

  it.each(pairs(['--border-control'], ['--bg', '--bg-raised', '--bg-sunken']))('%s against %s (a UI boundary) is at least 3:1', (fg, bg) => {
    expect(contrast(color(fg), color(bg))).toBeGreaterThanOrEqual(3)
  })
})

describe('the token file is the one place for text colours', () => {
  const cssFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? cssFiles(path.join(dir, e.name)) : e.name.endsWith('.css') ? [path.join(dir, e.name)] : [],
    )

  it('sets text only in the checked tokens (or a screen-scoped syntax colour)', () => {
    const used = new Set<string>()
    for (const file of cssFiles(SRC)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|[\s;{])color:\s*var\((--[\w-]+)/g)) used.add(m[1])
    }
    const unchecked = [...used].filter((t) => !TEXT.includes(t) && t !== '--on-accent' && !t.startsWith('--yaml-'))
    expect(unchecked).toEqual([])
    expect(used.has('--text-faint')).toBe(true)
  })

  it('computes contrast as WCAG does (black on white is 21:1, #777 on white 4.48:1)', () => {
    expect(contrast(rgb('#000'), rgb('#fff'))).toBeCloseTo(21, 5)
    expect(contrast(rgb('#777777'), rgb('#ffffff'))).toBeCloseTo(4.48, 2)
  })
})
