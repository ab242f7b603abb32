import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { gatewayWith, target } from './harness'

// token-budget through the gateway's HTTP interface: the clamp goes upstream
// in the field the client used (the rule itself: test/unit/policy/enforcement.test.ts).

const fake = new FakeCerebras({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 200 })
let gw: Awaited<ReturnType<typeof gatewayWith>>

beforeAll(async () => {
  const upstream = await fake.start()
  gw = await gatewayWith(`pack: {name: budget, version: 0.1.0, enabled: true}
policies:
  chain: [token-budget]
policy:
  token-budget: {max_completion_tokens: 16, action: clamp}
providers:
  targets:
${target('primary', 'fake-fast', upstream)}
`)
})
afterAll(async () => {
  await gw?.stop(500)
  await fake.stop()
})
beforeEach(() => fake.reset())

async function ask(limits: Record<string, number>, stream: boolean): Promise<{ status: number; verdict: string | null; text: string }> {
  const r = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'Tell me a long story.' }], stream, ...limits }),
  })
  return { status: r.status, verdict: r.headers.get('x-wafer-policy-verdict'), text: await r.text() }
}

const sentUpstream = () => fake.chatRequests.map((r) => r.body)

describe('the gateway clamps the output limit in the field the client used', () => {
  for (const stream of [false, true]) {
    const how = stream ? 'streamed' : 'whole'
    it(`max_tokens stays max_tokens (${how})`, async () => {
      const r = await ask({ max_tokens: 4096 }, stream)
      expect(r.status).toBe(200)
      expect(r.verdict).toBe('redact') // lowering the client's limit is a change to what it asked for
      const [body] = sentUpstream()
      expect(body).toMatchObject({ max_tokens: 16 })
      expect(body).not.toHaveProperty('max_completion_tokens')
    })

    it(`max_completion_tokens stays max_completion_tokens (${how})`, async () => {
      const r = await ask({ max_completion_tokens: 4096 }, stream)
      expect(r.status).toBe(200)
      const [body] = sentUpstream()
      expect(body).toMatchObject({ max_completion_tokens: 16 })
      expect(body).not.toHaveProperty('max_tokens')
    })
  }

  it('sends a limit the client gave under the budget as it came', async () => {
    await ask({ max_tokens: 8 }, false)
    const [body] = sentUpstream()
    expect(body).toMatchObject({ max_tokens: 8 })
    expect(body).not.toHaveProperty('max_completion_tokens')
  })

  it('answers within the clamp', async () => {
    const r = await ask({ max_tokens: 4096 }, false)
    const usage = (JSON.parse(r.text) as { usage: { completion_tokens: number } }).usage
    expect(usage.completion_tokens).toBeLessThanOrEqual(16)
  })
})
