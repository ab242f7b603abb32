import { deprecationInfo } from '@shared/catalog/lookup'
import { type LintOptions, lintPolicyText, type LintResult } from '@shared/policy'
import { createStore } from 'zustand/vanilla'

import { applyDocEdit, DocEditError, type DocMutation } from './doc-edit'

/**
 * The one policy document both views edit. The YAML text is the truth: the
 * code editor changes it directly, the form through yaml's Document API
 * (doc-edit.ts); every change is linted once here and both views render
 * from the result. Undo and redo cover both views (the installed CodeMirror
 * packages have no history of their own). Lives outside React so the
 * document survives leaving the screen.
 */

export interface OpenFile {
  path: string
  mtimeMs: number
}

interface Snapshot {
  text: string
  /** Cursor to restore with it. */
  cursor: number | null
}

export interface DocState {
  text: string
  lint: LintResult
  file: OpenFile | null
  /** The text as last opened or saved; null for a document never saved. */
  savedText: string | null
  /** Shown in the toolbar: the file name, or "Untitled" (and the template it came from). */
  title: string
  past: Snapshot[]
  future: Snapshot[]
  /** Bumped on every change; the code editor syncs when it differs from what it holds. */
  revision: number
  /** Why the last form edit could not be applied (the YAML has a syntax error). */
  formError: string | null
  /** Where the last change came from, so the code editor keeps its cursor on its own edits. */
  origin: 'editor' | 'form' | 'history' | 'load'
  /** Cursor the editor should move to after a history step or a jump. */
  cursor: number | null
}

const HISTORY_LIMIT = 300
/** Typing within this long in one place is one undo step. */
const GROUP_MS = 700

export const lintOptions: LintOptions = {
  deprecatedModel: (id) => {
    const d = deprecationInfo(id)
    return d ? { date: d.retiresOn, replacement: d.replacement, message: d.message } : undefined
  },
}

export function lintText(text: string): LintResult {
  return lintPolicyText(text, lintOptions)
}

const EMPTY = ''

export const docStore = createStore<DocState>(() => ({
  text: EMPTY,
  lint: lintText(EMPTY),
  file: null,
  savedText: null,
  title: 'Untitled',
  past: [],
  future: [],
  revision: 0,
  formError: null,
  origin: 'load',
  cursor: null,
}))

let lastGroup: { group: string; at: number } | null = null
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now())

export const isDirty = (s: DocState): boolean => s.text !== (s.savedText ?? EMPTY) && !(s.savedText === null && s.text === EMPTY)

/** A new text from the editor or the form; typing in one place within a moment is one undo step. */
export function setText(text: string, origin: 'editor' | 'form', group: string, cursorBefore: number | null = null): void {
  const s = docStore.getState()
  if (text === s.text) return
  const t = now()
  const joins = lastGroup !== null && lastGroup.group === group && t - lastGroup.at < GROUP_MS && s.past.length > 0
  lastGroup = { group, at: t }
  const past = joins ? s.past : [...s.past, { text: s.text, cursor: cursorBefore }].slice(-HISTORY_LIMIT)
  docStore.setState({ text, lint: lintText(text), past, future: [], revision: s.revision + 1, origin, formError: null, cursor: null })
}

/** Apply a form edit; when the YAML does not parse, say so and change nothing. */
export function editForm(mutation: DocMutation, group: string): boolean {
  const s = docStore.getState()
  try {
    const next = applyDocEdit(s.text, mutation)
    setText(next, 'form', `form:${group}`)
    return true
  } catch (err) {
    docStore.setState({
      formError: err instanceof DocEditError ? err.message : `That change could not be applied: ${err instanceof Error ? err.message : String(err)}`,
    })
    return false
  }
}

export function undo(): boolean {
  const s = docStore.getState()
  const prev = s.past[s.past.length - 1]
  if (!prev) return false
  lastGroup = null
  docStore.setState({
    text: prev.text,
    lint: lintText(prev.text),
    past: s.past.slice(0, -1),
    future: [...s.future, { text: s.text, cursor: null }],
    revision: s.revision + 1,
    origin: 'history',
    formError: null,
    cursor: prev.cursor,
  })
  return true
}

export function redo(): boolean {
  const s = docStore.getState()
  const next = s.future[s.future.length - 1]
  if (!next) return false
  lastGroup = null
  docStore.setState({
    text: next.text,
    lint: lintText(next.text),
    past: [...s.past, { text: s.text, cursor: null }],
    future: s.future.slice(0, -1),
    revision: s.revision + 1,
    origin: 'history',
    formError: null,
    cursor: null,
  })
  return true
}

/** Replace the document (open, template, restore); history starts over. */
export function loadDocument(doc: { text: string; file: OpenFile | null; savedText: string | null; title: string }): void {
  lastGroup = null
  const s = docStore.getState()
  docStore.setState({
    text: doc.text,
    lint: lintText(doc.text),
    file: doc.file,
    savedText: doc.savedText,
    title: doc.title,
    past: [],
    future: [],
    revision: s.revision + 1,
    origin: 'load',
    formError: null,
    cursor: 0,
  })
}

/** After a save: the file it went to, and the text it holds. */
export function markSaved(file: OpenFile, text: string): void {
  docStore.setState((s) => ({ file, savedText: text, title: baseName(file.path), revision: s.revision + 1 }))
}

/** Ask the code editor to put the cursor somewhere (a problem clicked in the list). */
export function jumpTo(offset: number): void {
  const s = docStore.getState()
  docStore.setState({ cursor: offset, revision: s.revision + 1, origin: 'history' })
}

export function baseName(p: string): string {
  const parts = p.split(/[\\/]/)
  return parts[parts.length - 1] || p
}
