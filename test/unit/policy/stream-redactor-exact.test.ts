import { PiiDetector } from '@shared/policy/detectors/pii'
import { compileChain } from '@shared/policy/engine/chain'
import { compileSafeRegex } from '@shared/policy/regex/index'
import type { PolicyConfig } from '@shared/policy/schema'
import { describe, expect, it } from 'vitest'

import { rng } from '../../fixtures/policy/generate'
import { loadPiiCases } from '../../fixtures/policy/scoring'

/**
 * The stream redactor holds back only what a match could still be reading,
 * and what it shows is exactly what redacting the whole answer shows: same
 * text, same findings, whatever the chunking and wherever a match is split.
 */

const config = (pii: Record<string, unknown> = {}): PolicyConfig => ({
  pack: { name: 't', version: '1' },
  policies: { chain: ['pii-detector'] },
  policy: { 'pii-detector': { detect_patterns: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }], ...pii } },
})

const MODES: Array<[string, Record<string, unknown>]> = [
  ['default (PCI on)', {}],
  ['PCI off, healthcare on', { pci_mode: false, healthcare_mode: true }],
  ['asterisks of the same length', { redaction: { marker_format: 'asterisks', preserve_length: true } }],
]

/** Pieces answers are made of: PII in many shapes, near-misses, context words, and the separators between them. */
const FRAGMENTS = [
  'jane.doe@example.org',
  'git@github.com:org/repo.git',
  'write to sam@example.com: thanks',
  '+44 20 7946 0958',
  '(415) 555-0132',
  '415.555.0132 ext. 12',
  'call 415 555 0132 2 times',
  'order 415 555 0132',
  '4111 1111 1111 1111',
  '4111-1111-1111-1111 2024',
  '378282246310005',
  '536-22-1234',
  'SSN 536221234',
  'GB82 WEST 1234 5698 7654 32',
  'DE89370400440532013000',
  'MT84 MALT 0110 0001 2345 MTLC AST0 01S',
  '192.168.1.20',
  'server 10.0.0.1',
  'v1.2.3.4',
  '2001:db8::1',
  'fe80::1%eth0',
  'born on 1990-02-14',
  'born 14th of March, 1985',
  'date of birth: March 3, 1990',
  'birthday party on 2024-07-14',
  'sk-proj-Zx81kQ2mLp0vN7rT4yH9wE3sD6fG1aJc5bU8iOq2W4e6R8t0Y',
  'api_key = "Zx81kQ2mLp0vN7rT4yH9"',
  'password: hunter2!',
  'my password is Tr0ub4dor&3 ok',
  'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  'cvv 123',
  'Cardholder: John Smith',
  'name on the card is Ana Maria Lopez Garcia',
  'MRN: A12345',
  'NPI 1234567893',
  'badge EMP-004211',
  'EMP-00421',
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
  '-----BEGIN CERTIFICATE-----',
  '| 1 | 2.5 | 300 |',
  'Step 3: add 2 cups',
  'version 10.4.2',
  'Hello',
  'world',
  'the',
  'phone',
  'card',
  'March',
  'born',
  'password',
  'token',
  'x@y',
  '1234',
  '12 34 56',
  'naïve 🚀',
]
const SEPARATORS = [' ', ' ', ' ', '\n', ', ', '. ', ': ', ' | ', '\n\n', '  ', '-', '']

function answer(r: () => number, parts: number): string {
  let text = ''
  for (let i = 0; i < parts; i++) {
    text += FRAGMENTS[Math.floor(r() * FRAGMENTS.length)] + SEPARATORS[Math.floor(r() * SEPARATORS.length)]
  }
  return text
}

/** Random chunk sizes, with some cuts placed inside the PII a text holds. */
function chunking(r: () => number, text: string): number[] {
  const cuts = new Set<number>()
  for (let i = 0; i < text.length;) {
    i += 1 + Math.floor(r() * (r() < 0.5 ? 4 : 24))
    cuts.add(Math.min(i, text.length))
  }
  const sorted = [...cuts].sort((a, b) => a - b)
  return sorted.map((c, i) => c - (sorted[i - 1] ?? 0)).filter((n) => n > 0)
}

/** Streams `text` in chunks; `releaseEvery` > 0 batches as the gateway does (minRelease, release() at read ends). */
function streamed(pii: Record<string, unknown>, text: string, sizes: number[], batching?: { minRelease: number; releaseEvery: number }) {
  const red = compileChain(config(pii)).createOutputRedactor(batching ? { minRelease: batching.minRelease } : undefined)!
  let out = ''
  for (let pos = 0, k = 0; pos < text.length; k++) {
    const n = sizes[k % sizes.length]
    out += red.push(text.slice(pos, pos + n))
    if (batching && (k + 1) % batching.releaseEvery === 0) out += red.release()
    pos += n
  }
  out += red.flush()
  return { out, findings: red.findings }
}

function whole(pii: Record<string, unknown>, text: string) {
  const check = compileChain(config(pii)).checkOutput(text)
  return { out: check.redacted, findings: check.findings }
}

describe('streaming redaction is whole-text redaction', () => {
  for (const [name, pii] of MODES) {
    it(`on random answers and random chunkings: ${name}`, { timeout: 60_000 }, () => {
      const r = rng(name.length * 7919)
      const failures: string[] = []
      for (let trial = 0; trial < 200 && failures.length < 3; trial++) {
        const text = answer(r, 2 + Math.floor(r() * (trial % 5 === 0 ? 60 : 14)))
        const expected = whole(pii, text)
        const sizes = chunking(r, text)
        const batching = trial % 3 === 0 ? { minRelease: [16, 64][trial % 2], releaseEvery: 1 + Math.floor(r() * 6) } : undefined
        const got = streamed(pii, text, sizes, batching)
        if (got.out !== expected.out || JSON.stringify(got.findings) !== JSON.stringify(expected.findings)) {
          failures.push(JSON.stringify({ text, sizes, batching, got: got.out, expected: expected.out }))
        }
      }
      expect(failures).toEqual([])
    })
  }

  it('on every labelled PII case, one character at a time and in random chunks', { timeout: 60_000 }, () => {
    const cases = loadPiiCases()
    const r = rng(31)
    const failures: string[] = []
    for (const c of [...cases.handwritten, ...cases.generated, ...cases.review, ...cases.holdout]) {
      const expected = whole({}, c.text)
      for (const sizes of [[1], chunking(r, c.text)]) {
        const got = streamed({}, c.text, sizes)
        if (got.out !== expected.out || JSON.stringify(got.findings) !== JSON.stringify(expected.findings)) {
          failures.push(`${c.id} in chunks of ${sizes.join('/')}: ${JSON.stringify(got.out)} ≠ ${JSON.stringify(expected.out)}`)
        }
      }
    }
    expect(failures).toEqual([])
  })
})

describe('what the stream holds back', () => {
  const detector = new PiiDetector({
    pciMode: true,
    healthcareMode: false,
    custom: [{ entity: 'EMPLOYEE_ID', regex: compileSafeRegex('EMP-\\d{6}'), score: 0.9 }],
  })
  /** The held tail of `text`. */
  const held = (text: string) => text.slice(detector.pendingFrom(text))

  it('holds nothing of prose that ends a word, and only the unfinished word otherwise', () => {
    expect(held('Sure! Here is a short poem about the sea. ')).toBe('')
    expect(held('Sure! Here is a short poem about the sea,')).toBe('')
    expect(held('Sure! Here is a short poem about the se')).toBe('se')
    expect(held('Write to jane.doe@exam')).toBe('jane.doe@exam')
    expect(held('See https://example.com/a/b')).toBe('https://example.com/a/b')
  })

  it('holds a number, from its first digit, until the words that score it have come', () => {
    expect(held('Call me at 415 555')).toBe('415 555')
    expect(held('Call me at +1 (415) 555-01')).toBe('+1 (415) 555-01')
    expect(held('Call me at 415 555 0132, then')).toBe('415 555 0132, then')
    // 30 characters after it, the number is settled: its context words are all in.
    expect(held('Call me at 415 555 0132, then again tomorrow at noon ')).toBe('')
    // A date in words, from its month.
    expect(held('She was born on March 3, 19')).toBe('March 3, 19')
    expect(held('She was born on March ')).toBe('March ')
    // A table's cells are separate numbers: only those near the end are held.
    expect(held('| 1 | 2.5 | 300 | and the totals follow below here: | 7 | 8 |')).toBe('7 | 8 |')
  })

  it('holds a secret after its keyword, an open private key, a cardholder name and an unfinished user pattern', () => {
    expect(held('the password is hunter2!')).toBe('password is hunter2!')
    expect(held('the password is ')).toBe('password is ')
    expect(held('here:\n-----BEGIN PRIVATE KEY-----\nMIIEvQ IBAD')).toBe('-----BEGIN PRIVATE KEY-----\nMIIEvQ IBAD')
    expect(held('Cardholder: John Smi')).toBe('John Smi')
    expect(held('badge EMP-0042')).toBe('EMP-0042')
    expect(held('IBAN GB82 WEST ')).toBe('GB82 WEST ')
  })

  it('lets prose out as it comes: the first words are not held for a match that cannot be there', () => {
    const red = compileChain(config()).createOutputRedactor()!
    expect(red.push('Sure')).toBe('')
    expect(red.push(' thing!')).toBe('Sure thing!')
    expect(red.push(' Here')).toBe(' ')
    expect(red.pending).toBe(4)
    expect(red.push(' is a list: one\ntwo\n')).toBe('Here is a list: one\ntwo\n')
  })
})
