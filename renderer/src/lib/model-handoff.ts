import { createStore } from 'zustand/vanilla'

import { useAppStore } from './store'

/**
 * "Open in playground" and "add to compare" from the Models screen: the
 * model waits here until the target screen takes it on mount.
 */

export type HandoffTarget = 'playground' | 'compare'

interface HandoffState {
  pending: { target: HandoffTarget; model: string } | null
}

export const modelHandoff = createStore<HandoffState>(() => ({ pending: null }))

export function openInPlayground(model: string): void {
  modelHandoff.setState({ pending: { target: 'playground', model } })
  useAppStore.getState().go('playground')
}

export function addToCompare(model: string): void {
  modelHandoff.setState({ pending: { target: 'compare', model } })
  useAppStore.getState().go('compare')
}

/** The model handed to `target`, once; null when there is none. */
export function takeHandoff(target: HandoffTarget): string | null {
  const pending = modelHandoff.getState().pending
  if (!pending || pending.target !== target) return null
  modelHandoff.setState({ pending: null })
  return pending.model
}
