import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { type AppServices, createAppServices } from '@main/app-services'
import { type CallContext, createDispatcher, type Dispatch } from '@main/ipc/dispatcher'
import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { MemoryBackend } from '@main/services/settings/key-vault'
import type { ArgsOf, ChannelName, EventName, PayloadOf, ResultOf } from '@shared/ipc/contract'
import { WaferError } from '@shared/ipc/errors'

/**
 * The app's main process as both hosts build it (createAppServices and the
 * dispatcher, results validated against the contract), talking to the fake
 * Cerebras server. Calls go through the same envelope as the bridges.
 */

export interface Emitted {
  event: EventName
  payload: unknown
}

export class Caller implements CallContext {
  readonly via = 'web' as const
  readonly events: Emitted[] = []
  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    this.events.push({ event, payload })
  }
  of<E extends EventName>(event: E, requestId?: string): PayloadOf<E>[] {
    return this.events
      .filter((e) => e.event === event && (requestId === undefined || (e.payload as { requestId?: string }).requestId === requestId))
      .map((e) => e.payload as PayloadOf<E>)
  }
  content(requestId: string): string {
    return this.of('chat:delta', requestId)
      .map((d) => d.content ?? '')
      .join('')
  }
  async end(requestId: string, timeoutMs = 20_000): Promise<{ event: 'chat:done' | 'chat:error'; payload: PayloadOf<'chat:done'> | PayloadOf<'chat:error'> }> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const e = this.events.find((x) => (x.event === 'chat:done' || x.event === 'chat:error') && (x.payload as { requestId: string }).requestId === requestId)
      if (e) return e as never
      if (Date.now() > deadline) throw new Error(`no chat:done or chat:error for ${requestId}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
}

export interface AppHarness {
  fake: FakeCerebras
  services: AppServices
  dispatch: Dispatch
  userDataDir: string
  broadcasts: Emitted[]
  call<C extends ChannelName>(channel: C, args: ArgsOf<C>, ctx?: CallContext): Promise<ResultOf<C>>
  /** Rebuild the services on the same user-data directory (an app restart). */
  restart(): Promise<void>
  stop(): Promise<void>
}

export async function startAppHarness(): Promise<AppHarness> {
  const fake = new FakeCerebras({ ttftMs: 5, tokensPerSecond: 20_000, replyTokens: 40 })
  const baseUrl = await fake.start()
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'wafer-policies-app-'))
  const broadcasts: Emitted[] = []
  const build = () =>
    createAppServices({
      userDataDir,
      env: { CEREBRAS_API_KEY: 'csk-policies-app-test-0123', CEREBRAS_BASE_URL: baseUrl },
      secretBackend: new MemoryBackend(),
      host: 'web',
      version: '0.0.0-test',
      platform: process.platform,
      openExternal: async () => {},
      broadcast: (event, payload) => void broadcasts.push({ event, payload }),
    })
  const h: AppHarness = {
    fake,
    services: await build(),
    dispatch: undefined as unknown as Dispatch,
    userDataDir,
    broadcasts,
    async call(channel, args, ctx = new Caller()) {
      const env = await h.dispatch(channel, args, ctx)
      if (!env.ok) throw WaferError.fromWire(env.error)
      return env.value as never
    },
    async restart() {
      await h.services.dispose()
      h.services = await build()
      h.dispatch = createDispatcher(h.services.handlers, { validateResults: true })
    },
    async stop() {
      await h.services.dispose()
      await fake.stop()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
  h.dispatch = createDispatcher(h.services.handlers, { validateResults: true })
  return h
}
