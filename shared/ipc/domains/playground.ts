import { z } from 'zod'

import { channel } from '../define'
import { jsonLength } from '../json-length'
import { PromptDoc } from './history'
import { MAX_UI_DOCUMENT_JSON } from './state'

/**
 * The playground's draft: every pane's prompt, parameters, variables and
 * unsent text, kept by main so that it survives a restart. Main checks it on
 * the way in and on the way out, so the renderer takes it as it comes and
 * builds no schema for it while the app starts.
 */
export const PlaygroundDraft = z.object({
  version: z.literal(1),
  layout: z.union([z.literal(1), z.literal(2), z.literal(4)]),
  activePane: z.string(),
  panes: z
    .array(z.object({ id: z.string(), doc: PromptDoc, composer: z.string() }))
    .min(1)
    .max(4),
})
export type PlaygroundDraft = z.infer<typeof PlaygroundDraft>

export const playgroundChannels = {
  'playground:draft-get': channel(
    z.object({}).strict(),
    // setAside: a draft was kept but could not be read (an older or damaged one); the playground starts fresh and says so.
    z.object({ draft: PlaygroundDraft.nullable(), setAside: z.boolean() }),
    'Read the playground draft kept by main, checked',
  ),
  'playground:draft-set': channel(
    z
      .object({ draft: PlaygroundDraft })
      .strict()
      .refine((v) => (jsonLength(v.draft) ?? Infinity) <= MAX_UI_DOCUMENT_JSON, 'draft is larger than 1 MB'),
    z.object({ updatedAt: z.string() }),
    'Save the playground draft in main',
  ),
}
