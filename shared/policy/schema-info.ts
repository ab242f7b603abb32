import { z } from 'zod'

import { CATALOG_ONLY_KINDS, ENFORCED_KINDS, isEnforcedKind, KIND_INFO } from './kinds'
import { POLICY_BLOCK_SCHEMAS, PolicyConfigSchema, PromptInjectionSchema, SinglePolicyHeaderSchema } from './schema'
import type { YamlPath } from './yaml'

/**
 * Schema introspection for lint messages ("valid keys are …") and for the
 * editor's completion and hover docs.
 */

export interface FieldInfo {
  /** Documentation of the field, when the schema has some. */
  description?: string
  /** Keys allowed when the field is a mapping. */
  keys?: string[]
  /** Allowed values when the field is an enum or literal. */
  values?: string[]
  /** 'object' | 'array' | 'string' | 'number' | 'boolean' | 'record' | 'unknown' … */
  type: string
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s
  for (let i = 0; i < 8; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
      cur = (cur as z.ZodOptional<z.ZodType>).unwrap() as z.ZodType
    } else break
  }
  return cur
}

function describe(s: z.ZodType): string | undefined {
  let cur: z.ZodType | undefined = s
  for (let i = 0; i < 8 && cur; i++) {
    if (cur.description) return cur.description
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
      cur = (cur as z.ZodOptional<z.ZodType>).unwrap() as z.ZodType
    } else break
  }
  return undefined
}

/** The schema at a document path, following policy.<kind> into that kind's block schema. */
export function schemaAt(path: YamlPath, shape: 'config' | 'single' = 'config'): z.ZodType | undefined {
  let cur: z.ZodType | undefined =
    shape === 'single' ? z.strictObject({ policy: SinglePolicyHeaderSchema, ...PromptInjectionSchema.shape }) : PolicyConfigSchema
  for (let i = 0; i < path.length && cur; i++) {
    const seg = path[i]
    const s = unwrap(cur)
    if (shape === 'config' && i === 1 && path[0] === 'policy' && typeof seg === 'string') {
      cur = isEnforcedKind(seg) ? POLICY_BLOCK_SCHEMAS[seg] : undefined
      continue
    }
    if (s instanceof z.ZodObject) {
      cur = (s.shape as Record<string, z.ZodType>)[String(seg)]
    } else if (s instanceof z.ZodArray) {
      cur = s.element as z.ZodType
    } else if (s instanceof z.ZodRecord) {
      cur = s.valueType as z.ZodType
    } else if (s instanceof z.ZodUnion) {
      const obj = (s.options as z.ZodType[]).map(unwrap).find((o) => o instanceof z.ZodObject) as z.ZodObject | undefined
      cur = obj ? (obj.shape as Record<string, z.ZodType>)[String(seg)] : undefined
    } else {
      cur = undefined
    }
  }
  return cur
}

export function fieldInfo(path: YamlPath, shape: 'config' | 'single' = 'config'): FieldInfo | undefined {
  if (shape === 'config' && path.length === 2 && path[0] === 'policy' && typeof path[1] === 'string') {
    const kind = path[1]
    if (isEnforcedKind(kind)) {
      const info = KIND_INFO[kind]
      return {
        type: 'object',
        description: `${info.summary}${info.waferExtension ? ' (Wafer extension, not a Keeptrusts kind.)' : ''}`,
        keys: Object.keys(POLICY_BLOCK_SCHEMAS[kind].shape),
      }
    }
    return { type: 'unknown', description: 'A Keeptrusts policy kind this app keeps in the file but does not enforce.' }
  }
  if (shape === 'config' && path.length === 1 && path[0] === 'policy') {
    return { type: 'record', description: describe(PolicyConfigSchema.shape.policy), keys: [...ENFORCED_KINDS, ...CATALOG_ONLY_KINDS] }
  }
  const s = schemaAt(path, shape)
  if (!s) return undefined
  const u = unwrap(s)
  const info: FieldInfo = { type: typeName(u), description: describe(s) }
  if (u instanceof z.ZodObject) info.keys = Object.keys(u.shape)
  if (u instanceof z.ZodEnum) info.values = (u.options as Array<string | number>).map(String)
  if (u instanceof z.ZodLiteral) info.values = [...(u.values as Set<unknown>)].map(String)
  if (u instanceof z.ZodBoolean) info.values = ['true', 'false']
  if (path.length >= 2 && path[0] === 'policies' && path[1] === 'chain') {
    info.values = [...ENFORCED_KINDS, ...CATALOG_ONLY_KINDS]
  }
  return info
}

function typeName(s: z.ZodType): string {
  if (s instanceof z.ZodObject) return 'object'
  if (s instanceof z.ZodArray) return 'array'
  if (s instanceof z.ZodRecord) return 'record'
  if (s instanceof z.ZodString) return 'string'
  if (s instanceof z.ZodNumber) return 'number'
  if (s instanceof z.ZodBoolean) return 'boolean'
  if (s instanceof z.ZodEnum || s instanceof z.ZodLiteral) return 'enum'
  if (s instanceof z.ZodUnion) return 'union'
  return 'unknown'
}

/** Keys valid in the mapping at `path` (for E002 messages). */
export function validKeysAt(path: YamlPath, shape: 'config' | 'single' = 'config'): string[] {
  return fieldInfo(path, shape)?.keys ?? []
}
