import {
  addTarget,
  addToChain,
  applyDocEdit,
  DocEditError,
  moveFlatInjectionKeys,
  moveListItem,
  removeFromChain,
  removeListItem,
  setSecretRef,
  setValue,
} from '@renderer/features/policies/doc-edit'
import { docStore, editForm, isDirty, loadDocument, markSaved, redo, setText, undo } from '@renderer/features/policies/doc-store'
import { formModel } from '@renderer/features/policies/form-model'
import { findTemplate, lintPolicyText, parsePolicyYaml, toPlain } from '@shared/policy'
import { beforeEach, describe, expect, it } from 'vitest'

/*
 * The visual form and the YAML editor edit one document: form edits go
 * through yaml's Document API and change only the lines they touch (every
 * comment, blank line, key order and even comment alignment elsewhere is
 * what the user typed); YAML edits show up in the form model at once.
 */

const GATEWAY = findTemplate('cerebras-gateway')!.yaml

/** Lines of `after` that are not in `before`, and the reverse (a plain line multiset diff). */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const count = (s: string) => s.split('\n').reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>())
  const a = count(before)
  const b = count(after)
  const added: string[] = []
  const removed: string[] = []
  for (const [l, n] of b) for (let i = 0; i < n - (a.get(l) ?? 0); i++) added.push(l)
  for (const [l, n] of a) for (let i = 0; i < n - (b.get(l) ?? 0); i++) removed.push(l)
  return { added, removed }
}

/** A parsed policy document, walked freely by the assertions. */
type PolicyTree = { [key: string]: PolicyTree } & PolicyTree[]

const plain = (text: string) => toPlain(parsePolicyYaml(text).doc) as PolicyTree

describe('form edits keep the YAML as the user wrote it', () => {
  it('changes one value and nothing else: comments, their alignment, blank lines and key order stay', () => {
    const out = applyDocEdit(GATEWAY, setValue(['policy', 'pii-detector', 'action'], 'block'))
    const diff = changedLines(GATEWAY, out)
    expect(diff.removed).toEqual(['    action: redact             # redact | block'])
    // Even the edited line keeps its comment in its column.
    expect(diff.added).toEqual(['    action: block              # redact | block'])
    expect(plain(out).policy['pii-detector'].action).toBe('block')
    // The aligned comments of untouched lines are byte-identical.
    expect(out).toContain('      action: block            # block | log | escalate')
    expect(out).toContain('    pci_mode: true             # cards, CVV, cardholder names')
    expect(out.startsWith('# Cerebras behind a policy gateway')).toBe(true)
  })

  it('reorders the chain with its comment, touching only the chain lines', () => {
    const withComments = GATEWAY.replace('    - pii-detector\n', '    # personal data first?\n    - pii-detector\n')
    const out = applyDocEdit(withComments, moveListItem(['policies', 'chain'], 1, 0))
    expect(plain(out).policies.chain).toEqual(['pii-detector', 'prompt-injection', 'audit-logger'])
    const chainBlock = out.slice(out.indexOf('  chain:'), out.indexOf('\npolicy:'))
    expect(chainBlock).toBe('  chain:\n    # personal data first?\n    - pii-detector\n    - prompt-injection\n    - audit-logger\n')
    expect(out).toContain('  # Evaluated in this order on every request.\n  chain:')
    const { added, removed } = changedLines(withComments, out)
    expect([...added, ...removed].every((l) => /^\s+(- |# personal)/.test(l))).toBe(true)
  })

  it('creates nested sections where they belong and removes them again when emptied', () => {
    const added = applyDocEdit(GATEWAY, setValue(['policy', 'prompt-injection', 'detection', 'embedding_threshold'], 0.8))
    expect(plain(added).policy['prompt-injection'].detection).toEqual({ embedding_threshold: 0.8 })
    expect(changedLines(GATEWAY, added)).toEqual({ added: ['    detection:', '      embedding_threshold: 0.8'], removed: [] })
    const removed = applyDocEdit(added, setValue(['policy', 'prompt-injection', 'detection', 'embedding_threshold'], undefined))
    expect(removed).toBe(GATEWAY)
  })

  it('adds and removes chain entries; kinds that need settings get a starter block', () => {
    const out = applyDocEdit(GATEWAY, addToChain('token-budget'))
    expect(plain(out).policies.chain.at(-1)).toBe('token-budget')
    expect(plain(out).policy['token-budget']).toEqual({ max_completion_tokens: 4096 })
    const back = applyDocEdit(out, removeFromChain(3))
    expect(plain(back).policies.chain).toEqual(['prompt-injection', 'pii-detector', 'audit-logger'])
    // The block stays: removing from the chain never drops settings silently.
    expect(plain(back).policy['token-budget']).toEqual({ max_completion_tokens: 4096 })
    // An emptied chain stays a (required) list.
    let empty = GATEWAY
    for (let i = 0; i < 3; i++) empty = applyDocEdit(empty, removeFromChain(0))
    expect(plain(empty).policies.chain).toEqual([])
  })

  it('adds, reorders (primary/fallback) and edits provider targets', () => {
    let out = applyDocEdit(GATEWAY, addTarget(['cerebras-primary']))
    expect(plain(out).providers.targets.map((t) => t.id)).toEqual(['cerebras-primary', 'target-2'])
    out = applyDocEdit(out, moveListItem(['providers', 'targets'], 1, 0))
    expect(plain(out).providers.targets[0].id).toBe('target-2')
    out = applyDocEdit(out, setSecretRef(0, 'store', 'openai-key'))
    expect(plain(out).providers.targets[0].secret_key_ref).toEqual({ store: 'openai-key' })
    out = applyDocEdit(out, setValue(['providers', 'fallback', 'retry_on'], ['5xx', 'timeout']))
    expect(plain(out).providers.fallback).toEqual({ retry_on: ['5xx', 'timeout'] })
    out = applyDocEdit(out, removeListItem(['providers', 'fallback', 'retry_on'], 0))
    out = applyDocEdit(out, removeListItem(['providers', 'fallback', 'retry_on'], 0))
    expect(plain(out).providers.fallback).toBeUndefined()
  })

  it('moves flat attack_patterns under detection (lint W001), merging lists', () => {
    const text =
      'pack: {name: p, version: "1"}\npolicies:\n  chain: [prompt-injection]\npolicy:\n  prompt-injection:\n    attack_patterns: ["jailbreak"]\n    detection:\n      attack_patterns: ["dan mode"]\n'
    const out = applyDocEdit(text, moveFlatInjectionKeys())
    expect(plain(out).policy['prompt-injection']).toEqual({ detection: { attack_patterns: ['dan mode', 'jailbreak'] } })
  })

  it('keeps quoting and inline comments on the edited scalar', () => {
    const text = 'pack:\n  name: "quoted"   # the name\n  version: \'1.0\'\npolicies:\n  chain: []\n'
    const out = applyDocEdit(text, setValue(['pack', 'name'], 'renamed'))
    // The comment stays in its column (19).
    expect(out).toContain(`${'  name: "renamed"'.padEnd(19)}# the name`)
    expect(applyDocEdit(text, setValue(['pack', 'name'], 'x'))).toContain(`${'  name: "x"'.padEnd(19)}# the name`)
    expect(out).toContain("version: '1.0'")
  })

  it('refuses to edit while the YAML has a syntax error, changing nothing', () => {
    const broken = 'pack:\n  name: x\n   version: 1\npolicies:\n  chain: []\n'
    const line = lintPolicyText(broken).findings.find((f) => f.code === 'E000')!.line
    expect(() => applyDocEdit(broken, setValue(['pack', 'version'], '1'))).toThrow(DocEditError)
    expect(() => applyDocEdit(broken, setValue(['pack', 'version'], '1'))).toThrow(`syntax error on line ${line} first`)
  })
})

describe('one document for both views', () => {
  beforeEach(() => loadDocument({ text: GATEWAY, file: null, savedText: null, title: 'Untitled' }))

  it('shows a YAML edit in the form model at once', () => {
    expect(formModel(docStore.getState().lint).chain.map((c) => c.kind)).toEqual(['prompt-injection', 'pii-detector', 'audit-logger'])
    setText(
      GATEWAY.replace('    - audit-logger\n', '    - audit-logger\n    - rbac\n').replace('name: cerebras-gateway', 'name: edited-in-yaml'),
      'editor',
      'e',
    )
    const model = formModel(docStore.getState().lint)
    expect(model.pack.name).toBe('edited-in-yaml')
    expect(model.chain.at(-1)).toMatchObject({ kind: 'rbac', status: 'catalog' })
    expect(model.targets[0]).toMatchObject({ id: 'cerebras-primary', effectiveModel: 'gpt-oss-120b', secretSource: 'env', secretName: 'CEREBRAS_API_KEY' })
  })

  it('turns the form off, with the reason, while the YAML does not parse, and keeps the text', () => {
    const broken = GATEWAY.replace('  chain:\n', '  chain: [oops\n')
    setText(broken, 'editor', 'e')
    expect(formModel(docStore.getState().lint)).toMatchObject({ editable: false, reason: expect.stringMatching(/syntax error/) })
    expect(editForm(setValue(['pack', 'name'], 'x'), 'pack.name')).toBe(false)
    expect(docStore.getState().text).toBe(broken)
    expect(docStore.getState().formError).toMatch(/Fix the YAML syntax error on line \d+/)
  })

  it('undoes and redoes form and YAML edits in one history; typing in one field is one step', () => {
    editForm(setValue(['pack', 'name'], 'a'), 'pack.name')
    editForm(setValue(['pack', 'name'], 'ab'), 'pack.name')
    editForm(setValue(['pack', 'name'], 'abc'), 'pack.name')
    setText(docStore.getState().text.replace('version: 0.1.0', 'version: 0.2.0'), 'editor', 'e')
    expect(formModel(docStore.getState().lint).pack).toMatchObject({ name: 'abc', version: '0.2.0' })
    undo()
    expect(formModel(docStore.getState().lint).pack).toMatchObject({ name: 'abc', version: '0.1.0' })
    undo()
    expect(docStore.getState().text).toBe(GATEWAY)
    expect(undo()).toBe(false)
    redo()
    redo()
    expect(formModel(docStore.getState().lint).pack).toMatchObject({ name: 'abc', version: '0.2.0' })
  })

  it('knows when there are unsaved changes', () => {
    expect(isDirty(docStore.getState())).toBe(true)
    markSaved({ path: '/tmp/p.yaml', mtimeMs: 1 }, GATEWAY)
    expect(isDirty(docStore.getState())).toBe(false)
    expect(docStore.getState().title).toBe('p.yaml')
    editForm(setValue(['pack', 'enabled'], false), 'pack.enabled')
    expect(isDirty(docStore.getState())).toBe(true)
    undo()
    expect(isDirty(docStore.getState())).toBe(false)
  })
})
