import { createGatewayPolicy } from '@main/services/gateway/policy-adapter'
import { StreamOutputPolicy } from '@main/services/gateway/stream-output'
import type { PolicyConfig } from '@shared/policy/schema'
import { describe, expect, it } from 'vitest'

const config = (action: 'redact' | 'block'): PolicyConfig => ({
  pack: { name: 't', version: '1' },
  policies: { chain: ['pii-detector'] },
  policy: { 'pii-detector': { action } },
})
const policyFor = (action: 'redact' | 'block') => {
  const p = createGatewayPolicy(config(action))
  return new StreamOutputPolicy(() => p.outputStream()!)
}

const event = (index: number, delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index, delta, finish_reason: finish }] })

/** Pieces of `text`, five characters each, as a model streams them. */
const pieces = (text: string) => text.match(/.{1,5}/gs) ?? []

/** Runs events through, `perRead` to a network read; returns every event written and what was shown after each write. */
function run(policy: StreamOutputPolicy, events: string[], perRead: number) {
  let out = ''
  const shown: string[] = []
  for (let i = 0; i < events.length; i++) {
    const r = policy.event(events[i], JSON.parse(events[i]))
    out += r.out
    if (r.blocked) return { out, shown, blocked: r.blocked }
    if ((i + 1) % perRead === 0 || i === events.length - 1) {
      const e = policy.endOfRead()
      out += e.out
      shown.push(out)
      if (e.blocked) return { out, shown, blocked: e.blocked }
    }
  }
  const end = policy.end()
  out += end.out
  shown.push(out)
  return { out, shown, blocked: end.blocked }
}

const parse = (out: string) =>
  out
    .split('\n\n')
    .filter(Boolean)
    .map((e) => JSON.parse(e.slice(6)) as { choices: Array<{ index: number; delta: Record<string, string> }> })
const channel = (out: string, index: number, ch: string) =>
  parse(out)
    .flatMap((e) => e.choices.filter((c) => c.index === index).map((c) => c.delta[ch] ?? ''))
    .join('')

const A = 'Write to ana.silva@example.com about the invoice, please, before Friday.'
const B = 'The number is +44 20 7946 0958 and nothing else is personal in this one.'

describe('output policies over a streamed answer', () => {
  for (const perRead of [1, 3, 1000]) {
    it(`redacts each choice and channel apart, one event out per event in (${perRead} event(s) per read)`, () => {
      // Two choices interleaved, choice 1 also reasoning; texts differ, so any mixing shows.
      const events: string[] = [event(0, { role: 'assistant' }), event(1, { role: 'assistant' })]
      const [a, b] = [pieces(A), pieces(B)]
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i]) events.push(event(0, { content: a[i] }))
        if (b[i]) events.push(event(1, { reasoning: b[i] }), event(1, { content: b[i] }))
      }
      events.push(event(0, {}, 'stop'), event(1, {}, 'stop'))
      const { out, shown } = run(policyFor('redact'), events, perRead)
      expect(parse(out)).toHaveLength(events.length)
      expect(channel(out, 0, 'content')).toBe('Write to [EMAIL_ADDRESS] about the invoice, please, before Friday.')
      expect(channel(out, 1, 'content')).toBe('The number is [PHONE_NUMBER] and nothing else is personal in this one.')
      expect(channel(out, 1, 'reasoning')).toBe(channel(out, 1, 'content'))
      expect(channel(out, 0, 'reasoning')).toBe('')
      // Never any part of a match longer than a few characters, at any moment.
      for (const s of shown)
        for (const secret of ['ana.silva@example.com', '+44 20 7946 0958']) {
          for (let len = 6; len <= secret.length; len++) expect(s.includes(secret.slice(0, len))).toBe(false)
        }
    })
  }

  it('passes events without text through byte for byte', () => {
    const role = event(0, { role: 'assistant' })
    const tool = event(0, { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup' } }] })
    const { out } = run(policyFor('redact'), [role, tool], 1)
    expect(out).toBe(`data: ${role}\n\ndata: ${tool}\n\n`)
  })

  it('redacts tool-call arguments, each call apart, and hands the held-back part over with the finish', () => {
    const args0 = '{"to":"ana.silva@example.com","subject":"invoice"}'
    const args1 = '{"phone":"+44 20 7946 0958"}'
    const events = [
      event(0, { tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'send_email', arguments: '' } }] }),
      ...pieces(args0).map((p) => event(0, { tool_calls: [{ index: 0, function: { arguments: p } }] })),
      event(0, { tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'call', arguments: args1 } }] }),
      event(0, {}, 'tool_calls'),
    ]
    const { out } = run(policyFor('redact'), events, 4)
    expect(parse(out)).toHaveLength(events.length)
    const args = (k: number) =>
      parse(out)
        .flatMap((e) =>
          e.choices.flatMap((c) => (c.delta as unknown as { tool_calls?: Array<{ index: number; function?: { arguments?: string } }> }).tool_calls ?? []),
        )
        .filter((t) => t.index === k)
        .map((t) => t.function?.arguments ?? '')
        .join('')
    expect(JSON.parse(args(0))).toEqual({ to: '[EMAIL_ADDRESS]', subject: 'invoice' })
    expect(JSON.parse(args(1))).toEqual({ phone: '[PHONE_NUMBER]' })
  })

  it('reports findings by choice and channel, with the original text they index', () => {
    const policy = policyFor('redact')
    run(
      policy,
      [...pieces(A).map((p) => event(0, { content: p })), ...pieces(B).map((p) => event(2, { reasoning: p })), event(0, {}, 'stop'), event(2, {}, 'stop')],
      4,
    )
    const f = policy.findings()
    expect(f.map((x) => x.location)).toEqual(['output.content', 'output.choices[2].reasoning'])
    expect(f[0].text.slice(f[0].findings[0].start, f[0].findings[0].end)).toBe('ana.silva@example.com')
    expect(f[1].text.slice(f[1].findings[0].start, f[1].findings[0].end)).toBe('+44 20 7946 0958')
    expect(policy.verdict()).toBe('redact')
  })

  it('with pii-detector set to block, stops at the first finding and sends nothing of it', () => {
    const events = [
      ...pieces('Nothing personal here at all, just words. ').map((p) => event(0, { content: p })),
      ...pieces(A).map((p) => event(0, { content: p })),
    ]
    const { out, blocked } = run(policyFor('block'), events, 2)
    expect(blocked?.policy).toBe('pii-detector')
    expect(out).not.toMatch(/ana\.silva|example/)
  })
})
