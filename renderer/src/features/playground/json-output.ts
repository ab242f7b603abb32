import type { Schema } from '@cfworker/json-schema'
import { useEffect, useMemo, useState } from 'react'

/**
 * JSON answers (response_format json_object / json_schema): pretty-printed,
 * and checked against the schema when there is one. @cfworker/json-schema
 * validates without eval, as the CSP requires; it loads when a JSON schema is
 * first used (chosen as the response format, or an answer to check), not with
 * the playground.
 */

type SchemaLib = typeof import('@cfworker/json-schema')
let schemaLib: SchemaLib | null = null
let loadingSchemaLib: Promise<SchemaLib> | null = null

/** Load the schema validator (once); the playground asks as soon as json_schema is the response format. */
export function loadSchemaValidator(): Promise<SchemaLib> {
  loadingSchemaLib ??= import('@cfworker/json-schema').then((lib) => (schemaLib = lib))
  return loadingSchemaLib
}

export interface JsonOutput {
  ok: boolean
  pretty: string | null
  /** Why it is not JSON, or where it breaks the schema. */
  problems: string[]
  /** Validated against a schema (not just parsed). */
  checked: boolean
}

/** An answer's JSON, inspected (null for none); once the validator has loaded, checked against the schema too. */
export function useJsonOutput(text: string | null, schemaText: string | null): JsonOutput | null {
  const wantsSchema = text !== null && !!schemaText?.trim()
  // The module's own copy once loaded; the state re-renders the answers that were waiting for it.
  const [lib, setLib] = useState<SchemaLib | null>(schemaLib)
  useEffect(() => {
    if (wantsSchema) void loadSchemaValidator().then(setLib)
  }, [wantsSchema])
  return useMemo(() => (text === null ? null : inspectJson(text, schemaText, lib ?? schemaLib)), [text, schemaText, lib])
}

export function inspectJson(text: string, schemaText: string | null, lib: SchemaLib | null = schemaLib): JsonOutput {
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
  // Not loaded yet (useJsonOutput checks again once it is): parsed, not yet checked.
  if (!lib) return { ok: true, pretty, problems: [], checked: false }
  const result = new lib.Validator(schema, '2020-12', false).validate(value)
  const problems = result.errors
    .filter((e) => e.keyword !== 'properties' && e.keyword !== 'items' && e.keyword !== '$ref')
    .slice(0, 8)
    .map((e) => `${e.instanceLocation || '#'}: ${e.error}`)
  return { ok: result.valid, pretty, problems: result.valid ? [] : problems.length ? problems : ['does not match the schema'], checked: true }
}
