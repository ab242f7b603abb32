import { z } from 'zod'

import { channel, event } from '../define'

/*
 * The live model lists (each cached in main with the time it was fetched)
 * and the rate-limit state main parses from every Cerebras response.
 */

export const AccessibleModel = z.object({
  id: z.string(),
  /** Unix seconds, as the API gives it. */
  created: z.number().nullable(),
  ownedBy: z.string().nullable(),
})
export type AccessibleModel = z.infer<typeof AccessibleModel>

export const ModelList = z.object({
  /** The base URL the list came from. */
  source: z.string(),
  /** When it was fetched (epoch ms); older than the call when served from cache. */
  fetchedAt: z.number(),
  fromCache: z.boolean(),
  models: z.array(AccessibleModel),
})
export type ModelList = z.infer<typeof ModelList>

export const PublicModel = z.object({
  id: z.string(),
  name: z.string().nullable(),
  contextLength: z.number().nullable(),
  maxCompletionTokens: z.number().nullable(),
  /** USD per token, exactly as published (strings, to keep their precision). */
  pricing: z.object({ prompt: z.string().nullable(), completion: z.string().nullable() }),
  /** The same prices per 1M tokens, for display; null when not published or not a number. */
  promptPer1M: z.number().nullable(),
  completionPer1M: z.number().nullable(),
  /** Capability flags the listing reports as true (e.g. `tools`, `reasoning`). */
  capabilities: z.array(z.string()),
  deprecated: z.boolean(),
  preview: z.boolean(),
})
export type PublicModel = z.infer<typeof PublicModel>

export const PublicModelList = z.object({
  source: z.string(),
  fetchedAt: z.number(),
  fromCache: z.boolean(),
  models: z.array(PublicModel),
})
export type PublicModelList = z.infer<typeof PublicModelList>

export const RateLimitWindowName = z.enum(['requests-minute', 'requests-hour', 'requests-day', 'tokens-minute', 'tokens-hour', 'tokens-day'])
export type RateLimitWindowName = z.infer<typeof RateLimitWindowName>

export const RateLimitWindow = z.object({
  window: RateLimitWindowName,
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  /** Seconds until the window resets, as of `updatedAt`. */
  resetSeconds: z.number().nullable(),
  /** When it resets (epoch ms). */
  resetsAt: z.number().nullable(),
})
export type RateLimitWindow = z.infer<typeof RateLimitWindow>

export const RateLimitState = z.object({
  model: z.string(),
  /** When the headers were read (epoch ms). */
  updatedAt: z.number(),
  windows: z.array(RateLimitWindow),
})
export type RateLimitState = z.infer<typeof RateLimitState>

const Refresh = z.object({ force: z.boolean().optional() }).strict()

export const modelsChannels = {
  'models:list': channel(Refresh, ModelList, 'Models this API key can call (GET /v1/models), cached'),
  'models:public': channel(Refresh, PublicModelList, 'The public catalog with limits and prices (GET /public/v1/models), cached'),
  'ratelimit:get': channel(
    z.object({ model: z.string().max(200).optional() }).strict(),
    z.object({ states: z.array(RateLimitState) }),
    'The last rate-limit figures Cerebras sent, per model',
  ),
}

export const modelsEvents = {
  'ratelimit:changed': event(RateLimitState, 'New rate-limit figures for a model'),
}
