import { canonicalJson } from '@main/services/audit/canonical'
import { recordHash } from '@main/services/audit/hashing'
import { AuditEntryInput } from '@main/services/audit/input'
import { hashOfRecord, recordBody, sealRecord } from '@main/services/audit/record'
import { describe, expect, it } from 'vitest'

describe('canonical serialisation', () => {
  it('does not depend on key order or spacing, and drops undefined members', () => {
    const a = { b: 1, a: { y: [1, 'two', null], x: true }, u: undefined }
    const b = JSON.parse('{ "a": {"x": true, "y": [1, "two", null]}, "b": 1 }')
    expect(canonicalJson(a)).toBe('{"a":{"x":true,"y":[1,"two",null]},"b":1}')
    expect(canonicalJson(b)).toBe(canonicalJson(a))
    expect(recordHash(a)).toBe(recordHash(b))
  })

  it('distinguishes values that differ only in type or nesting', () => {
    expect(recordHash({ v: 1 })).not.toBe(recordHash({ v: '1' }))
    expect(recordHash({ v: null })).not.toBe(recordHash({}))
    expect(recordHash({ v: [1, 2] })).not.toBe(recordHash({ v: [2, 1] }))
  })

  it('refuses what JSON cannot represent faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/\$\.n/)
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain objects/)
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/)
    expect(() => canonicalJson({ b: 1n })).toThrow(/bigint/)
  })
})

describe('the append path hashes exactly the canonical body', () => {
  const entries = [
    { kind: 'lifecycle' },
    {
      kind: 'request',
      requestId: 'r-ü\u2028"quoted"',
      client: '[::1]:443',
      target: 't',
      model: 'm',
      status: 409,
      verdicts: [{ policy: 'prompt-injection', verdict: 'block', code: 'input_blocked', message: 'Ignore… <\u0000>' }],
      findings: [{ policy: 'pii-detector', entity: 'EMAIL', location: 'output', start: 1, end: 9, text: 'a@b.example' }],
      usage: { totalTokens: 3, promptTokens: 1, completionTokens: 2 },
      latencyMs: 0.125,
      detail: { z: [1, { b: null, a: 'x' }], a: true, é: -0 },
    },
  ]
  for (const [i, e] of entries.entries()) {
    it(`entry ${i}`, () => {
      const { record, params } = sealRecord(AuditEntryInput.parse(e), { seq: 7, prevHash: 'c'.repeat(64), time: 99, saltHex: 'd'.repeat(64) })
      expect(record.hash).toBe(recordHash(recordBody(record)))
      expect(hashOfRecord(record)).toBe(record.hash)
      expect(params).toHaveLength(16)
      expect(JSON.stringify(record)).not.toContain('a@b.example')
    })
  }
})
