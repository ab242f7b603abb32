import { analyzeRegexSafety, compileSafeRegex, tryCompileSafeRegex } from '@shared/policy/regex/index'
import { describe, expect, it } from 'vitest'

import { rng } from '../../fixtures/policy/generate'

/** Non-empty matches of the native engine, for comparison (patterns here never backtrack badly). */
function nativeMatches(pattern: string, flags: string, text: string): string[] {
  return [...text.matchAll(new RegExp(pattern, 'g' + flags))].map((m) => m[0]).filter(Boolean)
}

describe('linear-time regex engine', () => {
  const cases: Array<[string, string, string]> = [
    ['abc', '', 'xxabcxxabc'],
    ['\\d{3}-\\d{4}', '', 'call 555-0132 or 555-9999'],
    ['\\bcat\\b', 'i', 'Cat concat cat. CAT'],
    ['^foo', 'm', 'foo\nfoo bar\n foo'],
    ['bar$', 'm', 'bar\nxbar\nbarx'],
    ['[a-z]+@[a-z]+\\.com', '', 'mail a@b.com and cc@dd.com!'],
    ['(?:ab|cd){2,3}', '', 'abcdab cdcd ab'],
    ['colou?r', 'i', 'Color colour COLOUR'],
    ['[^\\s]+', '', '  hello world  '],
    ['a.c', 's', 'a\nc abc'],
    ['\\Bon\\B', '', 'bond on upon'],
    ['[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+', '', 'x john.doe+1@mail.example.org y'],
    ['(?<name>[A-Z]{2})\\d{2}', '', 'DE89 GB82 xx'],
    ['\\x41\\u0042[\\t ]+c', '', 'AB \t c'],
    ['[a-f0-9]{8}-[a-f0-9]{4}', 'i', 'id 123E4567-E89B ok'],
  ]
  it.each(cases)('/%s/%s finds the same matches as RegExp', (pattern, flags, text) => {
    const r = compileSafeRegex(pattern, { ignoreCase: flags.includes('i'), multiline: flags.includes('m'), dotAll: flags.includes('s') })
    expect(r.matchAll(text).map(([s, e]) => text.slice(s, e))).toEqual(nativeMatches(pattern, flags, text))
  })

  it('agrees with RegExp.test on random inputs', () => {
    const r = rng(99)
    const patterns = ['a(b|c)*d', '[ab]{2,4}c?', '(?:x|xy)z', '\\d+\\.\\d+', '^a|b$', '(?:ab|a)(?:bc|c)']
    for (const p of patterns) {
      const safe = compileSafeRegex(p)
      const native = new RegExp(p)
      for (let k = 0; k < 300; k++) {
        const text = Array.from({ length: 1 + Math.floor(r() * 10) }, () => 'abcdxyz.0123'[Math.floor(r() * 12)]).join('')
        expect(safe.test(text), `${p} on ${JSON.stringify(text)}`).toBe(native.test(text))
      }
    }
  })

  it('terminates on inputs that make backtracking engines explode', () => {
    // (a+)+$ on "aaaa…!" takes 2^n steps in a backtracking engine; n = 5000 would never finish.
    const evil = 'a'.repeat(5000) + '!'
    expect(compileSafeRegex('(a+)+$').test(evil)).toBe(false)
    expect(compileSafeRegex('(a|aa)+$').test(evil)).toBe(false)
    expect(compileSafeRegex('(.*a){12}').test('a'.repeat(40))).toBe(true)
  })

  it('supports a leading PCRE flag group', () => {
    expect(compileSafeRegex('(?i)drop\\s+table').test('DROP TABLE users')).toBe(true)
    expect(compileSafeRegex('drop\\s+table').test('DROP TABLE users')).toBe(false)
  })

  it('refuses backreferences, lookaround and possessive quantifiers with a position', () => {
    for (const [p, at] of [
      ['(a)\\1', 4],
      ['foo(?=bar)', 4],
      ['(?<!x)y', 1],
      ['a++', 3],
      ['\\p{L}', 1],
    ] as const) {
      const r = tryCompileSafeRegex(p)
      expect(r.ok, p).toBe(false)
      if (!r.ok) {
        expect(r.error.unsupported, p).toBe(true)
        expect(r.error.index + 1, p).toBe(at)
      }
    }
    const bad = tryCompileSafeRegex('(abc')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.unsupported).toBe(false)
  })

  it('reports bounds used by the stream redactor', () => {
    expect(compileSafeRegex('EMP-\\d{6}').maxLength).toBe(10)
    expect(compileSafeRegex('a+').maxLength).toBe(Infinity)
    expect(compileSafeRegex('x*').matchesEmpty).toBe(true)
  })
})

describe('regex safety analysis', () => {
  it('flags exponential shapes', () => {
    for (const p of ['(a+)+$', '(\\w+\\s?)+x', '(a|ab)+', '(?:\\d*)*x', '(.*a){20}']) {
      expect(
        analyzeRegexSafety(p).map((h) => h.severity),
        p,
      ).toContain('exponential')
    }
  })
  it('flags polynomial shapes as such', () => {
    expect(analyzeRegexSafety('\\d+\\d+x').map((h) => h.severity)).toEqual(['polynomial'])
    expect(analyzeRegexSafety('\\s*\\s*$').map((h) => h.severity)).toEqual(['polynomial'])
  })
  it('leaves safe patterns alone', () => {
    for (const p of ['(\\w+,)+', 'ignore.*previous.*instructions', 'EMP-\\d{6}', '(?:ab|cd){2,3}', '[a-z]+@[a-z]+\\.com']) {
      expect(analyzeRegexSafety(p), p).toEqual([])
    }
  })
})

describe('the literal pre-check of case-insensitive patterns', () => {
  it('needs no lower-cased copy for an ASCII literal, and still finds every case', () => {
    const r = compileSafeRegex('drop\\s+table', { ignoreCase: true })
    expect(r.wantsLowered).toBe(false)
    expect(r.test('please DROP   Table users')).toBe(true)
    expect(r.test('please drop the table')).toBe(false)
    expect(r.matchAll('x Drop TABLE y DROP table')).toEqual([
      [2, 12],
      [15, 25],
    ])
  })
  it('uses the lower-cased copy for a literal outside ASCII', () => {
    const r = compileSafeRegex('ÉCOLE\\s+x', { ignoreCase: true })
    expect(r.wantsLowered).toBe(true)
    expect(r.test('une école x', 'une école x')).toBe(true)
    expect(r.test('une École x')).toBe(true)
  })
})
