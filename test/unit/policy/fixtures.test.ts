import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { isValidIban } from '@shared/policy/detectors/pii-validators'
import { type CountryCode, isValidPhoneNumber } from 'libphonenumber-js/max'
import { describe, expect, it } from 'vitest'

import { GENERATED_FILES, luhnCheckDigit, renderJsonl } from '../../fixtures/policy/generate'
import { loadInjectionCases, loadPiiCases, scoreSpans, spansFromRedaction } from '../../fixtures/policy/scoring'

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/policy/${name}`, import.meta.url)), 'utf8')

describe('evaluation fixtures', () => {
  it('generated files match their generator (no drift, reproducible)', () => {
    for (const [name, make] of Object.entries(GENERATED_FILES)) expect(fixture(name), name).toBe(renderJsonl(make()))
  })
  it('every handwritten label resolves to text in its case', () => {
    const { handwritten, review, holdout } = loadPiiCases()
    for (const c of [...handwritten, ...review, ...holdout]) for (const e of c.entities) expect(e.end).toBeGreaterThan(e.start)
  })
  it('labels are consistent: labelled cards pass Luhn, invalid-checksum cases do not', () => {
    const { handwritten, generated, review, holdout } = loadPiiCases()
    const luhn = (d: string) => luhnCheckDigit(d.slice(0, -1)) === Number(d.at(-1))
    for (const c of [...handwritten, ...generated, ...review, ...holdout]) {
      for (const e of c.entities.filter((x) => x.type === 'CREDIT_CARD')) expect(luhn(c.text.slice(e.start, e.end).replace(/\D/g, '')), c.id).toBe(true)
      if (c.tags.includes('invalid-checksum') && c.tags.includes('card')) {
        const digits = c.text.match(/\d[\d -]{11,}\d/)![0].replace(/\D/g, '')
        expect(luhn(digits), c.id).toBe(false)
      }
    }
  })
  it('has hard negatives of every required kind and attacks of every family', () => {
    const { handwritten, generated } = loadPiiCases()
    const tags = new Set([...handwritten, ...generated].flatMap((c) => c.tags))
    for (const t of ['invalid-checksum', 'order-number', 'version', 'code', 'ssn-invalid', 'placeholder']) expect(tags.has(t), t).toBe(true)
    const inj = loadInjectionCases()
    const families = new Set([...inj.attacks.handwritten, ...inj.attacks.generated].map((c) => c.family))
    expect(families).toEqual(new Set(['instruction_override', 'role_manipulation', 'system_prompt_leak', 'fake_boundary']))
    const benign = [...inj.benign.handwritten, ...inj.benign.generated].map((c) => c.text.toLowerCase())
    expect(benign.some((t) => t.includes('ignore'))).toBe(true)
    expect(benign.some((t) => t.includes('previous instructions') && /["'“]/.test(t))).toBe(true)
    expect(benign.some((t) => /`|\(\)|=/.test(t))).toBe(true)
  })
  it('the second held-out set is large, covers every family and the hard-benign kinds, and shares no ids or texts', () => {
    const inj = loadInjectionCases()
    const attacks = inj.attacks.holdout2
    const benign = inj.benign.holdout2
    expect(attacks.length).toBeGreaterThanOrEqual(60)
    expect(benign.length).toBeGreaterThanOrEqual(80)
    const perFamily = new Map<string, number>()
    for (const c of attacks) perFamily.set(String(c.family), (perFamily.get(String(c.family)) ?? 0) + 1)
    for (const f of ['instruction_override', 'role_manipulation', 'system_prompt_leak', 'fake_boundary'])
      expect(perFamily.get(f) ?? 0, f).toBeGreaterThanOrEqual(10)
    const tags = new Set(benign.flatMap((c) => c.tags))
    for (const t of ['ignore-innocent', 'quoted-discussion', 'code', 'support-ticket']) expect(tags.has(t), t).toBe(true)
    for (const c of benign) expect(c.family, c.id).toBeNull()
    const all = Object.values(inj.attacks).concat(Object.values(inj.benign)).flat()
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length)
    const tuned = new Set(
      [...inj.attacks.handwritten, ...inj.attacks.generated, ...inj.attacks.review, ...inj.attacks.dev, ...inj.benign.dev].map((c) => c.text),
    )
    for (const c of [...attacks, ...benign]) expect(tuned.has(c.text), c.id).toBe(false)
  })
  it('the wide PII sets label what they say: cards pass Luhn, phones are valid in their region, IBANs pass mod-97', () => {
    const { wide, holdout3 } = loadPiiCases()
    expect(wide.length).toBeGreaterThanOrEqual(100)
    expect(holdout3.length).toBeGreaterThanOrEqual(50)
    const luhn = (d: string) => luhnCheckDigit(d.slice(0, -1)) === Number(d.at(-1))
    const kinds = new Set<string>()
    for (const c of [...wide, ...holdout3]) {
      for (const e of c.entities) {
        const value = c.text.slice(e.start, e.end)
        kinds.add(e.type)
        if (e.type === 'CREDIT_CARD') expect(luhn(value.replace(/\D/g, '')), c.id).toBe(true)
        if (e.type === 'IBAN_CODE') expect(isValidIban(value), c.id).toBe(true)
        if (e.type === 'PHONE_NUMBER') {
          const region = c.tags.find((t) => /^[a-z]{2}$/.test(t))!.toUpperCase() as CountryCode
          expect(isValidPhoneNumber(value, region), `${c.id} ${value} ${region}`).toBe(true)
        }
      }
      if (c.tags.includes('invalid-checksum') && c.tags.includes('iban')) expect(c.entities, c.id).toEqual([])
    }
    expect(kinds).toEqual(new Set(['CREDIT_CARD', 'IBAN_CODE', 'PHONE_NUMBER']))
    const texts = new Set(wide.map((c) => c.text))
    for (const c of holdout3) expect(texts.has(c.text), c.id).toBe(false)
  })
  it('the wide injection sets cover six languages, personas, editing-task leaks and delimiters, with benign look-alikes', () => {
    const inj = loadInjectionCases()
    for (const [attacks, benign] of [
      [inj.attacks.wide, inj.benign.wide],
      [inj.attacks.holdout3, inj.benign.holdout3],
    ]) {
      const tags = new Set(attacks.flatMap((c) => c.tags))
      for (const t of ['de', 'fr', 'es', 'it', 'pt', 'nl', 'persona', 'long', 'edit', 'delim']) expect(tags.has(t), t).toBe(true)
      for (const c of attacks) expect(c.family, c.id).not.toBeNull()
      const benignTags = new Set(benign.flatMap((c) => c.tags))
      for (const t of ['roleplay', 'security', 'edit', 'delim', 'multi']) expect(benignTags.has(t), t).toBe(true)
      for (const c of benign) expect(c.family, c.id).toBeNull()
    }
    const wideTexts = new Set([...inj.attacks.wide, ...inj.benign.wide].map((c) => c.text))
    for (const c of [...inj.attacks.holdout3, ...inj.benign.holdout3]) expect(wideTexts.has(c.text), c.id).toBe(false)
  })
})

describe('scoring helpers', () => {
  it('entity-level precision, recall and F1 with overlap matching', () => {
    const cases = [{ id: 'a', text: 'x jane@example.org y 555', entities: [{ type: 'EMAIL_ADDRESS', start: 2, end: 18 }], tags: [] }]
    const s = scoreSpans(cases, () => [
      { type: 'EMAIL_ADDRESS', start: 2, end: 10 },
      { type: 'PHONE_NUMBER', start: 21, end: 24 },
    ])
    expect(s.micro).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 })
    expect(scoreSpans(cases, () => [{ type: 'OTHER', start: 2, end: 18 }], false).micro.tp).toBe(1)
  })
  it('recovers redacted spans from a text-only redactor', () => {
    const M = '\u0000'
    expect(spansFromRedaction('call 555-0132 or mail a@b.co now', `call ${M} or mail ${M} now`, M)).toEqual([
      { start: 5, end: 13 },
      { start: 22, end: 28 },
    ])
    expect(spansFromRedaction('abc', 'abc', M)).toEqual([])
  })
})
