import { PlaygroundDraft } from '@shared/ipc/domains/playground'

import type { UiStateStore } from './ui-state'

/** Where the draft is kept among the UI documents (the key earlier versions wrote it under, so their drafts carry over). */
export const PLAYGROUND_DRAFT_KEY = 'playground.draft'

/**
 * The playground's draft, checked against its schema when read and when
 * written: a damaged or older draft is set aside (reported, never thrown at
 * the renderer), and a bad one is refused by the IPC contract before it is
 * stored.
 */
export class PlaygroundDraftStore {
  constructor(private readonly uiState: UiStateStore) {}

  get(): { draft: PlaygroundDraft | null; setAside: boolean } {
    let value: unknown
    try {
      value = this.uiState.get(PLAYGROUND_DRAFT_KEY).value
    } catch {
      // Not JSON any more (a damaged row): as good as a draft that fails its schema.
      return { draft: null, setAside: true }
    }
    if (value === null) return { draft: null, setAside: false }
    const parsed = PlaygroundDraft.safeParse(value)
    return parsed.success ? { draft: parsed.data, setAside: false } : { draft: null, setAside: true }
  }

  set(draft: PlaygroundDraft): { updatedAt: string } {
    return this.uiState.set(PLAYGROUND_DRAFT_KEY, draft)
  }
}
