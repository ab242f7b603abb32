import { z } from 'zod'

import { jsonLength } from './json-length'

/**
 * A JSON object taken as it is (a tool's parameters, a response format's or an assertion's
 * schema, a policy's verdict): refused, naming the field, when it cannot be written as JSON
 * (nested too deeply, or holding a cycle), rather than failing later where it is stored,
 * encoded or compiled.
 */
export const JsonObject = z
  .record(z.string(), z.unknown())
  .refine((v) => jsonLength(v) !== null, 'it cannot be written as JSON: it is nested too deeply, or refers to itself')
