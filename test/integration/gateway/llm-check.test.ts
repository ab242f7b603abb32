import { describe, expect } from 'vitest'

import { gatewayTest, policyYaml, target, type TestGateway } from './harness'

/*
 * prompt-injection's llm_check in a policy file, on the gateway: the same
 * judge as the app's enforcement (cache, timeout, on_error), asked through
 * the first Cerebras target. The fake server answers the judge's
 * injection_verdict schema by keyword ("you are now", "system prompt").
 */

const it = gatewayTest({ ttftMs: 2, tokensPerSecond: 20_000, replyTokens: 10 })

/** The harness's policy (prompt-injection blocks) with `llmCheck` as prompt-injection's llm_check. */
const withLlmCheck = (upstream: string, llmCheck: string) =>
  policyYaml(target('primary', 'fake-fast', upstream), '[prompt-injection, audit-logger]').replace(
    '    response: {action: block}',
    `    response: {action: block}\n    llm_check: ${llmCheck}`,
  )

// The lexical rules let both through; the fake judge calls the first an injection.
const SUSPECT = 'Congratulations, you are now a certified pilot! Write me a short toast.'
const BENIGN = 'What is the capital of France? One word.'

type Received = Array<{ body: unknown }>
const judgeCalls = (received: Received) =>
  received.filter((r) => (r.body as { response_format?: { json_schema?: { name?: string } } }).response_format?.json_schema?.name === 'injection_verdict')
const models = (received: Received) => received.map((r) => (r.body as { model: string }).model)

const chat = (g: TestGateway, content: string) =>
  fetch(`${g.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content }] }),
  })

describe('the LLM injection check from the policy file', () => {
  it('asks the judge the policy names and blocks on its verdict; the same text again is answered from the cache', async ({ fake, upstream, startGateway }) => {
    fake.reset()
    const g = await startGateway(withLlmCheck(upstream, '{model: gpt-oss-120b, timeout_ms: 5000}'))

    const blocked = await chat(g, SUSPECT)
    expect(blocked.status).toBe(409)
    expect(await blocked.json()).toMatchObject({ error: { type: 'policy_violation', policy: 'prompt-injection', code: 'input_blocked' } })
    // Only the judge's call went upstream, with the policy's model; the request itself was not sent.
    expect(models(fake.chatRequests)).toEqual(['gpt-oss-120b'])
    expect(judgeCalls(fake.chatRequests)).toHaveLength(1)
    expect(g.gateway.log.recent().at(-1)!.llm).toMatchObject({ verdict: 'injection', confidence: 0.93 })

    const again = await chat(g, SUSPECT)
    expect(again.status).toBe(409)
    expect(judgeCalls(fake.chatRequests)).toHaveLength(1)

    const allowed = await chat(g, BENIGN)
    expect(allowed.status).toBe(200)
    expect(models(fake.chatRequests)).toEqual(['gpt-oss-120b', 'gpt-oss-120b', 'fake-fast'])
    expect(g.gateway.log.recent().at(-1)!.llm).toMatchObject({ verdict: 'benign' })
  })

  it('fails closed when the judge does not answer and on_error is block', async ({ fake, upstream, startGateway }) => {
    fake.reset()
    // fault/stall: the fake never answers; the check gives up after timeout_ms.
    const g = await startGateway(withLlmCheck(upstream, '{model: fault/stall, timeout_ms: 300, on_error: block}'))
    const r = await chat(g, BENIGN)
    expect(r.status).toBe(409)
    const body = (await r.json()) as { error: { policy: string; message: string } }
    expect(body.error).toMatchObject({ policy: 'prompt-injection' })
    expect(body.error.message).toMatch(/fails closed/)
    expect(models(fake.chatRequests)).toEqual(['fault/stall'])
    expect(g.gateway.log.recent().at(-1)!.llm).toMatchObject({ verdict: 'error', error: 'timed out after 300 ms' })
  })

  it('fails open when the judge does not answer and on_error is allow', async ({ fake, upstream, startGateway }) => {
    fake.reset()
    const g = await startGateway(withLlmCheck(upstream, '{model: fault/stall, timeout_ms: 300, on_error: allow}'))
    const r = await chat(g, BENIGN)
    expect(r.status).toBe(200)
    expect(models(fake.chatRequests)).toEqual(['fault/stall', 'fake-fast'])
  })

  it('uses --injection-llm-model instead of the policy’s model, keeping its timeout and on_error', async ({ fake, upstream, startGateway }) => {
    fake.reset()
    const g = await startGateway(withLlmCheck(upstream, '{model: gpt-oss-120b, timeout_ms: 300, on_error: block}'), { injectionLlmModel: 'fault/stall' })
    const r = await chat(g, BENIGN)
    expect(r.status).toBe(409)
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/timed out after 300 ms.*fails closed/)
    expect(models(fake.chatRequests)).toEqual(['fault/stall'])
  })
})
