import { z } from 'zod'

import { channel, event } from '../define'
import { WireError } from '../error-schema'
import { JsonObject } from '../user-json'
import { ResponseFormat } from './chat'

/*
 * Compare's main-process side: blind votes (saved in SQLite, summarised per
 * model pair) and batch runs (a table of inputs over up to four model
 * columns, run in main with bounded concurrency and rate-limit aware
 * queueing). The live side-by-side race itself uses chat:start per lane.
 */

const ModelId = z.string().min(1).max(200)

// ---- blind votes

/** A: the first model of the pair as shown; B: the second. */
export const VoteVerdict = z.enum(['a', 'b', 'tie', 'both_bad'])
export type VoteVerdict = z.infer<typeof VoteVerdict>

export const VoteArgs = z
  .object({
    modelA: ModelId,
    modelB: ModelId,
    verdict: VoteVerdict,
    /** The compare run the vote is about (history group id). */
    groupId: z.string().max(100).optional(),
    /** The start of the input, so a vote can be recognised later. */
    promptPreview: z.string().max(300).optional(),
  })
  .strict()
  .refine((v) => v.modelA !== v.modelB, 'a pair needs two different models')
export type VoteArgs = z.infer<typeof VoteArgs>

/**
 * Votes for one pair of models, whichever side each was shown on. The pair
 * is ordered by id so A-vs-B and B-vs-A add up.
 */
export const PairSummary = z.object({
  modelA: z.string(),
  modelB: z.string(),
  /** Votes where modelA was the better answer (modelB's losses). */
  winsA: z.number(),
  winsB: z.number(),
  ties: z.number(),
  bothBad: z.number(),
  total: z.number(),
  /** ISO time of the latest vote. */
  lastVoteAt: z.string(),
})
export type PairSummary = z.infer<typeof PairSummary>

export const SavedVote = z.object({
  id: z.number(),
  modelA: z.string(),
  modelB: z.string(),
  verdict: VoteVerdict,
  groupId: z.string().nullable(),
  createdAt: z.string(),
})
export type SavedVote = z.infer<typeof SavedVote>

// ---- batch runs

/** Per-column request parameters (the model comes separately). */
export const LaneParams = z
  .object({
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    max_completion_tokens: z.int().min(1).max(1_000_000).nullable().optional(),
    seed: z.int().nullable().optional(),
    reasoning_effort: z.enum(['low', 'medium', 'high']).nullable().optional(),
    response_format: ResponseFormat.nullable().optional(),
  })
  .strict()
export type LaneParams = z.infer<typeof LaneParams>

export const BatchLane = z
  .object({
    /** Stable id of the column (the compare lane it came from). */
    laneId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    model: ModelId,
    params: LaneParams.default({}),
  })
  .strict()
export type BatchLane = z.infer<typeof BatchLane>

const AssertionBase = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  /** Only this column; every column when absent. */
  laneId: z.string().max(40).optional(),
}

export const Assertion = z.discriminatedUnion('kind', [
  z.object({ ...AssertionBase, kind: z.literal('contains'), text: z.string().min(1).max(2000), caseSensitive: z.boolean().optional() }).strict(),
  z.object({ ...AssertionBase, kind: z.literal('regex'), pattern: z.string().min(1).max(2000), ignoreCase: z.boolean().optional() }).strict(),
  z.object({ ...AssertionBase, kind: z.literal('json') }).strict(),
  z.object({ ...AssertionBase, kind: z.literal('json_schema'), schema: JsonObject }).strict(),
  z.object({ ...AssertionBase, kind: z.literal('max_latency'), ms: z.number().positive().max(3_600_000) }).strict(),
])
export type Assertion = z.infer<typeof Assertion>

export const AssertionResult = z.object({
  id: z.string(),
  pass: z.boolean(),
  /** Why it failed (or what it checked), one line. */
  detail: z.string().optional(),
})
export type AssertionResult = z.infer<typeof AssertionResult>

const InputRow = z.record(z.string().max(200), z.string().max(200_000))

export const BatchStartArgs = z
  .object({
    batchId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .optional(),
    rows: z.array(InputRow).min(1).max(5000),
    /** Prompts with {{column}} variables, filled from each row. */
    template: z.object({ system: z.string().max(200_000).optional(), user: z.string().min(1).max(200_000) }).strict(),
    lanes: z.array(BatchLane).min(1).max(4),
    assertions: z.array(Assertion).max(20).default([]),
    /** Requests in flight at once, across all columns. */
    concurrency: z.int().min(1).max(16).default(4),
  })
  .strict()
export type BatchStartArgs = z.input<typeof BatchStartArgs>
export type ParsedBatchStartArgs = z.output<typeof BatchStartArgs>

export const CellStatus = z.enum(['queued', 'running', 'done', 'error', 'cancelled'])
export type CellStatus = z.infer<typeof CellStatus>

export const CellMetrics = z.object({
  ttftMs: z.number().nullable(),
  /** Start of the answered attempt → last byte. */
  totalMs: z.number().nullable(),
  promptTokens: z.number().nullable(),
  completionTokens: z.number().nullable(),
  /** Server decode speed (completion_tokens / completion_time). */
  decodeTokensPerSec: z.number().nullable(),
})
export type CellMetrics = z.infer<typeof CellMetrics>

export const BatchCell = z.object({
  /** Index into the input rows. */
  row: z.number(),
  laneId: z.string(),
  model: z.string(),
  status: CellStatus,
  output: z.string().nullable(),
  error: WireError.nullable(),
  metrics: CellMetrics.nullable(),
  assertions: z.array(AssertionResult),
  /** Times this cell waited for a rate limit before it ran. */
  rateLimitWaits: z.number(),
})
export type BatchCell = z.infer<typeof BatchCell>

export const BatchStatus = z.enum(['running', 'completed', 'cancelled', 'failed'])
export type BatchStatus = z.infer<typeof BatchStatus>

export const BatchProgress = z.object({
  status: BatchStatus,
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  running: z.number(),
  queued: z.number(),
  /** When the batch started (epoch ms). */
  startedAt: z.number(),
  /** Estimated ms left; null until a few cells have finished. */
  etaMs: z.number().nullable(),
  /** While the queue waits for a rate limit: when it resumes (epoch ms). */
  pausedUntil: z.number().nullable(),
  /** Requests allowed in flight right now (lowered after a 429, raised again as requests succeed). */
  concurrency: z.number(),
  rateLimitWaits: z.number(),
  /** Why the batch stopped early, when it did. */
  reason: z.string().nullable(),
})
export type BatchProgress = z.infer<typeof BatchProgress>

export const BatchSnapshot = z.object({
  batchId: z.string(),
  lanes: z.array(z.object({ laneId: z.string(), model: z.string() })),
  rowCount: z.number(),
  assertions: z.array(Assertion),
  cells: z.array(BatchCell),
  progress: BatchProgress,
})
export type BatchSnapshot = z.infer<typeof BatchSnapshot>

const BatchRef = z.object({ batchId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) }).strict()

export const compareChannels = {
  'compare:vote': channel(VoteArgs, z.object({ vote: SavedVote, pair: PairSummary }), 'Save a blind vote between two models'),
  'compare:votes': channel(
    z.object({}).strict(),
    z.object({ pairs: z.array(PairSummary), total: z.number() }),
    'Blind-vote results per model pair (wins, ties, losses)',
  ),
  'batch:start': channel(
    BatchStartArgs,
    z.object({ batchId: z.string(), total: z.number() }),
    'Run a table of inputs over up to four models; progress arrives as batch:progress then batch:done',
  ),
  'batch:cancel': channel(BatchRef, z.object({ cancelled: z.boolean() }), 'Stop a batch; finished cells are kept'),
  'batch:get': channel(BatchRef, BatchSnapshot, 'Every cell of a batch so far, with its progress'),
}

export const compareEvents = {
  'batch:progress': event(
    z.object({ batchId: z.string(), cells: z.array(BatchCell), progress: BatchProgress }),
    'Cells of a batch changed (started, finished or failed)',
  ),
  'batch:done': event(z.object({ batchId: z.string(), progress: BatchProgress }), 'A batch finished, was cancelled or stopped; its cells are kept'),
}
