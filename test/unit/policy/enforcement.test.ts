import { applyChanges, contentText, outputVerdict, toEngineRequest, verdictSeverity, type WireChatRequest, worseVerdict } from '@shared/policy/enforcement'
import { compileChain } from '@shared/policy/engine/chain'
import type { PolicyConfig } from '@shared/policy/schema'
import { describe, expect, it } from 'vitest'

// The one behaviour the app's own requests and the gateway share: what the
// chain reads from a wire request and how its decision changes what is sent.

const cfg = (chain: string[], policy: Record<string, unknown> = {}, enabled = true): PolicyConfig => ({
  pack: { name: 't', version: '1', enabled },
  policies: { chain },
  policy,
})
const budget = compileChain(cfg(['token-budget'], { 'token-budget': { max_completion_tokens: 64, action: 'clamp' } }))
const pii = compileChain(cfg(['pii-detector'], { 'pii-detector': { action: 'redact' } }))
const piiBlocks = compileChain(cfg(['pii-detector'], { 'pii-detector': { action: 'block' } }))

/** The request as it would go out after the chain's decision. */
function enforce<R extends WireChatRequest>(chain: ReturnType<typeof compileChain>, request: R): R {
  return applyChanges(request, chain.run(toEngineRequest(request)))
}

const ask = (extra: Partial<WireChatRequest> = {}) => ({ model: 'm', messages: [{ role: 'user', content: 'Tell me a long story.' }], ...extra })

describe('the token clamp keeps the field the client used', () => {
  it('clamps max_tokens when the client sent max_tokens, and adds no max_completion_tokens', () => {
    const out = enforce(budget, ask({ max_tokens: 4096 }))
    expect(out.max_tokens).toBe(64)
    expect(out).not.toHaveProperty('max_completion_tokens')
  })

  it('clamps max_completion_tokens when the client sent max_completion_tokens, and adds no max_tokens', () => {
    const out = enforce(budget, ask({ max_completion_tokens: 4096 }))
    expect(out.max_completion_tokens).toBe(64)
    expect(out).not.toHaveProperty('max_tokens')
  })

  it('leaves neither field above the clamp when the client sent both', () => {
    expect(enforce(budget, ask({ max_completion_tokens: 4096, max_tokens: 2048 }))).toMatchObject({ max_completion_tokens: 64, max_tokens: 64 })
    expect(enforce(budget, ask({ max_completion_tokens: 4096, max_tokens: 10 }))).toMatchObject({ max_completion_tokens: 64, max_tokens: 10 })
  })

  it('sets max_completion_tokens when the client gave no limit', () => {
    const out = enforce(budget, ask())
    expect(out.max_completion_tokens).toBe(64)
    expect(out).not.toHaveProperty('max_tokens')
  })

  it('returns the very request the client sent when the limit is already under the budget', () => {
    const request = ask({ max_tokens: 32 })
    expect(enforce(budget, request)).toBe(request)
  })

  it('reads max_tokens as the requested limit when max_completion_tokens is absent', () => {
    expect(toEngineRequest(ask({ max_tokens: 7 })).max_completion_tokens).toBe(7)
    expect(toEngineRequest(ask({ max_tokens: 7, max_completion_tokens: 9 })).max_completion_tokens).toBe(9)
    expect(toEngineRequest(ask()).max_completion_tokens).toBeNull()
  })
})

describe('redactions in the request as sent', () => {
  it('replaces only the redacted messages, as text, and keeps every other field', () => {
    const request = {
      model: 'm',
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Mail me at jane.doe@example.com ' },
            { type: 'text', text: 'please.' },
          ],
        },
      ],
    }
    const out = enforce(pii, request)
    expect(out).not.toBe(request)
    expect(out.temperature).toBe(0.2)
    expect(out.messages[0]).toBe(request.messages[0])
    expect(typeof out.messages[1].content).toBe('string')
    expect(out.messages[1].content).not.toContain('jane.doe@example.com')
    expect(out.messages[1].content).toMatch(/please\.$/)
    // The client's own object is not changed under it.
    expect(request.messages[1].content).toHaveLength(2)
  })

  it('reads text parts joined, strings as they are, and no text as null', () => {
    expect(contentText([{ type: 'text', text: 'a' }, { type: 'image_url' }, { type: 'text', text: 'b' }])).toBe('ab')
    expect(contentText('x')).toBe('x')
    expect(contentText(null)).toBeNull()
    expect(contentText(undefined)).toBeNull()
  })
})

describe('verdicts', () => {
  it('ranks error > block > redact > log > allow, and keeps the first of two equal ones', () => {
    const order = ['allow', 'log', 'redact', 'block', 'error']
    for (let i = 1; i < order.length; i++) expect(verdictSeverity(order[i])).toBeGreaterThan(verdictSeverity(order[i - 1]))
    expect(worseVerdict('redact', 'log')).toBe('redact')
    expect(worseVerdict('log', 'block')).toBe('block')
    expect(worseVerdict('block', 'error')).toBe('error')
  })

  it('gives an answer with findings redact, or block when pii-detector blocks output; none reads output in a disabled pack', () => {
    expect([outputVerdict(pii, 0), outputVerdict(pii, 2), outputVerdict(piiBlocks, 1)]).toEqual(['allow', 'redact', 'block'])
    expect([pii.readsOutput, pii.blocksOutput, piiBlocks.blocksOutput]).toEqual([true, false, true])
    const off = compileChain(cfg(['pii-detector'], { 'pii-detector': { action: 'block' } }, false))
    expect([off.readsOutput, off.blocksOutput, off.createOutputRedactor()]).toEqual([false, false, null])
    expect(budget.readsOutput).toBe(false)
  })
})
