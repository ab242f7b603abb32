import { fieldInfo, validKeysAt } from '@shared/policy/schema-info'
import { appendSeqItem, deleteIn, lineCol, locate, moveSeqItem, parsePolicyYaml, setIn, stringifyPolicyYaml } from '@shared/policy/yaml'
import { describe, expect, it } from 'vitest'

const DOC = `# Policy for the playground
pack:
  name: demo # the pack name
  version: 0.1.0

policies:
  chain:
    # injection first
    - prompt-injection
    - pii-detector
    - audit-logger
policy:
  pii-detector:
    action: redact
`

describe('YAML editing keeps comments and key order', () => {
  it('moving a chain entry moves its comment with it', () => {
    const { doc } = parsePolicyYaml(DOC)
    moveSeqItem(doc, ['policies', 'chain'], 0, 2)
    const out = stringifyPolicyYaml(doc)
    expect(out).toContain('    - pii-detector\n    - audit-logger\n    # injection first\n    - prompt-injection\n')
    expect(out.startsWith('# Policy for the playground\npack:\n  name: demo # the pack name\n')).toBe(true)
  })
  it('setIn changes a scalar in place and creates missing maps in block style', () => {
    const { doc } = parsePolicyYaml(DOC)
    setIn(doc, ['pack', 'name'], 'renamed')
    setIn(doc, ['policy', 'audit-logger', 'retention_days'], 2190)
    const out = stringifyPolicyYaml(doc)
    expect(out).toContain('  name: renamed # the pack name\n')
    expect(out).toContain('  audit-logger:\n    retention_days: 2190\n')
    expect(out.indexOf('pack:')).toBeLessThan(out.indexOf('policies:'))
  })
  it('append and delete', () => {
    const { doc } = parsePolicyYaml(DOC)
    appendSeqItem(doc, ['policies', 'chain'], 'token-budget')
    deleteIn(doc, ['policy', 'pii-detector', 'action'])
    const out = stringifyPolicyYaml(doc)
    expect(out).toContain('    - audit-logger\n    - token-budget\n')
    expect(out).not.toContain('action: redact')
  })
  it('locate gives the source range of a path, for line:column', () => {
    const parsed = parsePolicyYaml(DOC)
    const { range } = locate(parsed.doc, ['policies', 'chain', 1])
    expect(DOC.slice(range[0], range[1])).toBe('pii-detector')
    expect(lineCol(parsed.lineCounter, range[0])).toEqual({ line: 10, column: 7 })
  })
})

describe('schema docs for the editor', () => {
  it('lists valid keys and values with descriptions', () => {
    expect(validKeysAt(['providers', 'fallback'])).toEqual(['strategy', 'max_retries', 'retry_on'])
    expect(fieldInfo(['providers', 'fallback', 'strategy'])?.values).toEqual(['ordered', 'round-robin', 'latency', 'cost', 'random'])
    expect(fieldInfo(['policy', 'pii-detector', 'redaction', 'marker_format'])?.description).toContain('label')
    expect(fieldInfo(['policy', 'token-budget'])?.description).toContain('Wafer extension')
    expect(fieldInfo(['policies', 'chain', 0])?.values).toContain('hipaa-phi-detector')
    expect(fieldInfo(['providers', 'targets', 0, 'secret_key_ref'])?.keys).toEqual(['env', 'store'])
  })
})
