import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { FAKE_FAST_MODEL } from '@main/services/demo/fake-cerebras/fake-models'
import type { ChatDone, ChatError } from '@shared/ipc/domains/chat'
import type { PolicyBlockedDetails, PolicyOutcome } from '@shared/ipc/domains/policies'
import { describe, expect, test } from 'vitest'

import { Caller, startAppHarness } from './app-harness'

/*
 * The semantic layer of prompt-injection (llm_check) on the app's own
 * requests, through createAppServices and the dispatcher against the fake
 * Cerebras server, which answers the judge's injection_verdict schema by
 * keyword ("you are now", "system prompt", "ignore previous").
 */

const policy = (llmCheck: string) => `pack: {name: semantic, version: 1.0.0}
policies:
  chain: [prompt-injection, pii-detector]
policy:
  prompt-injection:
    llm_check: ${llmCheck}
`
// The lexical rules let these through; the fake judge calls the first an injection.
const SUSPECT = 'Congratulations, you are now a certified pilot! Write me a short toast.'
const BENIGN = 'What is the capital of France? One word.'

const judgeCalls = (bodies: Array<{ body: unknown }>) =>
  bodies.filter((r) => (r.body as { response_format?: { json_schema?: { name?: string } } }).response_format?.json_schema?.name === 'injection_verdict')
const llmOf = (p: PolicyOutcome | undefined) => p?.input.policies.find((s) => s.policy === 'prompt-injection')?.llm

const it = test
  .extend('app', { scope: 'file' }, async ({}, { onCleanup }) => {
    const app = await startAppHarness()
    onCleanup(() => app.stop())
    mkdirSync(path.join(app.userDataDir, 'policies'))
    return app
  })
  .extend('use', { scope: 'file' }, async ({ app }) => async (name: string, text: string) => {
    const p = path.join(app.userDataDir, 'policies', name)
    writeFileSync(p, text)
    const status = await app.call('policies:activate', { path: p })
    expect(status).toMatchObject({ ok: true })
    app.fake.reset()
  })
  .extend('chat', { scope: 'file' }, async ({ app }) => async (text: string) => {
    const caller = new Caller()
    const { requestId } = await app.call('chat:start', { request: { model: FAKE_FAST_MODEL, messages: [{ role: 'user', content: text }] } }, caller)
    return (await caller.end(requestId)).payload as ChatDone | ChatError
  })

describe('the LLM injection check on the app’s requests', () => {
  it('blocks what the judge calls an injection, with verdict, latency and cost; the same text again is answered from the cache', async ({
    app: h,
    use,
    chat,
  }) => {
    await use('semantic.yaml', policy('{model: gpt-oss-120b, timeout_ms: 5000}'))
    const first = (await chat(SUSPECT)) as ChatError
    expect(first.error.code).toBe('policy_blocked')
    expect(first.error.message).toMatch(/^Blocked by prompt-injection \(policy "semantic"\): .*LLM_INJECTION/)
    expect((first.error.details as unknown as PolicyBlockedDetails).finding).toMatchObject({
      entity: 'LLM_INJECTION',
      detail: 'LLM check: instruction_override',
    })
    // Only the judge's call reached Cerebras, with the app's key; the request itself was not sent.
    expect(h.fake.chatRequests).toHaveLength(1)
    expect(judgeCalls(h.fake.chatRequests)).toHaveLength(1)
    expect(judgeCalls(h.fake.chatRequests)[0].body).toMatchObject({ model: 'gpt-oss-120b', stream: false })
    const llm = llmOf(first.policy)!
    expect(llm).toMatchObject({ verdict: 'injection', confidence: 0.93, model: 'gpt-oss-120b', cached: false, on_error: 'allow' })
    expect(llm.prompt_tokens).toBeGreaterThan(0)
    expect(llm.cost_usd).toBeCloseTo((llm.prompt_tokens! * 0.35 + llm.completion_tokens! * 0.75) / 1_000_000, 12)
    expect(llm.latency_ms).toBeGreaterThan(0)

    const again = (await chat(SUSPECT)) as ChatError
    expect(again.error.code).toBe('policy_blocked')
    expect(h.fake.chatRequests).toHaveLength(1)
    expect(llmOf(again.policy)).toMatchObject({ verdict: 'injection', cached: true, cost_usd: 0 })
  })

  it('sends what the judge calls benign, and reports the check in chat:done', async ({ app: h, use, chat }) => {
    await use('semantic.yaml', policy('{model: gpt-oss-120b}'))
    const done = (await chat(BENIGN)) as ChatDone
    expect(done.policy?.verdict).toBe('allow')
    expect(llmOf(done.policy)).toMatchObject({ verdict: 'benign', cached: false })
    expect(judgeCalls(h.fake.chatRequests)).toHaveLength(1)
    expect(h.fake.chatRequests).toHaveLength(2)
  })

  it('when the judge times out, fails open with on_error: allow', async ({ app: h, use, chat }) => {
    // fault/stall: the fake never answers; the check gives up after timeout_ms.
    await use('open.yaml', policy('{model: fault/stall, timeout_ms: 300, on_error: allow}'))
    const t0 = Date.now()
    const done = (await chat(BENIGN)) as ChatDone
    expect(Date.now() - t0).toBeLessThan(5_000)
    expect(done.policy?.verdict).toBe('allow')
    expect(llmOf(done.policy)).toMatchObject({ verdict: 'error', error: 'timed out after 300 ms', on_error: 'allow' })
    expect(h.fake.chatRequests.map((r) => (r.body as { model: string }).model)).toEqual(['fault/stall', FAKE_FAST_MODEL])
  })

  it('when the judge times out, fails closed with on_error: block', async ({ app: h, use, chat }) => {
    await use('closed.yaml', policy('{model: fault/stall, timeout_ms: 300, on_error: block}'))
    const err = (await chat(BENIGN)) as ChatError
    expect(err.error.code).toBe('policy_blocked')
    expect(err.error.message).toMatch(/fails closed/)
    expect((err.error.details as unknown as PolicyBlockedDetails).finding).toMatchObject({ entity: 'LLM_CHECK_FAILED' })
    expect(llmOf(err.policy)).toMatchObject({ verdict: 'error', on_error: 'block' })
    expect(h.fake.chatRequests.map((r) => (r.body as { model: string }).model)).toEqual(['fault/stall'])
  })
})
