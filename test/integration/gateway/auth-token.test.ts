import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { gatewayWith, policyYaml, target } from './harness'

// A gateway started with an auth token answers only clients that send it.

const fake = new FakeCerebras({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 5 })
let gw: Awaited<ReturnType<typeof gatewayWith>>
const TOKEN = 'gw-secret-token-123'

beforeAll(async () => {
  const upstream = await fake.start()
  gw = await gatewayWith(policyYaml(target('primary', 'fake-fast', upstream), '[audit-logger]'), { authToken: TOKEN })
})
afterAll(async () => {
  await gw?.stop(500)
  await fake.stop()
})

const chat = (headers: Record<string, string>) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }] }),
  })

describe('the gateway auth token', () => {
  it('refuses a request without the token, with a wrong one, or one of another length, with 401', async () => {
    const wrong: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${TOKEN.replace(/.$/, 'x')}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ]
    for (const headers of wrong) {
      const r = await chat(headers)
      expect(r.status).toBe(401)
      expect(await r.json()).toMatchObject({ error: { type: 'authentication_error', code: 'invalid_api_key' } })
    }
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(401)
    expect(fake.chatRequests).toHaveLength(0)
  })

  it('answers a request that carries it', async () => {
    const r = await chat({ authorization: `Bearer ${TOKEN}` })
    expect(r.status).toBe(200)
    expect(fake.chatRequests).toHaveLength(1)
    expect((await fetch(`${gw.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
  })
})
