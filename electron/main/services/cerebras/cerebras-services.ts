import { WaferError } from '@shared/ipc/errors'

import type { CompressionSettings } from './body-encoding'
import { CerebrasClient, type ConnectionConfig } from './cerebras-client'
import type { ChatPolicyGate } from './chat-policy'
import { ChatService } from './chat-service'
import { type Clock, systemClock } from './clock'
import { ModelsService } from './models-service'
import { RateLimitStore } from './rate-limits'
import type { RetryPolicy } from './retry-policy'

/**
 * Builds the Cerebras services from what the app provides: where the key
 * and the settings come from, a fetch and a clock. One instance per app.
 */

export interface CerebrasDeps {
  getApiKey(): Promise<string | undefined>
  getSettings(): { baseUrl: string; compression: CompressionSettings }
  fetch: typeof fetch
  clock?: Clock
  retryPolicy?: Partial<RetryPolicy>
  /** Bodies below this many bytes go as JSON (default from the bench). */
  encodeThresholdBytes?: number
  coalesceMs?: number
  idleTimeoutMs?: number
  /** The active policy, applied to every chat request (playground, compare, batch). */
  policy?: ChatPolicyGate
}

export interface CerebrasServices {
  client: CerebrasClient
  models: ModelsService
  rateLimits: RateLimitStore
  chat: ChatService
  /** The connection for a call; throws WaferError('auth') when no key is set. */
  connection(): Promise<ConnectionConfig>
  clock: Clock
}

export const MISSING_KEY_MESSAGE = 'No Cerebras API key is set. Add your key in Settings → API key, then try again.'

export function createCerebrasServices(deps: CerebrasDeps): CerebrasServices {
  const clock = deps.clock ?? systemClock
  const client = new CerebrasClient({ fetch: deps.fetch, thresholdBytes: deps.encodeThresholdBytes, now: () => clock.now() })
  const rateLimits = new RateLimitStore()
  const models = new ModelsService({ client, fetch: deps.fetch, clock })
  const connection = async (): Promise<ConnectionConfig> => {
    const apiKey = (await deps.getApiKey())?.trim()
    if (!apiKey) throw new WaferError('auth', MISSING_KEY_MESSAGE, { action: 'open-settings', section: 'api-key' })
    const settings = deps.getSettings()
    return { baseUrl: settings.baseUrl, apiKey, compression: { ...settings.compression } }
  }
  const chat = new ChatService({
    client,
    models,
    rateLimits,
    clock,
    getConnection: connection,
    retryPolicy: deps.retryPolicy,
    coalesceMs: deps.coalesceMs,
    idleTimeoutMs: deps.idleTimeoutMs,
    policy: deps.policy,
  })
  return { client, models, rateLimits, chat, connection, clock }
}
