import { z } from 'zod'

import { AuditInfo, AuditPage, AuditQuery, AuditVerifyResult } from '../../audit/types'
import { channel, event } from '../define'

/** One line of the gateway's live request log. */
export const GatewayLogEntry = z.object({
  requestId: z.string(),
  time: z.number(),
  client: z.string(),
  model: z.string().nullable(),
  stream: z.boolean(),
  verdicts: z.array(z.object({ policy: z.string(), verdict: z.string(), stage: z.enum(['input', 'output']) })),
  verdict: z.string(),
  target: z.string().nullable(),
  attempts: z.array(z.object({ target: z.string(), outcome: z.string() })),
  status: z.number(),
  latencyMs: z.number(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number(), totalTokens: z.number() }).nullable(),
  error: z.string().nullable(),
})
export type GatewayLogEntry = z.infer<typeof GatewayLogEntry>

export const GatewayStatus = z.object({
  running: z.boolean(),
  /** Where clients send requests, e.g. http://127.0.0.1:41002/v1. */
  url: z.string().nullable(),
  listen: z.string().nullable(),
  policyConfigs: z.array(z.string()),
  startedAt: z.number().nullable(),
  /** The start-up summary: chain, targets, fallback, lint warnings. */
  summary: z.array(z.string()),
  inFlight: z.number(),
  auditDb: z.string(),
  /** Why the last start failed, if it did. */
  lastError: z.string().nullable(),
  /**
   * The last reload of the running gateway's policy files (a save reloads
   * them): when, and why they were refused if they were (the previous policy
   * then keeps running). Null until a policy file is saved.
   */
  reload: z.object({ at: z.number(), ok: z.boolean(), error: z.string().nullable() }).nullable(),
})
export type GatewayStatus = z.infer<typeof GatewayStatus>

/** What the Gateway screen starts from: the app's own endpoint and key, and the policy the app applies. */
export const GatewayDefaults = z.object({
  /** Where a policy without provider targets sends requests: the endpoint the app calls, with the app's key (which stays in main). */
  upstream: z.object({
    baseUrl: z.string(),
    /** The demo endpoint, the base URL in Settings, or CEREBRAS_BASE_URL. */
    endpoint: z.enum(['demo', 'settings', 'env']),
    /** Where the key comes from: stored (or this session's), CEREBRAS_API_KEY, the demo's own key, or none. */
    key: z.enum(['stored', 'session', 'env', 'demo', 'none']),
    /** The key's last four characters. */
    keyHint: z.string().max(4).nullable(),
  }),
  /** The policy file applied to the app's own requests, if any. */
  appliedPolicy: z.string().nullable(),
})
export type GatewayDefaults = z.infer<typeof GatewayDefaults>

export const GatewayStartArgs = z
  .object({
    listen: z.string().min(3).max(200).default('127.0.0.1:41002'),
    policyConfigs: z.array(z.string().min(1).max(4096)).min(1).max(8),
    failMode: z.enum(['block', 'allow']).default('block'),
    maxConcurrency: z.int().min(1).max(1024).default(16),
    authToken: z.string().min(8).max(512).optional(),
    /** Web origins whose pages may call the gateway (CORS); any other browser origin gets 403. */
    allowOrigins: z.array(z.string().min(1).max(300)).max(32).optional(),
  })
  .strict()
export type GatewayStartArgs = z.input<typeof GatewayStartArgs>

export const gatewayChannels = {
  'gateway:status': channel(z.object({}).strict(), GatewayStatus, 'Whether the in-app gateway runs, and where'),
  'gateway:defaults': channel(z.object({}).strict(), GatewayDefaults, "The app's endpoint and key, and its applied policy, for a gateway to start from"),
  'gateway:start': channel(GatewayStartArgs, GatewayStatus, 'Start the local OpenAI-compatible gateway with a policy file'),
  'gateway:stop': channel(z.object({ deadlineMs: z.int().min(0).max(60_000).optional() }).strict(), GatewayStatus, 'Stop the gateway gracefully'),
  'gateway:log': channel(
    z.object({ limit: z.int().min(1).max(500).optional() }).strict(),
    z.object({ entries: z.array(GatewayLogEntry) }),
    'Recent gateway requests',
  ),
  'audit:info': channel(
    z.object({}).strict(),
    z.object({ info: AuditInfo.nullable(), file: z.string() }),
    'The audit log file and its size (null when there is none yet)',
  ),
  'audit:query': channel(AuditQuery, AuditPage, 'Browse and filter audit records, newest first'),
  'audit:verify': channel(z.object({}).strict(), AuditVerifyResult, 'Check the audit chain for edits, deletions, reordering and truncation'),
  'audit:export': channel(
    z.object({ filter: AuditQuery.optional() }).strict(),
    z.object({ jsonl: z.string(), records: z.number() }),
    'Export audit records as JSON Lines',
  ),
}

export const gatewayEvents = {
  'gateway:request': event(GatewayLogEntry, 'A request passed through the gateway'),
  'gateway:status': event(GatewayStatus, 'The gateway started, stopped or failed'),
}
