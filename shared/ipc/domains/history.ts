import { z } from 'zod'

import { ENDPOINT_KINDS, type RunEndpoint as RunEndpointShape } from '../../endpoint'
import { channel, event } from '../define'
import { WireError } from '../error-schema'
import { JsonObject } from '../user-json'
import { ChatRequest, RequestId, ResponseMetrics, TimeInfo, Usage } from './chat'

/*
 * Run history and named prompt versions, kept in SQLite by main. Every
 * playground run is saved when it ends (done, error or stopped); compare and
 * batch runs use the same record with their own `source` and a shared
 * `groupId`.
 */

/** Which endpoint answered a run (shared/endpoint.ts says what each kind means). */
const EndpointKind = z.enum(ENDPOINT_KINDS)
const RunEndpoint = z.object({
  kind: EndpointKind,
  host: z.string().max(300),
}) satisfies z.ZodType<RunEndpointShape>

const MAX_TEXT = 8_000_000

// ---- the prompt document: what the playground edits, drafts and versions

export const PromptToolCall = z.object({
  id: z.string().max(200),
  type: z.literal('function'),
  function: z.object({ name: z.string().max(200), arguments: z.string().max(MAX_TEXT) }),
})
export type PromptToolCall = z.infer<typeof PromptToolCall>

export const PromptMessage = z.object({
  id: z.string().max(100),
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string().max(MAX_TEXT),
  /** An assistant turn's reasoning, kept for display; never sent back. */
  reasoning: z.string().max(MAX_TEXT).optional(),
  toolCalls: z.array(PromptToolCall).max(128).optional(),
  /** For a tool result: the call it answers. */
  toolCallId: z.string().max(200).optional(),
  /** An answer made by the built-in demo endpoint: its text is made up. */
  demo: z.literal(true).optional(),
  /** An answer that did not end normally: the API's finish_reason (`length`, `content_filter`, `tool_calls`); absent for `stop`. */
  finishReason: z.string().max(100).optional(),
  /** A turn whose run failed: shown marked, never sent again; the user retries or edits it. */
  failed: z.object({ code: z.string().max(100), message: z.string().max(4000) }).optional(),
})
export type PromptMessage = z.infer<typeof PromptMessage>

export const ResponseFormatKind = z.enum(['text', 'json_object', 'json_schema'])
export type ResponseFormatKind = z.infer<typeof ResponseFormatKind>

/**
 * Parameters as the user edits them. JSON fields (schema, tools) stay text so
 * a half-typed document survives a restart; they are parsed before sending.
 */
export const PromptParams = z.object({
  model: z.string().max(200),
  temperature: z.number().min(0).max(2).nullable().default(null),
  topP: z.number().min(0).max(1).nullable().default(null),
  maxCompletionTokens: z.int().min(1).max(1_000_000).nullable().default(null),
  seed: z.int().nullable().default(null),
  stop: z.array(z.string().max(1000)).max(4).default([]),
  reasoningEffort: z.enum(['low', 'medium', 'high']).nullable().default(null),
  responseFormat: ResponseFormatKind.default('text'),
  schemaName: z.string().max(64).default('response'),
  schemaText: z.string().max(1_000_000).default(''),
  schemaStrict: z.boolean().default(true),
  toolsText: z.string().max(1_000_000).default(''),
  /** Sent only with tools; null leaves it to the API (auto). */
  toolChoice: z.enum(['auto', 'required', 'none']).nullable().default(null),
  logprobs: z.boolean().default(false),
  topLogprobs: z.int().min(0).max(20).nullable().default(null),
})
export type PromptParams = z.infer<typeof PromptParams>

export const PromptDoc = z.object({
  system: z.string().max(MAX_TEXT).default(''),
  messages: z.array(PromptMessage).max(10_000),
  params: PromptParams,
  /** Values for `{{name}}` placeholders. */
  variables: z.record(z.string().max(100), z.string().max(MAX_TEXT)).default({}),
})
export type PromptDoc = z.infer<typeof PromptDoc>

// ---- runs

export const RunSource = z.enum(['playground', 'compare', 'batch', 'gateway'])
export type RunSource = z.infer<typeof RunSource>

/** `aborted`: stopped by the user; what had arrived is kept. */
export const RunStatus = z.enum(['ok', 'error', 'aborted'])
export type RunStatus = z.infer<typeof RunStatus>

export const RunResponse = z.object({
  content: z.string().max(MAX_TEXT),
  reasoning: z.string().max(MAX_TEXT).nullable(),
  toolCalls: z.array(PromptToolCall).max(128),
  finishReason: z.string().max(100).nullable(),
  completionId: z.string().max(200).nullable(),
})
export type RunResponse = z.infer<typeof RunResponse>

/** A policy decision about a run (policies arrive later; kept open on purpose). */
export const PolicyVerdict = JsonObject

export const RunInput = z
  .object({
    /** The chat request id, so a run and its stream share one id. */
    id: RequestId,
    source: RunSource.default('playground'),
    /** Runs started together (one compare or batch) share it. */
    groupId: z.string().max(100).nullable().default(null),
    /** When the request was sent (epoch ms). */
    startedAt: z.number().int().min(0),
    /** The exact body sent (variables already substituted). */
    request: ChatRequest,
    /** The prompt as edited (with `{{placeholders}}` and their values), so a run reopens as it was written. */
    prompt: PromptDoc.nullable().default(null),
    response: RunResponse,
    usage: Usage.nullable().default(null),
    timeInfo: TimeInfo.nullable().default(null),
    metrics: ResponseMetrics.nullable().default(null),
    error: WireError.nullable().default(null),
    status: RunStatus,
    /** USD at the catalog price for the tokens the server reported; null when unknown. */
    costUsd: z.number().nullable().default(null),
    policyVerdicts: z.array(PolicyVerdict).max(100).default([]),
    /** Made on the built-in demo endpoint: the answer and every figure are made up. */
    demo: z.literal(true).optional(),
    /** The endpoint that answered (set by main from where the request went); null when not recorded. */
    endpoint: RunEndpoint.nullable().default(null),
  })
  .strict()
export type RunInput = z.input<typeof RunInput>
export type RunRecordData = z.output<typeof RunInput>

export const RunRecord = z.object({ ...RunInput.shape, savedAt: z.number() })
export type RunRecord = z.infer<typeof RunRecord>

/** Around each hit in a search snippet: characters from Unicode's private use area, which no run's text is expected to hold (unlike [ and ]). */
export const SNIPPET_OPEN = '\uE000'
export const SNIPPET_CLOSE = '\uE001'

/** One line of the History list. */
export const RunSummary = z.object({
  id: z.string(),
  startedAt: z.number(),
  model: z.string(),
  source: RunSource,
  groupId: z.string().nullable(),
  status: RunStatus,
  errorCode: z.string().nullable(),
  promptPreview: z.string(),
  outputPreview: z.string(),
  /** The matching passage with SNIPPET_OPEN and SNIPPET_CLOSE around hits, when searching. */
  snippet: z.string().nullable(),
  /** Where the search matched: the run's own prompt turn, its answer, or the chat's earlier turns it sent again. */
  matchedIn: z.enum(['prompt', 'answer', 'earlier']).nullable().optional(),
  ttftMs: z.number().nullable(),
  decodeTokensPerSec: z.number().nullable(),
  promptTokens: z.number().nullable(),
  completionTokens: z.number().nullable(),
  costUsd: z.number().nullable(),
  /** Made on the built-in demo endpoint (made-up figures). */
  demo: z.literal(true).optional(),
  /** The endpoint that answered; null for runs saved before endpoints were recorded. */
  endpoint: RunEndpoint.nullable(),
})
export type RunSummary = z.infer<typeof RunSummary>

const Cursor = z
  .string()
  .regex(/^\d{1,19}$/)
  .max(19)

export const RunQuery = z
  .object({
    /** Full-text search over prompts and outputs (words; a trailing word matches as a prefix; "quoted phrases"). */
    text: z.string().max(500).optional(),
    /** Search the chat's earlier turns too, not only the run's own prompt turn and answer. */
    includeEarlier: z.boolean().optional(),
    model: z.string().max(200).optional(),
    /** Inclusive range of startedAt (epoch ms). */
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    errorsOnly: z.boolean().optional(),
    source: RunSource.optional(),
    /** Runs answered by this kind of endpoint; `unknown`: runs saved before endpoints were recorded. */
    endpoint: z.union([EndpointKind, z.literal('unknown')]).optional(),
    groupId: z.string().max(100).optional(),
    /** From the previous page's `nextCursor`. */
    cursor: Cursor.optional(),
    limit: z.int().min(1).max(200).optional(),
  })
  .strict()
export type RunQuery = z.input<typeof RunQuery>

/**
 * Parts of a search the active policy's pii-detector removes before runs are
 * stored (shared/policy/search-notice.ts), so the search cannot find them.
 */
export const RedactedSearch = z.object({
  /** The active policy's pack name. */
  policy: z.string(),
  terms: z.array(z.object({ entity: z.string(), placeholder: z.string(), search: z.string().nullable() })),
})
export type RedactedSearch = z.infer<typeof RedactedSearch>

export const RunPage = z.object({
  runs: z.array(RunSummary),
  nextCursor: z.string().nullable(),
  /** Present when the search text holds personal data the active policy redacts before storing runs. */
  redacted: RedactedSearch.optional(),
})
export type RunPage = z.infer<typeof RunPage>

export const MetricPoint = z.object({
  id: z.string(),
  startedAt: z.number(),
  model: z.string(),
  ttftMs: z.number().nullable(),
  decodeTokensPerSec: z.number().nullable(),
  /** From a run on the built-in demo endpoint: not a measurement of Cerebras. */
  demo: z.literal(true).optional(),
  /** The endpoint that answered; null for runs saved before endpoints were recorded. */
  endpoint: RunEndpoint.nullable().optional(),
})
export type MetricPoint = z.infer<typeof MetricPoint>

// ---- prompt versions

export const VersionName = z.string().trim().min(1, 'give the version a name').max(100)

export const PromptVersionSummary = z.object({
  id: z.number(),
  name: z.string(),
  /** 1, 2, 3… per name. */
  version: z.number(),
  note: z.string().nullable(),
  createdAt: z.number(),
  model: z.string(),
  messageCount: z.number(),
})
export type PromptVersionSummary = z.infer<typeof PromptVersionSummary>

export const PromptVersion = PromptVersionSummary.extend({ prompt: PromptDoc })
export type PromptVersion = z.infer<typeof PromptVersion>

// ---- export / import files

export const EXPORT_FORMAT_RUN = 'wafer-console.run'
export const EXPORT_FORMAT_VERSION = 'wafer-console.prompt-version'

export const RunExport = z.object({
  format: z.literal(EXPORT_FORMAT_RUN),
  formatVersion: z.literal(1),
  exportedAt: z.string(),
  run: RunRecord,
})

export const VersionExport = z.object({
  format: z.literal(EXPORT_FORMAT_VERSION),
  formatVersion: z.literal(1),
  exportedAt: z.string(),
  version: z.object({
    name: VersionName,
    version: z.number().optional(),
    note: z.string().max(2000).nullable().optional(),
    createdAt: z.number().optional(),
    prompt: PromptDoc,
  }),
})

const ImportedRun = z.object({ kind: z.literal('run'), id: z.string() })
const ImportedVersion = z.object({ kind: z.literal('version'), id: z.number(), name: z.string(), version: z.number() })

/** How much run history to keep (electron/main/services/history/retention.ts). Prompt versions are always kept. */
export const RetentionPolicy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('days'), days: z.int().min(1).max(36_500) }).strict(),
  z.object({ kind: z.literal('runs'), runs: z.int().min(1).max(100_000_000) }).strict(),
  z.object({ kind: z.literal('megabytes'), megabytes: z.int().min(1).max(1_000_000) }).strict(),
])
export type RetentionPolicy = z.infer<typeof RetentionPolicy>

const RetentionState = z.object({
  policy: RetentionPolicy,
  /** The app database's size on disk (runs, prompt versions and the rest). */
  databaseBytes: z.number(),
})

export const historyChannels = {
  'history:save': channel(
    z.object({ run: RunInput }).strict(),
    z.object({ id: z.string(), savedAt: z.number() }),
    'Save a finished, failed or stopped run with its request, response and metrics',
  ),
  'history:list': channel(RunQuery, RunPage, 'List saved runs, newest first, with search and filters (keyset paging)'),
  'history:get': channel(z.object({ id: z.string().max(100) }).strict(), RunRecord, 'One saved run in full'),
  'history:delete': channel(z.object({ ids: z.array(z.string().max(100)).min(1).max(1000) }).strict(), z.object({ deleted: z.number() }), 'Delete saved runs'),
  'history:models': channel(z.object({}).strict(), z.object({ models: z.array(z.string()) }), 'Models that appear in the saved runs'),
  'history:metrics': channel(
    z
      .object({
        model: z.string().max(200).optional(),
        from: z.number().int().min(0).optional(),
        to: z.number().int().min(0).optional(),
        limit: z.int().min(1).max(20_000).optional(),
      })
      .strict(),
    z.object({ points: z.array(MetricPoint) }),
    'TTFT and decode tokens/s of saved runs over time (newest first)',
  ),
  'history:export': channel(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('run'), id: z.string().max(100) }).strict(),
      z.object({ kind: z.literal('version'), id: z.number().int() }).strict(),
    ]),
    z.object({ filename: z.string(), json: z.string() }),
    'A run or a prompt version as a JSON file',
  ),
  'history:import': channel(
    z.object({ json: z.string().max(7_000_000) }).strict(),
    z.discriminatedUnion('kind', [ImportedRun, ImportedVersion]),
    'Import a run or a prompt version exported as JSON',
  ),
  'history:retention': channel(z.object({}).strict(), RetentionState, 'How much run history is kept, and the database size'),
  'history:set-retention': channel(
    z.object({ policy: RetentionPolicy }).strict(),
    RetentionState.extend({ deleted: z.number() }),
    'Choose how much run history to keep; applied at once, then at start-up and daily',
  ),
  'versions:save': channel(
    z.object({ name: VersionName, note: z.string().max(2000).optional(), prompt: PromptDoc }).strict(),
    PromptVersionSummary,
    'Save the current prompt as the next version under a name',
  ),
  'versions:list': channel(
    z.object({ name: z.string().max(100).optional() }).strict(),
    z.object({ versions: z.array(PromptVersionSummary) }),
    'Prompt versions, newest first',
  ),
  'versions:get': channel(z.object({ id: z.number().int() }).strict(), PromptVersion, 'One prompt version in full'),
  'versions:delete': channel(z.object({ id: z.number().int() }).strict(), z.object({ deleted: z.boolean() }), 'Delete a prompt version'),
}

export const historyEvents = {
  'history:changed': event(
    z.object({ reason: z.enum(['saved', 'deleted', 'imported', 'versions']), ids: z.array(z.string()) }),
    'Saved runs or prompt versions changed',
  ),
}
