import { lineCol, parsePolicyYaml, stringifyPolicyYaml, toPlain, type YamlPath } from '@shared/policy'
import { diffArrays } from 'diff'
import { type Document, isMap, isSeq } from 'yaml'

/**
 * Edits from the visual form, applied to the one YAML document both views
 * share. The edit goes through yaml's Document API (comments and key order
 * survive), and then only the lines the edit changed are taken from the
 * re-serialised document: every other line keeps exactly what the user
 * typed, down to the spaces before a comment.
 */

export type DocMutation = (doc: Document) => void

export class DocEditError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DocEditError'
  }
}

/** Apply a form edit to the YAML text; throws DocEditError while the text has syntax errors. */
export function applyDocEdit(text: string, mutate: DocMutation): string {
  const parsed = parsePolicyYaml(text)
  if (parsed.doc.errors.length) {
    const first = parsed.doc.errors[0]
    const at = lineCol(parsed.lineCounter, first.pos[0])
    throw new DocEditError(`Fix the YAML syntax error on line ${at.line} first; the form edits the document once it parses.`)
  }
  const base = stringifyPolicyYaml(parsed.doc)
  mutate(parsed.doc)
  const edited = stringifyPolicyYaml(parsed.doc)
  if (edited === base) return text
  return keepLayout(text, base, edited)
}

const squash = (s: string) => s.replace(/\s+/g, '')

/**
 * `original` and `base` are the same document (base is its normalised
 * serialisation); `edited` is base after the edit. Take the lines the edit
 * did not touch from `original`, the rest from `edited`. When the two do not
 * line up (the normaliser joined or split lines), `edited` is used as is.
 */
function keepLayout(original: string, base: string, edited: string): string {
  const o = original.split('\n')
  const b = base.split('\n')
  if (!original.endsWith('\n') && base.endsWith('\n')) o.push('')
  if (o.length !== b.length || o.some((line, i) => squash(line) !== squash(b[i]))) return edited
  const out: string[] = []
  let at = 0
  let replaced: string[] = []
  for (const part of diffArrays(b, edited.split('\n'))) {
    if (part.added) {
      // A line changed in place keeps its comment where it was (aligned comments stay aligned).
      out.push(...part.value.map((line, k) => (replaced.length === part.value.length ? alignComment(line, replaced[k]) : line)))
      replaced = []
    } else if (part.removed) {
      replaced = o.slice(at, at + part.value.length)
      at += part.value.length
    } else {
      replaced = []
      for (let k = 0; k < part.value.length; k++) out.push(o[at + k])
      at += part.value.length
    }
  }
  const merged = out.join('\n')
  return sameData(merged, edited) ? merged : edited
}

/** Split a line into code and its trailing comment (a `#` after whitespace, outside quotes). */
function splitComment(line: string): { code: string; comment: string } | null {
  let quote: string | null = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = null
      continue
    }
    if (c === '"' || c === "'") quote = c
    else if (c === '#' && i > 0 && /\s/.test(line[i - 1])) {
      const code = line.slice(0, i).trimEnd()
      return code ? { code, comment: line.slice(i) } : null
    }
  }
  return null
}

function alignComment(line: string, before: string): string {
  const now = splitComment(line)
  const was = splitComment(before)
  if (!now || !was || now.comment !== was.comment) return line
  const column = before.length - was.comment.length
  return now.code.length < column ? now.code.padEnd(column) + now.comment : line
}

function sameData(a: string, b: string): boolean {
  try {
    const pa = parsePolicyYaml(a)
    const pb = parsePolicyYaml(b)
    return pa.doc.errors.length === 0 && JSON.stringify(toPlain(pa.doc)) === JSON.stringify(toPlain(pb.doc))
  } catch {
    return false
  }
}

// ---------------------------------------------------------------- mutations the form uses

/** Maps that may be removed when the form empties them (never top-level keys or a policy.<kind> block). */
function prunable(path: YamlPath): boolean {
  return path.length >= 2 && !(path[0] === 'policy' && path.length === 2)
}

function pruneEmptyParents(doc: Document, path: YamlPath): void {
  for (let len = path.length - 1; len >= 1; len--) {
    const parent = path.slice(0, len)
    const node = doc.getIn(parent, true)
    if (!prunable(parent) || !isMap(node) || node.items.length > 0) return
    doc.deleteIn(parent)
  }
}

/** Make every section on the way a mapping (an empty `audit-logger:` becomes one). */
function ensureSections(doc: Document, path: YamlPath): void {
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never
  for (let i = 1; i <= path.length; i++) {
    const p = path.slice(0, i)
    const node = doc.getIn(p, true)
    if (!isMap(node) && !isSeq(node)) doc.setIn(p, doc.createNode({}))
  }
}

/** Write a value, creating the sections on the way; a scalar keeps its comment and quoting. */
function write(doc: Document, path: YamlPath, value: unknown): void {
  ensureSections(doc, path.slice(0, -1))
  const existing = doc.getIn(path, true)
  if (
    existing &&
    typeof existing === 'object' &&
    !isMap(existing) &&
    !isSeq(existing) &&
    'value' in existing &&
    (value === null || typeof value !== 'object')
  ) {
    ;(existing as { value: unknown }).value = value
    return
  }
  doc.setIn(path, doc.createNode(value))
}

/** Set a value; undefined (or an empty string) removes the key, and the sections it leaves empty. */
export function setValue(path: YamlPath, value: unknown): DocMutation {
  return (doc) => {
    if (value === undefined || value === '') {
      if (doc.hasIn(path)) {
        doc.deleteIn(path)
        pruneEmptyParents(doc, path)
      }
      return
    }
    write(doc, path, value)
  }
}

function seqAt(doc: Document, path: YamlPath) {
  const node = doc.getIn(path, true)
  return isSeq(node) ? node : null
}

/** Replace item `index` of a list of strings (patterns); an empty one stays, for lint to point at. */
export function setListItem(path: YamlPath, index: number, value: string): DocMutation {
  return (doc) => write(doc, [...path, index], value)
}

export function addListItem(path: YamlPath, value: unknown): DocMutation {
  return (doc) => {
    const seq = seqAt(doc, path)
    if (seq) seq.items.push(doc.createNode(value))
    else setValue(path, [value])(doc)
  }
}

/** Remove a list item; an emptied list goes (unless kept), with the sections it leaves empty. */
export function removeListItem(path: YamlPath, index: number, keepEmpty = false): DocMutation {
  return (doc) => {
    const seq = seqAt(doc, path)
    if (!seq || index < 0 || index >= seq.items.length) return
    // A comment above the first item is stored on the list; keep it with the next item.
    if (index === 0 && seq.commentBefore && seq.items[1] && typeof seq.items[1] === 'object') {
      const next = seq.items[1] as { commentBefore?: string | null }
      next.commentBefore = next.commentBefore ?? seq.commentBefore
      seq.commentBefore = undefined
    }
    seq.items.splice(index, 1)
    if (seq.items.length === 0 && !keepEmpty) setValue(path, undefined)(doc)
  }
}

/** Move a list item (the chain, the targets); its comment moves with it. */
export function moveListItem(path: YamlPath, from: number, to: number): DocMutation {
  return (doc) => {
    const seq = seqAt(doc, path)
    if (!seq || from === to || from < 0 || to < 0 || from >= seq.items.length || to >= seq.items.length) return
    if (from === 0 && seq.commentBefore && seq.items[0] && typeof seq.items[0] === 'object') {
      const first = seq.items[0] as { commentBefore?: string | null }
      if (!first.commentBefore) {
        first.commentBefore = seq.commentBefore
        seq.commentBefore = undefined
      }
    }
    const [item] = seq.items.splice(from, 1)
    seq.items.splice(to, 0, item)
  }
}

/** Starter blocks for kinds that do nothing without one (lint E003 otherwise). */
export const STARTER_BLOCKS: Record<string, unknown> = {
  'token-budget': { max_completion_tokens: 4096 },
  'deny-patterns': { patterns: ['(password|passwd)\\s*[:=]'] },
  'allow-patterns': { patterns: ['\\w'] },
}

export function addToChain(kind: string): DocMutation {
  return (doc) => {
    addListItem(['policies', 'chain'], kind)(doc)
    const starter = STARTER_BLOCKS[kind]
    if (starter && !doc.hasIn(['policy', kind])) setValue(['policy', kind], starter)(doc)
  }
}

/** Take a kind out of the chain; its settings block stays (lint says it no longer runs). */
export function removeFromChain(index: number): DocMutation {
  return removeListItem(['policies', 'chain'], index, true)
}

export function deleteBlock(kind: string): DocMutation {
  return setValue(['policy', kind], undefined)
}

/** Give a chained kind an explicit settings block (to edit its defaults). */
export function addBlock(kind: string): DocMutation {
  return setValue(['policy', kind], STARTER_BLOCKS[kind] ?? {})
}

/** Lint W001: move flat prompt-injection keys under `detection:`. */
export function moveFlatInjectionKeys(): DocMutation {
  return (doc) => {
    const base = ['policy', 'prompt-injection']
    const flatPatterns = doc.getIn([...base, 'attack_patterns'])
    const flatThreshold = doc.getIn([...base, 'embedding_threshold'])
    if (flatPatterns !== undefined) {
      const list = toPlainList(flatPatterns)
      const existing = toPlainList(doc.getIn([...base, 'detection', 'attack_patterns']))
      doc.deleteIn([...base, 'attack_patterns'])
      setValue([...base, 'detection', 'attack_patterns'], [...existing, ...list.filter((p) => !existing.includes(p))])(doc)
    }
    if (flatThreshold !== undefined) {
      doc.deleteIn([...base, 'embedding_threshold'])
      if (!doc.hasIn([...base, 'detection', 'embedding_threshold']))
        setValue([...base, 'detection', 'embedding_threshold'], (flatThreshold as { toJSON?: () => unknown })?.toJSON?.() ?? flatThreshold)(doc)
    }
  }
}

function toPlainList(v: unknown): unknown[] {
  if (v && typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: () => unknown }).toJSON === 'function') {
    const j = (v as { toJSON: () => unknown }).toJSON()
    return Array.isArray(j) ? j : []
  }
  return Array.isArray(v) ? v : []
}

export function addTarget(existingIds: readonly string[]): DocMutation {
  let n = existingIds.length + 1
  while (existingIds.includes(`target-${n}`)) n++
  return addListItem(['providers', 'targets'], {
    id: `target-${n}`,
    provider: 'openai',
    model: 'gpt-4o',
    secret_key_ref: { env: 'OPENAI_API_KEY' },
  })
}

/** The `secret_key_ref` choice: one of env or store, never both. */
export function setSecretRef(targetIndex: number, source: 'env' | 'store', name: string): DocMutation {
  const base = ['providers', 'targets', targetIndex, 'secret_key_ref']
  return (doc) => {
    const other = source === 'env' ? 'store' : 'env'
    if (doc.hasIn([...base, other])) doc.deleteIn([...base, other])
    setValue([...base, source], name === '' ? undefined : name)(doc)
  }
}
