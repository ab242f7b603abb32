import { describe, expect, it } from 'vitest'

import { inspectJson, loadSchemaValidator } from '../../../renderer/src/features/playground/json-output'

/* JSON answers are checked against their schema once the validator (loaded on first use, not with the playground) is in. */

const SCHEMA = JSON.stringify({ type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false })

describe('inspectJson', () => {
  it('parses and pretty-prints before the validator has loaded, without claiming a schema check', () => {
    expect(inspectJson('{"answer":"yes"}', SCHEMA, null)).toEqual({ ok: true, pretty: '{\n  "answer": "yes"\n}', problems: [], checked: false })
    expect(inspectJson('{"answer":', SCHEMA, null)).toMatchObject({ ok: false, pretty: null, checked: false })
  })

  it('checks against the schema once the validator is loaded', async () => {
    const lib = await loadSchemaValidator()
    expect(inspectJson('{"answer":"yes"}', SCHEMA, lib)).toMatchObject({ ok: true, checked: true, problems: [] })
    const wrong = inspectJson('{"answer":3,"extra":true}', SCHEMA, lib)
    expect(wrong.ok).toBe(false)
    expect(wrong.checked).toBe(true)
    expect(wrong.problems.join('\n')).toMatch(/answer/)
    // Loaded once, the default is the loaded validator.
    expect(inspectJson('{"answer":"yes"}', SCHEMA).checked).toBe(true)
  })
})
