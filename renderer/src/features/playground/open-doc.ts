import type { PromptDoc } from '../../../../shared/ipc/domains/history'
import { useAppStore } from '../../app/store'
import { flash } from '../playground/format'
import { loadDraft } from '../playground/draft-persistence'
import { loadDoc, selectActivePane, usePlayground } from '../playground/playground-store'

/** Put a prompt into the playground's active pane and go there (after the saved draft has loaded, so it does not overwrite this). */
export async function openInPlayground(doc: PromptDoc, what: string): Promise<void> {
  await loadDraft()
  const pane = selectActivePane(usePlayground.getState())
  const app = useAppStore.getState()
  if (pane.liveRequestId) {
    app.notify('warning', 'The playground is still streaming an answer; stop it first, then reopen.')
    return
  }
  loadDoc(pane.id, doc)
  app.go('playground')
  flash(`Opened ${what} in the playground.`)
}
