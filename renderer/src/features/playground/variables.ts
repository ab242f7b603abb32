import type { PromptDoc } from '@shared/ipc/domains/history'

/**
 * `{{name}}` placeholders. Names are letters, digits, `_`, `.` and `-`,
 * starting with a letter or `_`; spaces inside the braces are allowed.
 * Anything else in double braces is left alone (it may be code).
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]{0,99})\s*\}\}/g

/** Placeholder names in order of first appearance. */
export function findVariables(texts: readonly string[]): string[] {
  const seen = new Set<string>()
  for (const t of texts) {
    if (!t.includes('{{')) continue
    for (const m of t.matchAll(PLACEHOLDER)) seen.add(m[1])
  }
  return [...seen]
}

/**
 * The texts placeholders are read from: the system prompt and user turns
 * (plus the unsent composer text). Model answers and tool results are left
 * alone: `{{…}}` there is output, often template code, not a variable.
 */
export function promptTexts(doc: Pick<PromptDoc, 'system' | 'messages'>, extra: readonly string[] = []): string[] {
  return [doc.system, ...doc.messages.filter((m) => m.role === 'user').map((m) => m.content), ...extra]
}

export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  if (!text.includes('{{')) return text
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole))
}

/** Names used but without a value (an empty value counts as missing). */
export function missingVariables(names: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return names.filter((n) => !values[n])
}
