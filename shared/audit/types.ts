import { z } from 'zod'

/**
 * The audit log's records as the Audit screen and the IPC contract see them.
 * Browser-safe: schemas and types only. The store that writes and verifies
 * records lives in electron/main/services/audit.
 */

/**
 * What a record is about.
 * - request: one request recorded whole once it ended (the app's own requests, and logs written before write-ahead)
 * - request_started: the gateway's write-ahead record of a request, committed before the first byte of
 *   its answer leaves: request id, time, client, model, the input verdicts and findings
 * - request_completed: how that request ended (status, target, usage, latency, output verdicts and
 *   findings), linked to its request_started record by request id. A started record with no completion
 *   is a request still running, or one a crash interrupted
 * - decision: a policy decision worth its own record (block, redact, escalate)
 * - policy_failure: a policy itself failed; detail says which fail-mode applied
 * - access: somebody read the log (log_all_access)
 * - prune: retention removed old segments; detail names the checkpoint left behind
 * - lifecycle: the gateway or the log started, stopped or changed configuration
 */
export const AUDIT_KINDS = ['request', 'request_started', 'request_completed', 'decision', 'policy_failure', 'access', 'prune', 'lifecycle'] as const
export const AuditKind = z.enum(AUDIT_KINDS)
export type AuditKind = z.infer<typeof AuditKind>

export const AUDIT_VERDICTS = ['allow', 'redact', 'escalate', 'block'] as const
export const AuditVerdictValue = z.enum(AUDIT_VERDICTS)
export type AuditVerdictValue = z.infer<typeof AuditVerdictValue>

/** One policy's verdict on a request. */
export const AuditVerdict = z
  .object({
    policy: z.string().min(1).max(128),
    verdict: AuditVerdictValue,
    /** e.g. input_blocked, output_blocked, budget_exceeded. */
    code: z.string().max(64).optional(),
    message: z.string().max(1024).optional(),
  })
  .strict()
export type AuditVerdict = z.infer<typeof AuditVerdict>

/**
 * A detector match as stored: never the matched text itself, only where it was
 * and a salted hash of it (HMAC-SHA256 keyed by the log's own salt), so equal
 * values can be correlated without being readable.
 */
export const AuditFinding = z
  .object({
    policy: z.string().min(1).max(128),
    /** e.g. EMAIL, US_SSN, CREDIT_CARD, INJECTION_PHRASE. */
    entity: z.string().min(1).max(64),
    /** Where in the exchange, e.g. `input.messages[1].content` or `output`. */
    location: z.string().max(256),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    /** hex HMAC-SHA256(log salt, matched text). */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict()
export type AuditFinding = z.infer<typeof AuditFinding>

export const AuditUsage = z
  .object({
    promptTokens: z.number().int().nonnegative(),
    completionTokens: z.number().int().nonnegative(),
    totalTokens: z.number().int().nonnegative(),
  })
  .strict()
export type AuditUsage = z.infer<typeof AuditUsage>

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

/** One record of the log, exactly the fields its hash covers plus the hash. */
export const AuditRecord = z.object({
  seq: z.number().int().positive(),
  /** Epoch milliseconds. */
  time: z.number().int(),
  kind: AuditKind,
  requestId: z.string().nullable(),
  /** Client address (`127.0.0.1:53422`) or, for access records, who read the log. */
  client: z.string().nullable(),
  /** Upstream target id that served the request. */
  target: z.string().nullable(),
  model: z.string().nullable(),
  /** HTTP status answered to the client. */
  status: z.number().int().nullable(),
  /** The most severe of `verdicts` (block > escalate > redact > allow), null when none. */
  verdict: AuditVerdictValue.nullable(),
  verdicts: z.array(AuditVerdict),
  findings: z.array(AuditFinding),
  usage: AuditUsage.nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  /** Kind-specific extras (never raw PII). */
  detail: z.record(z.string(), z.json()).nullable(),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
  /**
   * Not part of the record (its hash does not cover it): for a request_started record in query
   * results, whether the log holds its request_completed record.
   */
  finished: z.boolean().optional(),
})
export type AuditRecord = z.infer<typeof AuditRecord>

const TimeBound = z.union([z.number().int(), z.iso.datetime({ offset: true })])

/** A browse/filter request. Results are newest first. */
export const AuditQuery = z
  .object({
    /** Inclusive lower bound on `time` (epoch ms or ISO date-time). */
    from: TimeBound.optional(),
    /** Exclusive upper bound on `time`. */
    to: TimeBound.optional(),
    requestId: z.string().max(256).optional(),
    /** Only request_started records with no request_completed record: requests running, or interrupted by a crash. */
    unfinished: z.boolean().optional(),
    kind: z.union([AuditKind, z.array(AuditKind).min(1)]).optional(),
    /** Matches the record's overall verdict. */
    verdict: z.union([AuditVerdictValue, z.array(AuditVerdictValue).min(1)]).optional(),
    /**
     * Case-insensitive substring of request id, client, target, model, kind,
     * verdicts, entity names or detail; a finding also matches when its hash
     * equals the salted hash of `text` exactly (search by value without storing it).
     */
    text: z.string().min(1).max(1024).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    /** `nextCursor` of the previous page. */
    cursor: z.string().max(64).optional(),
  })
  .strict()
export type AuditQuery = z.input<typeof AuditQuery>

export const AuditPage = z.object({
  records: z.array(AuditRecord),
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: z.string().nullable(),
})
export type AuditPage = z.infer<typeof AuditPage>

export const AuditHead = z.object({ seq: z.number().int().nonnegative(), hash: Sha256Hex })
export type AuditHead = z.infer<typeof AuditHead>

/** Left behind when retention removes old segments: stands in for the pruned head of the chain. */
export const AuditCheckpoint = z.object({
  id: z.number().int().positive(),
  /** First and last seq removed by this prune. */
  firstSeq: z.number().int().positive(),
  seq: z.number().int().positive(),
  /** Hash of record `seq`, which the first remaining record links to. */
  recordHash: Sha256Hex,
  records: z.number().int().nonnegative(),
  segments: z.number().int().nonnegative(),
  retentionDays: z.number().int().positive(),
  /** Records whose segment ended before this time (epoch ms) were eligible. */
  cutoff: z.number().int(),
  createdAt: z.number().int(),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
})
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>

/** What verification could prove beyond the plain hash chain, and what it could not. */
export const AuditProofs = z.object({
  /** Format 2 logs chain a keyed MAC: `checked` with the key file, `not_checked` without it, `absent` in older logs. */
  mac: z.enum(['checked', 'not_checked', 'absent']),
  /** Signed checkpoints whose Ed25519 signature verified (0 in older logs). */
  signedCheckpoints: z.number().int().nonnegative(),
  /** Heads from a witness file the log was shown to still extend (null: no witness given). */
  witnessHeads: z.number().int().nonnegative().nullable(),
  /** request_started records with no request_completed record (running, or interrupted by a crash). */
  unfinished: z.number().int().nonnegative(),
  /** Their request ids, the newest 20. */
  unfinishedIds: z.array(z.string()),
  /** Plain sentences: what was not checked and why. */
  notes: z.array(z.string()),
})
export type AuditProofs = z.infer<typeof AuditProofs>

export const AuditVerifyResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** Records present and checked. */
    records: z.number().int().nonnegative(),
    checkpoints: z.number().int().nonnegative(),
    head: AuditHead,
    proofs: AuditProofs.optional(),
  }),
  z.object({
    ok: z.literal(false),
    /** The first record that is missing, altered, out of place or unaccounted for. */
    firstBadSeq: z.number().int().nonnegative(),
    reason: z.string(),
    /** Records checked and found good before the failure. */
    records: z.number().int().nonnegative(),
    proofs: AuditProofs.optional(),
  }),
])
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>

export const AuditInfo = z.object({
  file: z.string(),
  logId: z.string(),
  createdAt: z.number().int(),
  head: AuditHead,
  /** Seq of the oldest record still stored (null when none). */
  firstSeq: z.number().int().nullable(),
  records: z.number().int().nonnegative(),
  segments: z.number().int().nonnegative(),
  checkpoints: z.number().int().nonnegative(),
  retentionDays: z.number().int().positive(),
  logAllAccess: z.boolean(),
  /** 1: hash chain only; 2: also a keyed MAC chain and signed checkpoints. */
  formatVersion: z.number().int().positive().optional(),
  /** The newest signed checkpoint (null when none yet). */
  lastCheckpoint: z.object({ seq: z.number().int().nonnegative(), time: z.number().int(), signed: z.boolean() }).nullable().optional(),
  /** The witness file the writer last appended checkpoint heads to, and the newest head in it. */
  witness: z
    .object({
      file: z.string(),
      /** Newest head the file holds (null when none or unreadable). */
      lastSeq: z.number().int().nonnegative().nullable(),
      lastTime: z.number().int().nullable(),
      /** Why the file could not be read, when it could not. */
      problem: z.string().nullable(),
    })
    .nullable()
    .optional(),
})
export type AuditInfo = z.infer<typeof AuditInfo>

export const AuditPruneResult = z.object({
  prunedSegments: z.number().int().nonnegative(),
  prunedRecords: z.number().int().nonnegative(),
  checkpoint: AuditCheckpoint.nullable(),
})
export type AuditPruneResult = z.infer<typeof AuditPruneResult>
