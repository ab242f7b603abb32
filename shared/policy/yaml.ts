import { Document, isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node as YamlNode, type Pair, parseDocument } from 'yaml'

/**
 * YAML helpers around the `yaml` package's Document API: it keeps comments,
 * key order and formatting, so the visual editor and the text editor can edit
 * one document and round-trip it without losing what the user wrote.
 */

export type YamlPath = ReadonlyArray<string | number>

export interface ParsedPolicyYaml {
  doc: Document.Parsed
  lineCounter: LineCounter
  text: string
}

/** Refuse alias bombs: a few lines of anchors can otherwise expand to gigabytes. */
export const MAX_ALIAS_COUNT = 100

export function parsePolicyYaml(text: string): ParsedPolicyYaml {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false })
  return { doc, lineCounter, text }
}

/** 1-based line and column of a source offset. */
export function lineCol(lc: LineCounter, offset: number): { line: number; column: number } {
  const p = lc.linePos(offset)
  return { line: p.line, column: p.col }
}

export interface Located {
  /** The node at the path, when present. */
  node?: YamlNode
  /** The key/value pair holding it, when it sits in a map. */
  pair?: Pair<unknown, unknown>
  /** Source range [from, to) best describing the path (value, else key, else nearest ancestor). */
  range: [number, number]
  /** How much of the path was found. */
  depth: number
}

function rangeOf(n: unknown): [number, number] | undefined {
  if (isNode(n) && n.range) return [n.range[0], n.range[1]]
  return undefined
}

/** Find the node at `path` and the best source range to underline for it. */
export function locate(doc: Document, path: YamlPath, prefer: 'value' | 'key' = 'value'): Located {
  let current: unknown = doc.contents
  let pair: Pair<unknown, unknown> | undefined
  let best: [number, number] = rangeOf(doc.contents) ?? [0, 0]
  let depth = 0
  for (const seg of path) {
    let next: unknown
    let nextPair: Pair<unknown, unknown> | undefined
    if (isMap(current)) {
      nextPair = current.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg) as Pair<unknown, unknown> | undefined
      next = nextPair?.value
    } else if (isSeq(current) && typeof seg === 'number') {
      next = current.items[seg]
    }
    if (next === undefined && !nextPair) break
    depth++
    pair = nextPair
    current = next
    const keyRange = nextPair ? rangeOf(nextPair.key) : undefined
    const valueRange = rangeOf(next)
    best = (prefer === 'key' && depth === path.length ? (keyRange ?? valueRange) : (valueRange ?? keyRange)) ?? best
  }
  return { node: isNode(current) ? current : undefined, pair, range: best, depth }
}

/** The range of the key of the pair at `path` (for unknown-key and missing-key findings). */
export function locateKey(doc: Document, path: YamlPath): [number, number] {
  return locate(doc, path, 'key').range
}

// ------------------------------------------------------------- editing helpers

/** Set a value, creating block-style maps on the way; comments elsewhere are kept. */
export function setIn(doc: Document, path: YamlPath, value: unknown): void {
  if (path.length === 0) throw new Error('setIn needs a path')
  for (let i = 1; i < path.length; i++) {
    const parent = path.slice(0, i)
    if (!doc.hasIn(parent)) doc.setIn(parent, doc.createNode({}))
  }
  const existing = doc.getIn(path, true)
  if (isScalar(existing) && (value === null || typeof value !== 'object')) {
    existing.value = value // keeps the scalar's comment and quoting style
    return
  }
  doc.setIn(path, isNode(value) ? value : doc.createNode(value))
}

export function deleteIn(doc: Document, path: YamlPath): boolean {
  return doc.deleteIn(path)
}

/** Move an item of the sequence at `path` (e.g. policies.chain); its comment moves with it. */
export function moveSeqItem(doc: Document, path: YamlPath, from: number, to: number): void {
  const seq = doc.getIn(path, true)
  if (!isSeq(seq)) throw new Error(`${path.join('.')} is not a list`)
  if (from < 0 || from >= seq.items.length || to < 0 || to >= seq.items.length) throw new RangeError('index out of range')
  // A comment right above the first item is stored on the list itself; it
  // describes that item, so it travels with it.
  if (from === 0 && seq.commentBefore && isNode(seq.items[0]) && !seq.items[0].commentBefore) {
    seq.items[0].commentBefore = seq.commentBefore
    seq.commentBefore = undefined
  }
  const [item] = seq.items.splice(from, 1)
  seq.items.splice(to, 0, item)
}

/** Append to the sequence at `path`, creating it when missing. */
export function appendSeqItem(doc: Document, path: YamlPath, value: unknown): void {
  const seq = doc.getIn(path, true)
  if (isSeq(seq)) seq.items.push(doc.createNode(value))
  else setIn(doc, path, [value])
}

/** Serialise; throws when the document has syntax errors (the text must be fixed first). */
export function stringifyPolicyYaml(doc: Document): string {
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false })
}

/** Plain JavaScript value of the document, refusing alias bombs. */
export function toPlain(doc: Document): unknown {
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
}

export { isMap, isPair, isScalar, isSeq }
