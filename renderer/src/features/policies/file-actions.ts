import { WaferError } from '@shared/ipc/errors'
import { findTemplate } from '@shared/policy/templates'

import { api } from '../../api'
import { baseName, docStore, isDirty, loadDocument, markSaved, type OpenFile } from './doc-store'

/**
 * Opening, saving and remembering policy files. Files go through main
 * (policies:read / policies:write); the recent list is a UI document
 * (`policies.recent`, absolute paths, newest first) that the Gateway screen
 * reads too; the document being edited is kept as a draft so nothing typed
 * is lost when the app closes.
 */

export const RECENT_KEY = 'policies.recent'
export const DRAFT_KEY = 'policies.draft'
const RECENT_MAX = 10

export async function readRecent(): Promise<string[]> {
  try {
    const { value } = await api.stateGet({ key: RECENT_KEY })
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : []
  } catch {
    return []
  }
}

async function writeRecent(list: string[]): Promise<string[]> {
  await api.stateSet({ key: RECENT_KEY, value: list }).catch(() => undefined)
  return list
}

export async function pushRecent(path: string): Promise<string[]> {
  const list = await readRecent()
  return writeRecent([path, ...list.filter((p) => p !== path)].slice(0, RECENT_MAX))
}

export async function forgetRecent(path: string): Promise<string[]> {
  return writeRecent((await readRecent()).filter((p) => p !== path))
}

/** Open a file into the editor (the caller has dealt with unsaved changes). Throws WaferError. */
export async function openFile(path: string): Promise<void> {
  const file = await api.policiesRead({ path })
  loadDocument({ text: file.text, file: { path: file.path, mtimeMs: file.mtimeMs }, savedText: file.text, title: baseName(file.path) })
  await pushRecent(file.path)
}

export function newFromTemplate(id: string): boolean {
  const t = findTemplate(id)
  if (!t) return false
  // The template itself is the baseline: an unchanged template has nothing to lose.
  loadDocument({ text: t.yaml, file: null, savedText: t.yaml, title: `Untitled (${t.name})` })
  return true
}

export type SaveResult = { ok: true; file: OpenFile } | { ok: false; conflict: 'exists' | 'changed'; path: string; message: string }

/**
 * Write the document. `expectedMtimeMs` guards a plain save against
 * overwriting changes made elsewhere; a conflict comes back for the caller
 * to ask about. Other failures throw (the text stays in the editor).
 */
export async function saveTo(path: string, opts: { overwrite?: boolean; expectedMtimeMs?: number } = {}): Promise<SaveResult> {
  const text = docStore.getState().text
  try {
    const written = await api.policiesWrite({ path, text, ...opts })
    const file = { path: written.path, mtimeMs: written.mtimeMs }
    markSaved(file, text)
    await pushRecent(written.path)
    return { ok: true, file }
  } catch (err) {
    if (err instanceof WaferError && err.code === 'conflict') {
      const reason = err.details?.reason === 'changed' ? 'changed' : 'exists'
      return { ok: false, conflict: reason, path: String(err.details?.path ?? path), message: err.message }
    }
    throw err
  }
}

// ---- the draft

interface Draft {
  text: string
  file: OpenFile | null
  savedText: string | null
  title: string
}

function isDraft(v: unknown): v is Draft {
  const d = v as Draft
  return !!d && typeof d === 'object' && typeof d.text === 'string' && typeof d.title === 'string' && (d.savedText === null || typeof d.savedText === 'string')
}

let restored = false

/** Once per session: the document as it was left (else the first template). */
export async function restoreDraft(): Promise<void> {
  if (restored) return
  restored = true
  try {
    const { value } = await api.stateGet({ key: DRAFT_KEY })
    if (isDraft(value)) {
      const file = value.file && typeof value.file.path === 'string' ? value.file : null
      loadDocument({ text: value.text, file, savedText: value.savedText, title: value.title })
      // Nothing unsaved: show the file as it is on disk now (it may have been edited elsewhere).
      if (file && value.text === value.savedText) {
        const fresh = await api.policiesRead({ path: file.path }).catch(() => null)
        const s = docStore.getState()
        if (fresh && s.text === value.text && (fresh.text !== value.text || fresh.mtimeMs !== file.mtimeMs)) {
          loadDocument({ text: fresh.text, file: { path: fresh.path, mtimeMs: fresh.mtimeMs }, savedText: fresh.text, title: baseName(fresh.path) })
        }
      }
      return
    }
  } catch {
    // No draft to restore: start from a template.
  }
  if (docStore.getState().text === '') newFromTemplate('cerebras-gateway')
}

let persisting = false

/** Keep the draft in main, a moment after each change. */
export function persistDraft(): void {
  if (persisting) return
  persisting = true
  let timer: ReturnType<typeof setTimeout> | undefined
  let last = -1
  docStore.subscribe((s) => {
    if (s.revision === last) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      last = s.revision
      const draft: Draft = { text: s.text, file: s.file, savedText: s.savedText === s.text ? s.text : s.savedText, title: s.title }
      // A huge document is not kept as a draft (UI state is capped at 1 MB); the file itself still saves.
      if (s.text.length + (s.savedText?.length ?? 0) > 900_000) return
      void api.stateSet({ key: DRAFT_KEY, value: draft }).catch(() => undefined)
    }, 400)
  })
}

export const hasUnsavedChanges = () => isDirty(docStore.getState())
