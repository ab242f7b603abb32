import { fieldInfo, isCatalogOnlyKind, isEnforcedKind, KIND_INFO, type YamlPath } from '@shared/policy'

import { cursorContext, keyAt } from './yaml-context'

/**
 * Completion and hover docs for the policy YAML, from the schema
 * (shared/policy schema-info): valid keys where a key goes, allowed values
 * where a value goes. Editor-independent; YamlEditor adapts it to CodeMirror.
 */

export interface Suggestion {
  label: string
  /** property: a key; enum: an allowed value; kind: a policy kind. */
  type: 'property' | 'enum' | 'kind'
  /** What is inserted (a key gets its colon, and a new line for sections). */
  apply: string
  detail?: string
  info?: string
}

export interface Suggestions {
  from: number
  options: Suggestion[]
}

function kindInfo(kind: string): string | undefined {
  if (isEnforcedKind(kind)) return KIND_INFO[kind].summary
  if (isCatalogOnlyKind(kind)) return 'A Keeptrusts catalog kind: kept in the file, not enforced here.'
  return undefined
}

function keyOptions(parent: YamlPath, exclude: string[], column: number): Suggestion[] {
  const info = fieldInfo(parent)
  if (!info?.keys) return []
  const indent = ' '.repeat(column + 2)
  return info.keys
    .filter((k) => !exclude.includes(k))
    .map((key) => {
      const child = fieldInfo([...parent, key])
      const t = child?.type ?? 'unknown'
      const section = t === 'object' || t === 'record' || (parent.length === 1 && parent[0] === 'policy')
      const apply = section ? `${key}:\n${indent}` : t === 'array' ? `${key}:\n${indent}- ` : `${key}: `
      const isKind = parent.length === 1 && parent[0] === 'policy'
      return {
        label: key,
        type: isKind ? ('kind' as const) : ('property' as const),
        apply,
        detail: isKind ? (isEnforcedKind(key) ? 'policy kind' : 'not enforced here') : t,
        info: isKind ? kindInfo(key) : child?.description,
      }
    })
}

function valueOptions(path: YamlPath, exclude: string[]): Suggestion[] {
  const info = fieldInfo(path)
  if (!info?.values) return []
  const chain = path[0] === 'policies' && path[1] === 'chain'
  return info.values
    .filter((v) => !exclude.includes(v))
    .map((v) => ({
      label: v,
      type: chain ? ('kind' as const) : ('enum' as const),
      apply: v,
      detail: chain ? (isEnforcedKind(v) ? 'enforced' : 'not enforced here') : info.type,
      info: chain ? kindInfo(v) : info.description,
    }))
}

export function suggestionsAt(text: string, pos: number): Suggestions | null {
  const ctx = cursorContext(text, pos)
  if (!ctx) return null
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1
  const column = ctx.from - lineStart
  let options: Suggestion[]
  if (ctx.kind === 'key') options = keyOptions(ctx.parent, ctx.siblings, column)
  else if (ctx.kind === 'value') options = valueOptions([...ctx.parent, ctx.key!], [])
  else {
    options = valueOptions([...ctx.parent, 0], ctx.siblings)
    if (!options.length) options = keyOptions([...ctx.parent, 0], [], column)
  }
  const prefix = ctx.prefix.toLowerCase()
  options = options.filter((o) => o.label.toLowerCase().startsWith(prefix) || o.label.toLowerCase().includes(prefix))
  return options.length ? { from: ctx.from, options } : null
}

export interface HoverDoc {
  from: number
  to: number
  title: string
  type?: string
  description?: string
  values?: string[]
}

export function hoverAt(text: string, pos: number): HoverDoc | null {
  const at = keyAt(text, pos)
  if (!at) return null
  const { path } = at
  const last = String(path[path.length - 1])
  // A chain entry: the kind's summary.
  if (path.length === 3 && path[0] === 'policies' && path[1] === 'chain') {
    const info = kindInfo(last)
    return info ? { from: at.from, to: at.to, title: last, type: isEnforcedKind(last) ? 'policy kind' : 'not enforced here', description: info } : null
  }
  const info = fieldInfo(path)
  if (!info) return null
  const title = path.filter((s) => typeof s === 'string').join('.')
  return {
    from: at.from,
    to: at.to,
    title,
    type: info.type,
    ...(info.description ? { description: info.description } : {}),
    ...(info.values && !(path[0] === 'policies') ? { values: info.values } : {}),
  }
}
