import type { YamlPath } from '@shared/policy'

/**
 * Where in a block-style YAML document a position is, read from indentation
 * (so it works while the text is half-typed and does not parse): the path
 * of the mapping or list around it, and whether a key, a value or a list
 * item is being written. Completion and hover docs are built on it.
 */

export interface CursorContext {
  /** key: a key of the mapping at `parent`; value: the value of `key` in it; item: an item of the list at `parent`. */
  kind: 'key' | 'value' | 'item'
  parent: YamlPath
  key?: string
  /** Start of the word being typed, and the typed part. */
  from: number
  prefix: string
  /** Keys (or items) already present there, not offered again. */
  siblings: string[]
}

interface LineInfo {
  /** Column where the content starts, after indentation and `- ` markers. */
  content: number
  /** Columns of the `- ` markers. */
  dashes: number[]
  /** The key at `content` when the content is `key:`. */
  key?: string
  /** Something other than a comment follows `key:`. */
  inlineValue: boolean
  /** Only whitespace or a comment. */
  blank: boolean
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#:'"[\]{},][^#:]*?)\s*:(?=\s|$)/

function unquote(k: string): string {
  if (k.length >= 2 && k.startsWith('"') && k.endsWith('"')) return k.slice(1, -1)
  if (k.length >= 2 && k.startsWith("'") && k.endsWith("'")) return k.slice(1, -1).replace(/''/g, "'")
  return k.trim()
}

function analyse(line: string): LineInfo {
  let i = 0
  const dashes: number[] = []
  for (;;) {
    while (i < line.length && line[i] === ' ') i++
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
      dashes.push(i)
      i++
      continue
    }
    break
  }
  const rest = line.slice(i)
  const empty = rest.trim() === '' || rest.startsWith('#')
  if (empty) return { content: i, dashes, inlineValue: false, blank: dashes.length === 0 }
  const m = KEY.exec(rest)
  if (!m) return { content: i, dashes, inlineValue: true, blank: false }
  const after = rest
    .slice(m[0].length)
    .replace(/(^|\s)#.*$/, '')
    .trim()
  return { content: i, dashes, key: unquote(m[1]), inlineValue: after !== '', blank: false }
}

const firstColumn = (info: LineInfo) => (info.dashes.length ? info.dashes[0] : info.content)

/** Index of the list item whose `- ` is at column `dash` on line `lineNo`. */
function itemIndex(lines: string[], lineNo: number, dash: number): number {
  let index = -1
  for (let k = lineNo; k >= 0; k--) {
    const info = analyse(lines[k])
    if (info.blank) continue
    if (firstColumn(info) < dash) break
    if (info.dashes.includes(dash)) index++
  }
  return Math.max(0, index)
}

/**
 * The path of the collection holding whatever starts at `column` on line
 * `lineNo`, and the keys written at that level above it.
 */
function ancestry(lines: string[], lineNo: number, column: number): { parent: YamlPath; siblings: string[] } {
  const parent: Array<string | number> = []
  const siblings: string[] = []
  let limit = column
  for (let j = lineNo - 1; j >= 0 && limit > 0; j--) {
    const info = analyse(lines[j])
    if (info.blank) continue
    if (firstColumn(info) >= limit) {
      if (parent.length === 0 && info.content === limit && info.dashes.length === 0 && info.key !== undefined) siblings.push(info.key)
      continue
    }
    // `- key: …` starting the list item we are in: its key is a sibling of ours.
    if (parent.length === 0 && info.content === limit && info.key !== undefined) siblings.push(info.key)
    // This line opens what holds us: a `key:` with nothing after it, and/or list items.
    if (info.content < limit && info.key !== undefined && !info.inlineValue) parent.unshift(info.key)
    for (const d of [...info.dashes].reverse()) if (d < limit) parent.unshift(itemIndex(lines, j, d))
    limit = firstColumn(info)
  }
  return { parent, siblings }
}

/** The path of the mapping a line's own key belongs to (inside its list item when it starts with `- `). */
function lineParent(lines: string[], lineNo: number, info: Pick<LineInfo, 'dashes' | 'content'>): { parent: YamlPath; siblings: string[] } {
  if (!info.dashes.length) return ancestry(lines, lineNo, info.content)
  const { parent } = ancestry(lines, lineNo, info.dashes[0])
  return { parent: [...parent, ...info.dashes.map((d) => itemIndex(lines, lineNo, d))], siblings: [] }
}

/** Keys written at the same level below the line. */
function siblingsBelow(lines: string[], lineNo: number, column: number): string[] {
  const out: string[] = []
  for (let j = lineNo + 1; j < lines.length; j++) {
    const info = analyse(lines[j])
    if (info.blank) continue
    if (firstColumn(info) < column) break
    if (info.content === column && info.dashes.length === 0 && info.key !== undefined) out.push(info.key)
  }
  return out
}

function lineAt(text: string, pos: number) {
  const start = text.lastIndexOf('\n', pos - 1) + 1
  const end = text.indexOf('\n', pos)
  const lines = text.split('\n')
  let lineNo = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) lineNo++
  return { start, line: text.slice(start, end < 0 ? text.length : end), lines, lineNo }
}

export function cursorContext(text: string, pos: number): CursorContext | null {
  const { start, line, lines, lineNo } = lineAt(text, pos)
  const before = line.slice(0, pos - start)
  if (/(^|\s)#/.test(before.replace(/"[^"]*"|'[^']*'/g, '""'))) return null // in a comment
  const lead = analyse(before)
  const typed = before.slice(lead.content)

  const kv = /^("[^"]*"|'[^']*'|[^\s#:'"[\]{},][^#:]*?)\s*:\s+(.*)$/.exec(typed)
  if (kv) {
    const key = unquote(kv[1])
    const value = kv[2]
    const { parent } = lineParent(lines, lineNo, lead)
    const flow = /\[([^\]]*)$/.exec(value)
    if (flow) {
      const word = /[^\s,[]*$/.exec(flow[1])![0]
      const items = flow[1]
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && s !== word)
      return { kind: 'item', parent: [...parent, key], from: pos - word.length, prefix: word, siblings: items }
    }
    const word = value.replace(/^["']/, '')
    if (/\s/.test(word)) return null
    return { kind: 'value', parent, key, from: pos - word.length, prefix: word, siblings: [] }
  }
  if (!/^[\w.:-]*$/.test(typed)) return null
  if (lead.dashes.length) {
    // `- wor|`: an item of the list (a chain entry), or the first key of a new mapping item.
    const { parent } = ancestry(lines, lineNo, lead.dashes[lead.dashes.length - 1])
    const items: string[] = []
    for (let j = 0; j < lines.length; j++) {
      if (j === lineNo) continue
      const info = analyse(lines[j])
      if (info.dashes.includes(lead.dashes[lead.dashes.length - 1]) && info.key === undefined && !info.blank) {
        const same = ancestry(lines, j, info.dashes[info.dashes.length - 1]).parent
        if (same.join('\u0000') === parent.join('\u0000'))
          items.push(
            lines[j]
              .slice(info.content)
              .replace(/(^|\s)#.*$/, '')
              .trim(),
          )
      }
    }
    return { kind: 'item', parent, from: pos - typed.length, prefix: typed, siblings: items }
  }
  const { parent, siblings } = ancestry(lines, lineNo, lead.content)
  return { kind: 'key', parent, from: pos - typed.length, prefix: typed, siblings: [...siblings, ...siblingsBelow(lines, lineNo, lead.content)] }
}

/** The full path of the key (or scalar list item) under `pos`, for hover docs. */
export function keyAt(text: string, pos: number): { path: YamlPath; from: number; to: number } | null {
  const { start, line, lines, lineNo } = lineAt(text, pos)
  const info = analyse(line)
  const col = pos - start
  if (info.key !== undefined) {
    const keyEnd = info.content + line.slice(info.content).indexOf(':')
    if (col >= info.content && col <= keyEnd) {
      const { parent } = lineParent(lines, lineNo, info)
      return { path: [...parent, info.key], from: start + info.content, to: start + keyEnd }
    }
    return null
  }
  if (info.dashes.length && !info.blank) {
    const word = /^[\w.:-]+/.exec(line.slice(info.content))
    if (word && col >= info.content && col <= info.content + word[0].length) {
      const { parent } = ancestry(lines, lineNo, info.dashes[info.dashes.length - 1])
      return { path: [...parent, word[0]], from: start + info.content, to: start + info.content + word[0].length }
    }
  }
  return null
}
