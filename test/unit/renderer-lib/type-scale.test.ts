import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

/*
 * One type scale, from the design tokens (renderer/src/styles/tokens.css):
 * every font size and weight in the renderer's stylesheets names a token, or
 * is relative to its parent (em, %, inherit). Each size and weight a page
 * meets for the first time costs the browser font set-up in the first
 * layout, so a stray 12.5px on the start screen makes its first frame longer.
 */

const SRC = fileURLToPath(new URL('../../../renderer/src/', import.meta.url))

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return cssFiles(p)
    return e.name.endsWith('.css') ? [p] : []
  })
}

/** `property: value` declarations outside tokens.css whose value is neither a token of the kind nor relative. */
function strays(property: 'font-size' | 'font-weight', token: string, relative: RegExp): string[] {
  const out: string[] = []
  for (const file of cssFiles(SRC)) {
    if (file.endsWith(`${path.sep}tokens.css`)) continue
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = new RegExp(`(?:^|[\\s;{])${property}:\\s*([^;]+);`).exec(line)
        if (!m) return
        const value = m[1].trim()
        if (value.startsWith(`var(--${token}-`) || relative.test(value)) return
        out.push(`${path.relative(SRC, file)}:${i + 1} ${property}: ${value}`)
      })
  }
  return out
}

const TOKENS = readFileSync(path.join(SRC, 'styles/tokens.css'), 'utf8')
const declared = (prefix: string) => [...TOKENS.matchAll(new RegExp(`(--${prefix}-[\\w-]+):\\s*([^;]+);`, 'g'))].map((m) => [m[1], m[2].trim()])

describe('the type scale', () => {
  it('is a handful of sizes and weights declared once, in tokens.css', () => {
    const sizes = declared('font-size')
    const weights = declared('font-weight')
    expect(sizes.length).toBeGreaterThanOrEqual(3)
    expect(sizes.length).toBeLessThanOrEqual(6)
    expect(weights.length).toBeLessThanOrEqual(2)
    for (const [name, value] of sizes) expect(value, name).toMatch(/^\d+px$/)
    // Distinct values: two tokens for one size would be two names for one step.
    expect(new Set(sizes.map(([, v]) => v)).size).toBe(sizes.length)
  })

  it('is what every stylesheet uses for font sizes', () => {
    expect(strays('font-size', 'font-size', /^(inherit|[\d.]+(em|%))$/)).toEqual([])
  })

  it('is what every stylesheet uses for font weights (400, normal and inherit aside)', () => {
    expect(strays('font-weight', 'font-weight', /^(400|normal|inherit)$/)).toEqual([])
  })
})
