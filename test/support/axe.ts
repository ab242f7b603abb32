import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import type { Page } from 'playwright-core'

/**
 * Accessibility checks with axe-core, in the page as it runs (under the
 * app's CSP: the script is evaluated through the DevTools protocol, not
 * added as a tag). WCAG 2.1 A and AA rules only.
 */

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/** Violations inside the element matched by `selector` (the whole page by default), each with the elements at fault. */
export async function axeViolations(page: Page, selector = 'body'): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource)
  // A string, not a function: tsx would wrap a function in helpers the page does not have.
  const result = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document.querySelector(${JSON.stringify(selector)}), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  })()`)) as AxeViolation[]
  return result
}
