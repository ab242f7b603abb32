import { AppGateway } from '@main/services/gateway/app-gateway'
import { GatewayConfigError, resolveTargets } from '@main/services/gateway/config'
import type { PolicyConfig } from '@shared/policy/schema'
import { describe, expect, it } from 'vitest'

/**
 * In the app, a policy that names no provider targets calls the endpoint the
 * app itself calls, with the app's key; the key stays in main.
 */

const KEY = 'csk-app-key-0123456789'
const noTargets: PolicyConfig = { pack: { name: 't', version: '1' }, policies: { chain: ['pii-detector'] } }
const app = { baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, keySource: 'app:stored', compression: true }

describe("the app's own upstream", () => {
  it('is the one target of a policy without targets', () => {
    expect(resolveTargets(noTargets, { env: {}, app })).toEqual([
      { id: 'cerebras', provider: 'cerebras', model: undefined, baseUrl: app.baseUrl, apiKey: KEY, compression: true, keySource: 'app:stored' },
    ])
  })

  it('without a key, refuses to start and says what to do', () => {
    expect(() => resolveTargets(noTargets, { env: {}, app: { ...app, apiKey: undefined } })).toThrow(GatewayConfigError)
    expect(() => resolveTargets(noTargets, { env: {}, app: { ...app, apiKey: undefined } })).toThrow(/Set one in Settings, switch on the demo endpoint/)
  })

  it("leaves a policy's own targets alone", () => {
    const withTargets: PolicyConfig = {
      ...noTargets,
      providers: { targets: [{ id: 'mine', provider: 'cerebras:chat:fake-fast', base_url: 'http://127.0.0.1:8/v1', secret_key_ref: { env: 'MY_KEY' } }] },
    }
    const [t] = resolveTargets(withTargets, { env: { MY_KEY: 'csk-mine-0123456789' }, app })
    expect([t.id, t.baseUrl, t.keySource]).toEqual(['mine', 'http://127.0.0.1:8/v1', 'env:MY_KEY'])
  })

  it('reaches the Gateway screen as the endpoint, where the key comes from and its last four characters, never the key', async () => {
    const gateway = new AppGateway({
      auditDb: '/nonexistent/audit.db',
      env: {},
      storedKey: async () => KEY,
      appEndpoint: async () => ({ baseUrl: app.baseUrl, apiKey: KEY, endpoint: 'settings', key: 'stored', compression: true }),
      appliedPolicy: () => '/home/me/policy-config.yaml',
      onRequest: () => undefined,
      onStatus: () => undefined,
    })
    const defaults = await gateway.defaults()
    expect(defaults).toEqual({
      upstream: { baseUrl: app.baseUrl, endpoint: 'settings', key: 'stored', keyHint: '6789' },
      appliedPolicy: '/home/me/policy-config.yaml',
    })
    expect(JSON.stringify(defaults)).not.toContain(KEY)
  })
})
