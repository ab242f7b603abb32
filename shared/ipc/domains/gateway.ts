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
})
export type GatewayStatus = z.infer<typeof GatewayStatus>

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
