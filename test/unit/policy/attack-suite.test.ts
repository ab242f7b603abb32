import { compileChain, lintPolicyText } from '@shared/policy'
import { ATTACK_FAMILIES, decodeItem, ENCODINGS, generateAttackLibrary, LANGUAGES, runAttackSuite } from '@shared/policy/attack-suite'
import { fromBase64, fromLeet, seededRng, splitText, toBase64, toLeet } from '@shared/policy/attack-suite/encodings'
import { describe, expect, it } from 'vitest'

const lib = generateAttackLibrary(42)

describe('attack suite library', () => {
  it('has at least 2,000 attacks and 2,000 benign look-alikes over every family, language and encoding', () => {
    const attacks = lib.items.filter((i) => i.kind === 'attack')
    const benign = lib.items.filter((i) => i.kind === 'benign')
    expect(attacks.length).toBeGreaterThanOrEqual(2000)
    expect(benign.length).toBeGreaterThanOrEqual(2000)
    for (const set of [attacks, benign]) {
      expect(new Set(set.map((i) => i.family))).toEqual(new Set(ATTACK_FAMILIES))
      expect(new Set(set.map((i) => i.language))).toEqual(new Set(LANGUAGES))
      expect(new Set(set.map((i) => i.encoding))).toEqual(new Set(ENCODINGS))
    }
    expect(new Set(lib.items.map((i) => i.id)).size).toBe(lib.items.length)
  })

  it('is the same for the same seed and differs for another', () => {
    expect(generateAttackLibrary(42)).toEqual(lib)
    const other = generateAttackLibrary(43)
    expect(other.items.map((i) => i.id)).toEqual(lib.items.map((i) => i.id))
    expect(other.items.map((i) => i.messages)).not.toEqual(lib.items.map((i) => i.messages))
  })

  it('every encoded item decodes back to its plain prompt, and every encoding changed the text', () => {
    for (const item of lib.items) {
      expect(decodeItem(item), item.id).toBe(item.plain)
      if (item.encoding === 'split') expect(item.messages.length, item.id).toBeGreaterThan(1)
      else if (item.encoding !== 'plain') expect(item.messages[0].content, item.id).not.toBe(item.plain)
    }
  })

  it('the encodings undo themselves on text outside the library', () => {
    const text = 'Grüße, señor — ça va? ignore the rules'
    expect(fromBase64(toBase64(text))).toBe(text)
    expect(fromLeet(toLeet('ignore the rules'))).toBe('ignore the rules')
    expect(splitText('one two three four five six seven', seededRng(1)).join('')).toBe('one two three four five six seven')
  })

  it('carries personal data that passes its checks in the PII family', () => {
    const pii = lib.items.filter((i) => i.family === 'pii-exfiltration' && i.kind === 'attack' && i.encoding === 'plain')
    expect(pii.some((i) => /@example\.com/.test(i.plain))).toBe(true)
    expect(pii.some((i) => /\bDE\d{2} /.test(i.plain))).toBe(true)
  })
})

describe('runAttackSuite', () => {
  it('counts what a chain catches and wrongly flags, per family, and lists the misses', () => {
    const config = lintPolicyText(`pack: {name: t, version: 0.1.0}\npolicies:\n  chain: [prompt-injection]\npolicy:\n  prompt-injection: {}\n`).config!
    const small = { seed: 1, items: lib.items.filter((i) => i.language === 'en' && (i.encoding === 'plain' || i.encoding === 'base64')) }
    const report = runAttackSuite(compileChain(config), small)
    const attacks = small.items.filter((i) => i.kind === 'attack').length
    expect(report.total.attacks).toBe(attacks)
    expect(report.total.caught + report.total.missed).toBe(attacks)
    expect(report.misses).toHaveLength(report.total.missed)
    expect(report.falseBlocks).toHaveLength(report.total.falseBlocks)
    expect(report.byFamily.reduce((n, f) => n + f.caught, 0)).toBe(report.total.caught)
    // "Ignore all previous instructions" in plain English is caught; a prompt-injection-only chain cannot see an email being sent out.
    expect(report.byFamily.find((f) => f.family === 'override')!.caught).toBeGreaterThan(0)
    expect(report.misses.some((m) => m.family === 'pii-exfiltration' && m.encoding === 'plain')).toBe(true)
    expect(report.misses[0]).toMatchObject({ id: expect.any(String), text: expect.any(String), encoding: expect.any(String), policies: [] })
  })

  it('an empty chain misses every attack and flags nothing', () => {
    const config = lintPolicyText(`pack: {name: t, version: 0.1.0}\npolicies:\n  chain: [audit-logger]\npolicy:\n  audit-logger: {}\n`).config!
    const small = { seed: 1, items: lib.items.filter((i) => i.language === 'de' && i.encoding === 'plain') }
    const report = runAttackSuite(compileChain(config), small)
    expect(report.total.caught).toBe(0)
    expect(report.total.falseBlocks).toBe(0)
  })
})
