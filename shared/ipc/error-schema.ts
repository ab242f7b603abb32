import { z } from 'zod'

import { ERROR_CODES, type WireError as WireErrorShape } from './errors'

/** The wire error (errors.ts) as a schema, for the payloads that carry one (a failed run, a batch cell). */
export const WireError: z.ZodType<WireErrorShape> = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
})
