import { type Schema, Validator } from '@cfworker/json-schema'

/**
 * JSON answers (response_format json_object / json_schema): pretty-printed,
 * and checked against the schema when there is one. @cfworker/json-schema
 * validates without eval, as the CSP requires.
 */

export interface JsonOutput {
  ok: boolean
  pretty: string | null
  /** Why it is not JSON, or where it breaks the schema. */
  problems: string[]
  /** Validated against a schema (not just parsed). */
  checked: boolean
}

export function inspectJson(text: string, schemaText: string | null): JsonOutput {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, pretty: null, problems: [`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`], checked: false }
  }
  const pretty = JSON.stringify(value, null, 2)
  if (!schemaText?.trim()) return { ok: true, pretty, problems: [], checked: false }
  let schema: Schema
  try {
    schema = JSON.parse(schemaText) as Schema
  } catch {
    return { ok: true, pretty, problems: [], checked: false }
  }
  const result = new Validator(schema, '2020-12', false).validate(value)
  const problems = result.errors
    .filter((e) => e.keyword !== 'properties' && e.keyword !== 'items' && e.keyword !== '$ref')
    .slice(0, 8)
    .map((e) => `${e.instanceLocation || '#'}: ${e.error}`)
  return { ok: result.valid, pretty, problems: result.valid ? [] : problems.length ? problems : ['does not match the schema'], checked: true }
}
