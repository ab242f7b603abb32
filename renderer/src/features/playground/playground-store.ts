import type { ChatRequest } from '@shared/ipc/domains/chat'
import type { PromptDoc, PromptMessage, PromptParams } from '@shared/ipc/domains/history'
import { create } from 'zustand'

import { defaultParams, emptyDoc, newId } from '../../lib/doc-defaults'
import type { Issue } from './build-request'

/*
 * The playground's documents: one prompt (system, messages, parameters,
 * variables) and composer per pane. Changes here are low-frequency (edits,
 * a run ending); streamed text never comes through this store.
 */

export type Layout = 1 | 2 | 4

export interface PaneState {
  id: string
  doc: PromptDoc
  composer: string
  /** The request streaming into this pane right now. */
  liveRequestId: string | null
  /** The answer that request continues (after a `length` stop), if it does: its text grows in place. */
  continuing: string | null
  /** The last run's request id and body, for its figures and chart. */
  lastRequestId: string | null
  lastRequest: ChatRequest | null
  /** Why the last send was refused (shown until the next edit). */
  blocked: Issue[]
}

export interface PlaygroundState {
  /** The saved draft has been read (or there was none). */
  loaded: boolean
  layout: Layout
  panes: PaneState[]
  activePane: string
}

export function newPane(params?: PromptParams): PaneState {
  return {
    id: newId('pane'),
    doc: emptyDoc(params ?? defaultParams()),
    composer: '',
    liveRequestId: null,
    continuing: null,
    lastRequestId: null,
    lastRequest: null,
    blocked: [],
  }
}

const first = newPane()

export const usePlayground = create<PlaygroundState>()(() => ({
  loaded: false,
  layout: 1,
  panes: [first],
  activePane: first.id,
}))

export const selectPane = (id: string) => (s: PlaygroundState) => s.panes.find((p) => p.id === id)
export const selectActivePane = (s: PlaygroundState) => s.panes.find((p) => p.id === s.activePane) ?? s.panes[0]

export function getPane(id: string): PaneState | undefined {
  return usePlayground.getState().panes.find((p) => p.id === id)
}

export function updatePane(id: string, patch: Partial<PaneState> | ((p: PaneState) => Partial<PaneState>)): void {
  usePlayground.setState((s) => ({
    panes: s.panes.map((p) => (p.id === id ? { ...p, ...(typeof patch === 'function' ? patch(p) : patch) } : p)),
  }))
}

export function updateDoc(id: string, change: (doc: PromptDoc) => PromptDoc): void {
  updatePane(id, (p) => ({ doc: change(p.doc), blocked: [] }))
}

export function setParams(id: string, patch: Partial<PromptParams>): void {
  updateDoc(id, (d) => ({ ...d, params: { ...d.params, ...patch } }))
}

export function setVariable(id: string, name: string, value: string): void {
  updateDoc(id, (d) => ({ ...d, variables: { ...d.variables, [name]: value } }))
}

export function setMessages(id: string, change: (messages: PromptMessage[]) => PromptMessage[]): void {
  updateDoc(id, (d) => ({ ...d, messages: change(d.messages) }))
}

/** A new conversation that keeps the parameters, system prompt and variables. */
export function newChat(id: string): void {
  updatePane(id, (p) => ({ doc: { ...p.doc, messages: [] }, composer: '', lastRequestId: null, lastRequest: null, blocked: [] }))
}

/** Put a whole prompt into a pane (a reopened run, a restored version). */
export function loadDoc(id: string, doc: PromptDoc): void {
  updatePane(id, { doc, composer: '', lastRequestId: null, lastRequest: null, blocked: [] })
}

export function setLayout(layout: Layout): void {
  usePlayground.setState((s) => {
    const panes = [...s.panes]
    // New panes start as copies of the active one's parameters, so a split compares like with like.
    const template = s.panes.find((p) => p.id === s.activePane) ?? s.panes[0]
    while (panes.length < layout) {
      const pane = newPane(template.doc.params)
      pane.doc = { ...pane.doc, system: template.doc.system, variables: { ...template.doc.variables } }
      panes.push(pane)
    }
    const kept = panes.slice(0, layout)
    return { layout, panes: kept, activePane: kept.some((p) => p.id === s.activePane) ? s.activePane : kept[0].id }
  })
}

export function setActivePane(id: string): void {
  if (usePlayground.getState().activePane !== id) usePlayground.setState({ activePane: id })
}
