import { describe, expect } from 'vitest'

import { gatewayTest, policyYaml, sharedGateway, target } from './harness'

// A gateway started with an auth token answers only clients that send it.

const TOKEN = 'gw-secret-token-123'

/** `gw`: one gateway for the file, behind the token; `chat(headers)` a chat request to it. */
const it = gatewayTest({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 5 })
  .extend(
    'gw',
    { scope: 'file' },
    sharedGateway((upstream) => policyYaml(target('primary', 'fake-fast', upstream), '[audit-logger]'), { authToken: TOKEN }),
  )
  .extend(
    'chat',
    { scope: 'file' },
    async ({ gw }) =>
      (headers: Record<string, string>) =>
        fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }] }),
        }),
  )

describe('the gateway auth token', () => {
  it('refuses a request without the token, with a wrong one, or one of another length, with 401', async ({ fake, gw, chat }) => {
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

  it('answers a request that carries it', async ({ fake, gw, chat }) => {
    const r = await chat({ authorization: `Bearer ${TOKEN}` })
    expect(r.status).toBe(200)
    expect(fake.chatRequests).toHaveLength(1)
    expect((await fetch(`${gw.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
  })
})
