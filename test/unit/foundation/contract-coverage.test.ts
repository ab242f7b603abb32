import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { buildPreloadApi } from '@preload/build-api'
import { unwrapBridge } from '@renderer/api/unwrap'
import { channelNames, eventNames, methodName } from '@shared/ipc/contract'
import { CHANNEL_NAME } from '@shared/ipc/define'
import { WaferError } from '@shared/ipc/errors'
import { startWebApp } from '@web/start'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

type Started = Awaited<ReturnType<typeof startWebApp>>
let web: Started

beforeAll(async () => {
  web = await startWebApp({ port: 0, userDataDir: mkdtempSync(path.join(os.tmpdir(), 'wafer-contract-')), env: {} })
})
afterAll(async () => {
  await web?.close()
})

describe('the IPC contract', () => {
  it('names every channel domain:verb and maps each to a distinct method', () => {
    for (const c of channelNames) expect(c).toMatch(CHANNEL_NAME)
    const methods = channelNames.map(methodName)
    expect(new Set(methods).size).toBe(methods.length)
    expect(methods).not.toContain('on')
  })

  it('has a main-process handler for every channel and nothing else', () => {
    expect(Object.keys(web.services.handlers).sort()).toEqual([...channelNames].sort())
  })

  it('has a preload method for every channel, each invoking its own channel', async () => {
    const invoked: string[] = []
    const api = buildPreloadApi(
      async (channel) => {
        invoked.push(channel)
        return { ok: true, value: null }
      },
      { on: () => undefined as never, removeListener: () => undefined as never },
    ) as unknown as Record<string, (a: unknown) => Promise<unknown>>
    for (const c of channelNames) {
      expect(typeof api[methodName(c)]).toBe('function')
      await api[methodName(c)]({})
    }
    expect(invoked).toEqual(channelNames)
    expect(typeof (api as unknown as { on: unknown }).on).toBe('function')
    expect(Object.keys(api).filter((k) => k !== 'on')).toHaveLength(channelNames.length)
  })

  it('routes every channel through the web bridge (no channel answers unknown_channel)', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.host.port}/bridge?token=${web.host.token}`)
    await new Promise((r, j) => {
      ws.once('open', r)
      ws.once('error', j)
    })
    const replies = new Map<number, { ok: boolean; error?: { code: string } }>()
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString())
      if (m.t === 'result') replies.set(m.id, m.envelope)
    })
    // A payload no channel accepts as valid: every route must answer, with a typed error or a result.
    channelNames.forEach((c, i) => ws.send(JSON.stringify({ t: 'call', id: i, channel: c, args: { __probe: true } })))
    ws.send(JSON.stringify({ t: 'call', id: 999, channel: 'nope:never', args: {} }))
    for (let i = 0; i < 100 && replies.size < channelNames.length + 1; i++) await new Promise((r) => setTimeout(r, 10))
    channelNames.forEach((c, i) => {
      const env = replies.get(i)
      expect(env, c).toBeDefined()
      if (env && !env.ok) expect(env.error?.code, c).not.toBe('unknown_channel')
    })
    expect(replies.get(999)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    ws.close()
  })

  it('carries typed errors across the preload as objects, unwrapped once in the renderer', async () => {
    const answers: Record<string, unknown> = {
      'settings:get': { ok: false, error: { code: 'auth', message: 'The key was refused', details: { status: 401 } } },
      'app:info': { ok: true, value: { version: '1' } },
    }
    const bridge = buildPreloadApi(
      async (channel) => {
        if (channel in answers) return answers[channel]
        throw new Error("No handler registered for 'x'")
      },
      { on: () => undefined as never, removeListener: () => undefined as never },
    )
    // The preload hands main's envelope over as it came: no error packed into a message string.
    expect(await (bridge as unknown as Record<string, () => Promise<unknown>>).settingsGet()).toEqual(answers['settings:get'])
    const api = unwrapBridge(bridge) as unknown as Record<string, (a?: unknown) => Promise<unknown>>
    expect(await api.appInfo()).toEqual({ version: '1' })
    const err = await api.settingsGet().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WaferError)
    expect(err).toMatchObject({ code: 'auth', message: 'The key was refused', details: { status: 401 } })
    // A bridge that rejects (no handler in main) becomes an internal WaferError, not a raw Error.
    const lost = await api.historyList({}).catch((e: unknown) => e)
    expect(lost).toBeInstanceOf(WaferError)
    expect(lost).toMatchObject({ code: 'internal' })
  })

  it('lists events the preload subscription accepts, and refuses others', () => {
    const api = buildPreloadApi(async () => ({ ok: true, value: null }), { on: () => undefined as never, removeListener: () => undefined as never })
    for (const e of eventNames) expect(typeof api.on(e, () => {})).toBe('function')
    expect(() => (api.on as (e: string, l: () => void) => void)('evil:event', () => {})).toThrow(/Unknown event/)
  })
})
