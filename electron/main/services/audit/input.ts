import { AuditKind, AuditUsage, AuditVerdict } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'
import { z } from 'zod'

import { canonicalJson } from './canonical'

/**
 * A finding as a detector reports it, with the matched text. The store keeps
 * only the salted hash of `text`; the text itself is never written anywhere.
 */
export const AuditFindingInput = z
  .object({
    policy: z.string().min(1).max(128),
    entity: z.string().min(1).max(64),
    location: z.string().max(256).default(''),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    text: z.string().max(65_536),
  })
  .strict()
  .refine((f) => f.end >= f.start, { message: 'end must not be before start' })

const Short = z.string().max(512)

/** What callers hand to `append`; seq, hashes and the overall verdict are the store's business. */
export const AuditEntryInput = z
  .object({
    kind: AuditKind,
    /** Epoch ms; the store's clock when left out. */
    time: z.number().int().optional(),
    requestId: Short.nullish(),
    client: Short.nullish(),
    target: Short.nullish(),
    model: Short.nullish(),
    status: z.number().int().min(0).max(999).nullish(),
    verdicts: z.array(AuditVerdict).max(64).default([]),
    findings: z.array(AuditFindingInput).max(1024).default([]),
    usage: AuditUsage.nullish(),
    latencyMs: z.number().nonnegative().finite().nullish(),
    /** Kind-specific extras. Put no raw PII here: only findings are hashed. */
    detail: z.record(z.string(), z.json()).nullish(),
  })
  .strict()

export type AuditEntryInput = z.input<typeof AuditEntryInput>
export type ParsedAuditEntry = z.output<typeof AuditEntryInput>
export type AuditFindingInput = z.input<typeof AuditFindingInput>

/** Bound on one record's detail, so a runaway caller cannot bloat every page of the browse screen. */
export const MAX_DETAIL_CHARS = 16_384

/** Validates an entry for append(), with a clear error naming what is wrong. */
export function parseAuditEntry(entry: AuditEntryInput): ParsedAuditEntry {
  const parsed = AuditEntryInput.safeParse(entry)
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
    throw new WaferError('bad_request', `Invalid audit entry: ${issues.join('; ')}`)
  }
  const e = parsed.data
  if (e.detail && canonicalJson(e.detail).length > MAX_DETAIL_CHARS) {
    throw new WaferError('bad_request', `Invalid audit entry: detail is over ${MAX_DETAIL_CHARS} characters`)
  }
  return e
}
