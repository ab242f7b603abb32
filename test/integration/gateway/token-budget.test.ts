import { describe, expect } from 'vitest'

import { gatewayTest, sharedGateway, target } from './harness'

// token-budget through the gateway's HTTP interface: the clamp goes upstream
// in the field the client used (the rule itself: test/unit/policy/enforcement.test.ts).

/**
 * `gw`: one gateway for the file with a 16-token budget; the upstream's
 * recorded requests are forgotten before each test. `ask(limits, stream)`
 * sends a chat request; `sentUpstream()` the bodies that went upstream.
 */
const it = gatewayTest({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 200 })
  .extend(
    'gw',
    { scope: 'file' },
    sharedGateway(
      (upstream) => `pack: {name: budget, version: 0.1.0, enabled: true}
policies:
  chain: [token-budget]
policy:
  token-budget: {max_completion_tokens: 16, action: clamp}
providers:
  targets:
${target('primary', 'fake-fast', upstream)}
`,
    ),
  )
  .extend('freshFake', { auto: true }, async ({ fake }) => fake.reset())
  .extend(
    'ask',
    { scope: 'file' },
    async ({ gw }) =>
      async (limits: Record<string, number>, stream: boolean): Promise<{ status: number; verdict: string | null; text: string }> => {
        const r = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'Tell me a long story.' }], stream, ...limits }),
        })
        return { status: r.status, verdict: r.headers.get('x-wafer-policy-verdict'), text: await r.text() }
      },
  )
  .extend(
    'sentUpstream',
    { scope: 'file' },
    async ({ fake }) =>
      () =>
        fake.chatRequests.map((r) => r.body),
  )

describe('the gateway clamps the output limit in the field the client used', () => {
  for (const stream of [false, true]) {
    const how = stream ? 'streamed' : 'whole'
    it(`max_tokens stays max_tokens (${how})`, async ({ ask, sentUpstream }) => {
      const r = await ask({ max_tokens: 4096 }, stream)
      expect(r.status).toBe(200)
      expect(r.verdict).toBe('redact') // lowering the client's limit is a change to what it asked for
      const [body] = sentUpstream()
      expect(body).toMatchObject({ max_tokens: 16 })
      expect(body).not.toHaveProperty('max_completion_tokens')
    })

    it(`max_completion_tokens stays max_completion_tokens (${how})`, async ({ ask, sentUpstream }) => {
      const r = await ask({ max_completion_tokens: 4096 }, stream)
      expect(r.status).toBe(200)
      const [body] = sentUpstream()
      expect(body).toMatchObject({ max_completion_tokens: 16 })
      expect(body).not.toHaveProperty('max_tokens')
    })
  }

  it('sends a limit the client gave under the budget as it came', async ({ ask, sentUpstream }) => {
    await ask({ max_tokens: 8 }, false)
    const [body] = sentUpstream()
    expect(body).toMatchObject({ max_tokens: 8 })
    expect(body).not.toHaveProperty('max_completion_tokens')
  })

  it('answers within the clamp', async ({ ask }) => {
    const r = await ask({ max_tokens: 4096 }, false)
    const usage = (JSON.parse(r.text) as { usage: { completion_tokens: number } }).usage
    expect(usage.completion_tokens).toBeLessThanOrEqual(16)
  })
})
