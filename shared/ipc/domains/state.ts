import { z } from 'zod'

import { channel } from '../define'
import { jsonLength } from '../json-length'

/** Keys are namespaced by feature, e.g. `playground.draft`. */
const StateKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)*$/)
  .max(100)

/** A megabyte of UI state is plenty; anything larger is a bug, not a draft. The playground's draft has the same cap (playground.ts). */
export const MAX_UI_DOCUMENT_JSON = 1_000_000

export const stateChannels = {
  'state:get': channel(
    z.object({ key: StateKey }).strict(),
    z.object({ value: z.unknown().nullable(), updatedAt: z.string().nullable() }),
    'Read a UI document (draft, layout) kept by main',
  ),
  'state:set': channel(
    z
      .object({ key: StateKey, value: z.unknown() })
      .strict()
      .superRefine((v, ctx) => {
        const length = jsonLength(v.value ?? null)
        if (length === null)
          ctx.addIssue({ code: 'custom', path: ['value'], message: 'value cannot be kept as JSON: it is nested too deeply, or refers to itself' })
        else if (length > MAX_UI_DOCUMENT_JSON) ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is larger than 1 MB' })
      }),
    z.object({ updatedAt: z.string() }),
    'Save a UI document (draft, layout) in main',
  ),
}
