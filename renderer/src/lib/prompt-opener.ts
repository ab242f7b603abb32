import type { PromptDoc } from '@shared/ipc/domains/history'

/*
 * "Open in playground" from another screen (History's runs and versions).
 * The playground owns its panes and draft, so the app shell registers how
 * to open a prompt there; other screens only ask.
 */

export type PromptOpener = (doc: PromptDoc, what: string) => Promise<void>

let opener: PromptOpener | null = null

export function setPromptOpener(open: PromptOpener): void {
  opener = open
}

/** Put `doc` into the playground's active pane and go there; `what` names it in the confirmation ("run 3"). */
export async function openPromptInPlayground(doc: PromptDoc, what: string): Promise<void> {
  if (!opener) throw new Error('The playground is not ready to open prompts yet.')
  await opener(doc, what)
}
