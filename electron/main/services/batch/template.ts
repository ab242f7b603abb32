/**
 * `{{column}}` prompt variables filled from one input row. Whitespace inside
 * the braces is allowed (`{{ topic }}`); names are letters, digits, `_`, `-`
 * and `.`. A variable the row has no value for is reported, never silently
 * replaced by an empty string.
 */

const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

/** The distinct variable names in a template, in order of first use. */
export function templateVariables(template: string): string[] {
  const seen = new Set<string>()
  for (const m of template.matchAll(VARIABLE)) seen.add(m[1])
  return [...seen]
}

export interface Filled {
  text: string
  /** Variables the row has no value for; the text keeps their {{…}} as written. */
  missing: string[]
}

export function fillTemplate(template: string, row: Readonly<Record<string, string>>): Filled {
  const missing = new Set<string>()
  const text = template.replace(VARIABLE, (whole, name: string) => {
    if (Object.prototype.hasOwnProperty.call(row, name)) return row[name]
    missing.add(name)
    return whole
  })
  return { text, missing: [...missing] }
}
