import { createDispatcher, type Handlers } from '@main/ipc/dispatcher'
import { WaferError } from '@shared/ipc/errors'
import { describe, expect, it } from 'vitest'

const ctx = { via: 'web' as const, emit: () => {} }

function handlersWith(overrides: Partial<Handlers>): Handlers {
  return new Proxy(overrides as Handlers, {
    get: (t, k: string) => (t as Record<string, unknown>)[k] ?? (() => ({})),
  })
}

describe('the dispatcher every call goes through', () => {
  it('parses args and returns the handler result in an ok envelope', async () => {
    const d = createDispatcher(handlersWith({ 'state:get': ({ key }) => ({ value: key, updatedAt: null }) }))
    await expect(d('state:get', { key: 'playground.draft' }, ctx)).resolves.toEqual({ ok: true, value: { value: 'playground.draft', updatedAt: null } })
  })

  it('answers a bad payload with a typed bad_request error naming the field, and never calls the handler', async () => {
    let called = false
    const d = createDispatcher(handlersWith({ 'settings:update': () => ((called = true), {} as never) }))
    const env = await d('settings:update', { baseUrl: 'not a url', extra: 1 }, ctx)
    expect(env.ok).toBe(false)
    if (!env.ok) {
      expect(env.error.code).toBe('bad_request')
      expect(env.error.message).toMatch(/^Invalid arguments for settings:update: /)
      // Issues read `path: message` (the one zod formatter, shared/ipc/errors), joined by '; '.
      expect(env.error.message).toMatch(/(^|: |; )baseUrl: \S/)
      expect(env.error.message).toMatch(/extra/)
    }
    expect(called).toBe(false)
  })

  it('refuses unknown channels, including prototype names', async () => {
    const d = createDispatcher(handlersWith({}))
    for (const c of ['nope:nothing', '__proto__', 'constructor', 'toString']) {
      await expect(d(c, {}, ctx)).resolves.toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    }
  })

  it('turns thrown errors into error envelopes instead of rejections', async () => {
    const d = createDispatcher(
      handlersWith({
        'app:info': () => {
          throw new WaferError('auth', 'check your API key', { link: 'settings' })
        },
        'key:status': async () => {
          throw new Error('disk on fire')
        },
      }),
    )
    await expect(d('app:info', {}, ctx)).resolves.toEqual({ ok: false, error: { code: 'auth', message: 'check your API key', details: { link: 'settings' } } })
    await expect(d('key:status', {}, ctx)).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } })
  })

  it('catches a handler that breaks the result contract when result validation is on', async () => {
    const d = createDispatcher(handlersWith({ 'app:info': () => ({ name: 'x' }) as never }), { validateResults: true })
    await expect(d('app:info', {}, ctx)).resolves.toMatchObject({ ok: false, error: { code: 'bad_request' } })
  })
})

describe('dispatcher wiring', () => {
  it('refuses to start when a channel has no handler', () => {
    expect(() => createDispatcher({ 'app:info': () => ({}) } as unknown as Handlers)).toThrow(/No handler for channel\(s\): .*settings:get/)
  })
})
