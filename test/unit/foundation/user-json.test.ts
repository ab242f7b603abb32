import { Assertion } from '@shared/ipc/domains/compare'
import { PolicyVerdict } from '@shared/ipc/domains/history'
import { JsonObject } from '@shared/ipc/user-json'
import { describe, expect, it } from 'vitest'

/** `{ x: [[[…1…]]] }`, `levels` deep: JSON.stringify gives up past about 4,150 levels in Node 22. */
function nested(levels: number): Record<string, unknown> {
  let deep: unknown = 1
  for (let i = 0; i < levels; i++) deep = [deep]
  return { x: deep }
}

const REFUSED = 'it cannot be written as JSON: it is nested too deeply, or refers to itself'

describe('JSON objects taken as they are (schemas, tool parameters, policy verdicts)', () => {
  it('are refused, saying why, when they cannot be written as JSON', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    for (const bad of [nested(100_000), nested(5_000), cyclic]) {
      expect(JsonObject.safeParse(bad).error?.issues[0].message).toBe(REFUSED)
    }
    expect(JsonObject.safeParse(nested(1_000)).success).toBe(true)
  })

  it('guard a batch assertion’s JSON schema and a run’s policy verdicts, naming the field', () => {
    const assertion = Assertion.safeParse({ id: 'a1', kind: 'json_schema', schema: nested(10_000) })
    expect(assertion.error?.issues[0]).toMatchObject({ path: ['schema'], message: REFUSED })
    expect(Assertion.safeParse({ id: 'a1', kind: 'json_schema', schema: { type: 'object' } }).success).toBe(true)
    expect(PolicyVerdict.safeParse(nested(10_000)).error?.issues[0].message).toBe(REFUSED)
    expect(PolicyVerdict.safeParse({ policy: 'pii-detector', verdict: 'redact' }).success).toBe(true)
  })
})
