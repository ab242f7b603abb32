/**
 * Cerebras's limits for `strict: true` JSON schemas (response_format
 * json_schema and strict tools), checked before sending so the user sees
 * what to change instead of a 400:
 * - no `"type": [...]` shorthand (write anyOf instead),
 * - at most 5 branches in an anyOf,
 * - no `items: true`,
 * - every key of `properties` listed in `required`.
 */

export interface SchemaProblem {
  /** JSON pointer to the offending schema, e.g. `#/properties/tags`. */
  path: string
  message: string
}

export const MAX_ANY_OF = 5

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

export function strictSchemaProblems(schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  const visit = (node: unknown, path: string, depth: number) => {
    if (depth > 64) return
    if (!isObject(node)) return
    if (Array.isArray(node.type)) {
      const types = node.type.map(String)
      problems.push({
        path,
        message: `"type": [${types.map((t) => `"${t}"`).join(', ')}] is not allowed in strict mode; use "anyOf": [${types.map((t) => `{"type": "${t}"}`).join(', ')}]`,
      })
    }
    if (Array.isArray(node.anyOf) && node.anyOf.length > MAX_ANY_OF) {
      problems.push({ path: `${path}/anyOf`, message: `anyOf has ${node.anyOf.length} branches; strict mode allows at most ${MAX_ANY_OF}` })
    }
    if (node.items === true) problems.push({ path: `${path}/items`, message: '"items": true is not allowed in strict mode; describe the items with a schema' })
    if (isObject(node.properties)) {
      const required = Array.isArray(node.required) ? node.required.map(String) : []
      const missing = Object.keys(node.properties).filter((k) => !required.includes(k))
      if (missing.length) {
        problems.push({
          path: `${path}/required`,
          message: `strict mode needs every property in "required"; missing: ${missing.map((m) => `"${m}"`).join(', ')} (make optional ones nullable with anyOf […, {"type": "null"}])`,
        })
      }
      for (const [k, v] of Object.entries(node.properties)) visit(v, `${path}/properties/${escapePointer(k)}`, depth + 1)
    }
    for (const key of ['items', 'additionalProperties', 'not', 'contains'] as const) {
      if (isObject(node[key])) visit(node[key], `${path}/${key}`, depth + 1)
    }
    for (const key of ['anyOf', 'allOf', 'oneOf', 'prefixItems'] as const) {
      const list = node[key]
      if (Array.isArray(list)) list.forEach((s, i) => visit(s, `${path}/${key}/${i}`, depth + 1))
    }
    for (const key of ['$defs', 'definitions'] as const) {
      const defs = node[key]
      if (isObject(defs)) for (const [k, v] of Object.entries(defs)) visit(v, `${path}/${key}/${escapePointer(k)}`, depth + 1)
    }
  }
  visit(schema, '#', 0)
  return problems
}
