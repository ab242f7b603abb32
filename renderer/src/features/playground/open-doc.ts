import type { PromptDoc } from '@shared/ipc/domains/history'

import { flash, warn } from '../../lib/notify'
import { useAppStore } from '../../lib/store'
import { loadDraft } from './draft-persistence'
import { loadDoc, selectActivePane, usePlayground } from './playground-store'

/** Put a prompt into the playground's active pane and go there (after the saved draft has loaded, so it does not overwrite this). */
export async function openDocInPlayground(doc: PromptDoc, what: string): Promise<void> {
  await loadDraft()
  const pane = selectActivePane(usePlayground.getState())
  if (pane.liveRequestId) {
    warn('The playground is still streaming an answer; stop it first, then reopen.')
    return
  }
  loadDoc(pane.id, doc)
  useAppStore.getState().go('playground')
  flash(`Opened ${what} in the playground.`)
}
