import { type ChatHandlers, createChatHandlers } from '@main/handlers/chat'
import type { CallContext } from '@main/ipc/dispatcher'
import { type CerebrasServices, createCerebrasServices } from '@main/services/cerebras/cerebras-services'
import type { Clock } from '@main/services/cerebras/clock'
import type { RetryPolicy } from '@main/services/cerebras/retry-policy'
import { FakeCerebras, type FakeCerebrasOptions } from '@main/services/demo/fake-cerebras/server'
import type { EventName, PayloadOf } from '@shared/ipc/contract'
import type { ChatStartArgs } from '@shared/ipc/domains/chat'
import { test } from 'vitest'

import { FastForwardClock } from '../../support/test-clocks'

/** One emitted event with the real time it was emitted. */
export interface Recorded {
  event: EventName
  payload: unknown
  at: number
}

export class Recorder implements CallContext {
  readonly via = 'web' as const
  readonly events: Recorded[] = []
  private waiters: (() => void)[] = []
  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    this.events.push({ event, payload, at: performance.now() })
    for (const w of this.waiters.splice(0)) w()
  }
  of<E extends EventName>(event: E, requestId?: string): PayloadOf<E>[] {
    return this.events
      .filter((e) => e.event === event && (requestId === undefined || (e.payload as { requestId?: string }).requestId === requestId))
      .map((e) => e.payload as PayloadOf<E>)
  }
  /** Names of the chat events for a request, in order. */
  sequence(requestId: string): string[] {
    return this.events.filter((e) => e.event.startsWith('chat:') && (e.payload as { requestId?: string }).requestId === requestId).map((e) => e.event)
  }
  text(requestId: string): { content: string; reasoning: string } {
    const deltas = this.of('chat:delta', requestId)
    return { content: deltas.map((d) => d.content ?? '').join(''), reasoning: deltas.map((d) => d.reasoning ?? '').join('') }
  }
  /** Resolves once a done or error event for the request has been emitted. */
  async finished(requestId: string, timeoutMs = 20_000): Promise<Recorded> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const end = this.events.find(
        (e) => (e.event === 'chat:done' || e.event === 'chat:error') && (e.payload as { requestId?: string }).requestId === requestId,
      )
      if (end) return end
      if (performance.now() > deadline) throw new Error(`no done/error for ${requestId} within ${timeoutMs} ms`)
      await new Promise<void>((r) => {
        this.waiters.push(r)
        setTimeout(r, 50)
      })
    }
  }
}

export interface Harness {
  fake: FakeCerebras
  baseUrl: string
  services: CerebrasServices
  handlers: ChatHandlers
  clock: Clock
  settings: { baseUrl: string; compression: { msgpack: boolean; gzip: boolean } }
  apiKey: { value: string | undefined }
  /** The injected clock's time at each chat request the client sent. */
  attemptTimes: number[]
  stop(): Promise<void>
}

export interface HarnessOptions {
  fake?: FakeCerebrasOptions
  clock?: Clock
  retryPolicy?: Partial<RetryPolicy>
  idleTimeoutMs?: number
  /** Extra headers on every request the client sends (e.g. x-fake-fault). */
  headers?: Record<string, string>
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = new FakeCerebras({ ttftMs: 5, tokensPerSecond: 20_000, replyTokens: 60, ...opts.fake })
  const baseUrl = await fake.start()
  const settings = { baseUrl, compression: { msgpack: true, gzip: true } }
  const apiKey = { value: 'csk-test-key' as string | undefined }
  const clock = opts.clock ?? new FastForwardClock()
  const extra = opts.headers
  const attemptTimes: number[] = []
  const fetchWithHeaders = (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input).endsWith('/chat/completions')) attemptTimes.push(clock.now())
    if (!extra) return fetch(input, init)
    const headers = new Headers(init?.headers)
    for (const [k, v] of Object.entries(extra)) headers.set(k, v)
    return fetch(input, { ...init, headers })
  }) as typeof fetch
  const deps = {
    getApiKey: async () => apiKey.value,
    getSettings: () => settings,
    fetch: fetchWithHeaders,
    clock,
    retryPolicy: opts.retryPolicy,
    idleTimeoutMs: opts.idleTimeoutMs,
  }
  const services = createCerebrasServices(deps)
  // The caller hears its own rate-limit figures (the app broadcasts them to every window instead).
  const handlers = createChatHandlers({ ...deps, emitRateLimitsToCaller: true }, services)
  return {
    fake,
    baseUrl,
    services,
    handlers,
    clock,
    settings,
    apiKey,
    attemptTimes,
    stop: async () => {
      services.chat.abortAll()
      await fake.stop()
    },
  }
}

/**
 * `it` for the transport tests, with a harness per test: `harness` is one
 * with the default options; `startHarness(opts)` starts one with others.
 * Every harness a test started is stopped when it ends, passed or failed.
 */
export const it = test
  .extend('startHarness', async ({}, { onCleanup }) => {
    const started: Harness[] = []
    onCleanup(async () => {
      for (const h of started) await h.stop()
    })
    return async (opts: HarnessOptions = {}): Promise<Harness> => {
      const h = await startHarness(opts)
      started.push(h)
      return h
    }
  })
  .extend('harness', async ({ startHarness }) => startHarness())

export function userRequest(model: string, text = 'Tell me about wafer-scale chips.', extra: Partial<ChatStartArgs['request']> = {}): ChatStartArgs {
  return { request: { model, messages: [{ role: 'user', content: text }], ...extra } }
}

/** Start a streamed request through the handler and wait for its end. */
export async function runStream(h: Harness, rec: Recorder, args: ChatStartArgs): Promise<{ requestId: string; end: Recorded }> {
  const { requestId } = await h.handlers['chat:start'](args, rec)
  const end = await rec.finished(requestId)
  return { requestId, end }
}
