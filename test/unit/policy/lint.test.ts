import { type LintFinding, lintPolicyText } from '@shared/policy/lint'
import { POLICY_TEMPLATES } from '@shared/policy/templates'
import { parsePolicyYaml, stringifyPolicyYaml } from '@shared/policy/yaml'
import { describe, expect, it } from 'vitest'

const lint = (text: string, opts = {}) => lintPolicyText(text, opts)
const byCode = (findings: LintFinding[], code: string) => findings.filter((f) => f.code === code)
const at = (f: LintFinding | undefined) => (f ? `${f.line}:${f.column}` : 'none')
/** The source text at a finding's line:column, to check the position points at the right token. */
const textAt = (doc: string, f: LintFinding) => doc.split('\n')[f.line - 1].slice(f.column - 1)

const BASE = `pack:
  name: t
  version: 0.1.0
policies:
  chain: [pii-detector]
policy:
  pii-detector:
    action: redact
`

describe('lint: valid documents', () => {
  it('the three templates (the seed examples) lint clean, also against retired models', () => {
    const retired = new Set(['llama3.3-70b', 'llama-3.3-70b', 'llama3.1-8b', 'llama3.1-70b'])
    const deprecatedModel = (id: string) => (retired.has(id) ? { date: '2026-02-16', replacement: 'gpt-oss-120b' } : undefined)
    expect(POLICY_TEMPLATES).toHaveLength(3)
    for (const t of POLICY_TEMPLATES) {
      const r = lint(t.yaml, { deprecatedModel })
      expect(r.findings, t.id).toEqual([])
      expect(r.ok).toBe(true)
      expect(r.config?.pack.name).toBeTruthy()
    }
  })
  it('a minimal config with a block is clean', () => {
    expect(lint(BASE).findings).toEqual([])
  })
})

describe('lint codes with line:column', () => {
  it('E000 for YAML syntax errors, at the error position', () => {
    const r = lint('pack:\n  name: x\n  name: y\npolicies: [\n')
    expect(r.ok).toBe(false)
    const e = byCode(r.findings, 'E000')
    expect(e.length).toBeGreaterThan(0)
    expect(e[0].message).toMatch(/YAML/)
    expect(at(e[0])).toBe('3:3') // the duplicate key
  })
  it('E000 for alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghi'.split('').map(
        (k, i) =>
          `${k}: &${k} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n')
    const r = lint(bomb)
    expect(r.ok).toBe(false)
    expect(byCode(r.findings, 'E000')[0].message).toMatch(/alias/i)
  })
  it('E000 once, in words, for YAML nested too deeply to read', () => {
    const r = lint(`pack: {name: x, version: 1.0.0, enabled: true}\npolicies:\n  chain: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)
    expect(r.ok).toBe(false)
    expect(byCode(r.findings, 'E000').map((f) => f.message)).toEqual(['YAML: nested too deeply to read'])
  })
  it('E001 unknown kind, with a suggestion, in the chain and as a block', () => {
    const doc = BASE.replace('chain: [pii-detector]', 'chain: [pii-detector, pii-detecter]').replace('policy:\n', 'policy:\n  promt-injection: {}\n')
    const r = lint(doc)
    const e = byCode(r.findings, 'E001')
    expect(e.map(at)).toEqual(['5:25', '7:3'])
    expect(textAt(doc, e[0]).startsWith('pii-detecter]')).toBe(true)
    expect(textAt(doc, e[1]).startsWith('promt-injection:')).toBe(true)
    expect(e[0].message).toContain('did you mean `pii-detector`')
    expect(e[1].message).toContain('did you mean `prompt-injection`')
  })
  it('E002 unknown key, naming the valid keys, at the key', () => {
    const r = lint(BASE.replace('    action: redact', '    action: redact\n    acton: block'))
    const [e] = byCode(r.findings, 'E002')
    expect(at(e)).toBe('9:5')
    expect(e.path).toEqual(['policy', 'pii-detector', 'acton'])
    expect(e.message).toContain('valid keys: action, healthcare_mode, pci_mode, detect_patterns, redaction')
    const top = lint(BASE + 'extra: 1\n')
    expect(byCode(top.findings, 'E002')[0].message).toContain('valid keys: pack, policies, policy, providers, agents')
  })
  it('E003 is a warning when the kind has usable defaults (and says so), an error otherwise', () => {
    const doc = BASE.replace('chain: [pii-detector]', 'chain: [pii-detector, prompt-injection, token-budget]')
    const r = lint(doc)
    const [warn, err] = byCode(r.findings, 'E003')
    expect(warn.severity).toBe('warning')
    expect(warn.message).toContain('runs with its defaults')
    expect(textAt(doc, warn).startsWith('prompt-injection,')).toBe(true)
    expect(textAt(doc, err).startsWith('token-budget]')).toBe(true)
    expect(err.severity).toBe('error')
    expect(err.message).toContain('needs at least one limit')
    expect(r.ok).toBe(false)
  })
  it('E004 invalid values and E005 missing keys', () => {
    const r = lint(BASE.replace('action: redact', 'action: shred').replace('  name: t\n', '').replace('version: 0.1.0', 'version: 1.0'))
    expect(
      byCode(r.findings, 'E004')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/action[\s\S]*redact[\s\S]*block/)
    expect(byCode(r.findings, 'E004').some((f) => f.message.includes('quote it'))).toBe(true)
    expect(byCode(r.findings, 'E005')[0].message).toContain('missing required key `name` in pack')
  })
  it('E006 unsupported regex and E007 catastrophic backtracking in user patterns', () => {
    const doc = `${BASE.replace('chain: [pii-detector]', 'chain: [pii-detector, deny-patterns]')}  deny-patterns:\n    patterns:\n      - "(?<=x)y"\n      - "(a+)+$"\n      - "ok\\\\d+"\n`
    const r = lint(doc)
    const [e6] = byCode(r.findings, 'E006')
    expect(e6.message).toContain('lookaround')
    expect(textAt(doc, e6)).toBe('"(?<=x)y"')
    const [e7] = byCode(r.findings, 'E007')
    expect(textAt(doc, e7)).toBe('"(a+)+$"')
    expect(byCode(r.findings, 'E006')).toHaveLength(1)
  })
  it('E008 duplicate target ids; W010 fallback with one target', () => {
    const doc = `${BASE}providers:\n  targets:\n    - id: a\n      provider: cerebras:chat:llama3.3-70b\n    - id: a\n      provider: openai\n      model: gpt-4o\n`
    const [e8] = byCode(lint(doc).findings, 'E008')
    expect(at(e8)).toBe('13:11')
    expect(textAt(doc, e8)).toBe('a')
    const one = `${BASE}providers:\n  targets:\n    - id: a\n      provider: cerebras\n      model: llama3.1-8b\n  fallback:\n    strategy: ordered\n`
    expect(byCode(lint(one).findings, 'W010')).toHaveLength(1)
  })
  it('providers: cerebras needs a model, other providers need base_url, secret_key_ref takes env or store', () => {
    const doc = `${BASE}providers:\n  targets:\n    - id: a\n      provider: cerebras\n    - id: b\n      provider: groq\n      model: m\n    - id: c\n      provider: openai\n      model: gpt-4o\n      secret_key_ref: {env: A, store: B}\n`
    const r = lint(doc)
    const messages = r.findings.map((f) => `${f.code} ${f.message}`).join('\n')
    expect(messages).toContain('E005 missing required key `model` (or write the provider as `cerebras:chat:<model>`)')
    expect(messages).toContain('E005 missing required key `base_url`')
    expect(messages).toContain('exactly one of `env` or `store`')
  })
  it('W001 for a flat attack_patterns, pointing to detection:', () => {
    const doc = `pack: {name: t, version: 0.1.0}\npolicies:\n  chain: [prompt-injection]\npolicy:\n  prompt-injection:\n    attack_patterns: ["ignore.*previous"]\n`
    const [w] = byCode(lint(doc).findings, 'W001')
    expect(at(w)).toBe('6:5')
    expect(w.message).toContain('belongs under `detection:`')
  })
  it('W002 for a deprecated target model, from the lookup passed in', () => {
    const doc = `${BASE}providers:\n  targets:\n    - id: a\n      provider: cerebras:chat:llama3.1-70b\n    - id: b\n      provider: cerebras\n      model: llama3.1-8b\n`
    const deprecatedModel = (id: string) => (id === 'llama3.1-70b' ? { date: '2026-02-16', replacement: 'gpt-oss-120b' } : undefined)
    const w = byCode(lint(doc, { deprecatedModel }).findings, 'W002')
    expect(w).toHaveLength(1)
    expect(textAt(doc, w[0])).toBe('cerebras:chat:llama3.1-70b')
    expect(w[0].message).toContain('retires 2026-02-16')
    expect(w[0].message).toContain('gpt-oss-120b')
    expect(byCode(lint(doc).findings, 'W002')).toEqual([]) // no lookup, no warning
  })
  it('W004 block outside the chain, W009 pattern matching everything, W005 too many patterns', () => {
    const doc = `${BASE}  deny-patterns:\n    patterns: ["x*", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]\n`
    const r = lint(doc)
    expect(byCode(r.findings, 'W004')).toHaveLength(1)
    expect(byCode(r.findings, 'W009')).toHaveLength(1)
    expect(byCode(r.findings, 'W005')).toHaveLength(1)
    expect(r.ok).toBe(true)
  })
})

describe('catalog kinds: kept and flagged, never dropped', () => {
  const doc = `# gateway
pack:
  name: t
  version: 0.1.0
policies:
  chain:
    - rbac # role checks
    - pii-detector
policy:
  rbac:
    roles: {admin: [all]}
  pii-detector:
    action: redact
  quality-scorer:
    overall_min_score: 0.65
`
  it('W003 "not enforced here" for each catalog kind, no errors', () => {
    const r = lint(doc)
    expect(r.ok).toBe(true)
    const w = byCode(r.findings, 'W003')
    expect(w.map(at)).toEqual(['10:3', '14:3'])
    expect(w[0].message).toContain('not enforced here')
  })
  it('the document round-trips byte for byte, comments and unknown blocks included', () => {
    const { doc: parsed } = parsePolicyYaml(doc)
    expect(stringifyPolicyYaml(parsed)).toBe(doc)
    expect((lint(doc).config?.policy as Record<string, unknown>).rbac).toEqual({ roles: { admin: ['all'] } })
  })
})

describe('single-policy documents', () => {
  it('a prompt-injection document is linted and becomes a one-entry chain', () => {
    const doc = `policy:\n  name: prompt-injection\n  version: 1.0.0\n  enabled: true\ndetection:\n  embedding_threshold: 0.8\n  attack_patterns: ["ignore.*previous.*instructions"]\nresponse:\n  action: block\n`
    const r = lint(doc)
    expect(r.shape).toBe('single-policy')
    expect(r.findings).toEqual([])
    expect(r.config?.policies.chain).toEqual(['prompt-injection'])
    expect(r.config?.policy?.['prompt-injection']).toMatchObject({ detection: { embedding_threshold: 0.8 } })
  })
  it('only four kinds may be standalone', () => {
    const r = lint('policy:\n  name: pii-detector\n  version: 1.0.0\n  enabled: true\n')
    expect(byCode(r.findings, 'E001')[0].message).toContain('single-policy documents exist only for')
  })
})
