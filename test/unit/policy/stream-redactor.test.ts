import { compileChain } from '@shared/policy/engine/chain'
import { createStreamRedactor } from '@shared/policy/engine/stream-redactor'
import type { PolicyConfig } from '@shared/policy/schema'
import { describe, expect, it } from 'vitest'

import { rng } from '../../fixtures/policy/generate'

const config = (redaction: Record<string, unknown> = {}): PolicyConfig => ({
  pack: { name: 't', version: '1' },
  policies: { chain: ['pii-detector'] },
  policy: { 'pii-detector': { redaction, detect_patterns: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }] } },
})

const SECRETS = {
  email: 'jane.doe@example.org',
  card: '4111 1111 1111 1111',
  iban: 'GB82 WEST 1234 5698 7654 32',
  phone: '+44 20 7946 0958',
  key: 'sk-proj-Zx81kQ2mLp0vN7rT4yH9wE3sD6fG1aJc5bU8iOq2W4e6R8t0Y',
  employee: 'EMP-004211',
}
const OUTPUT =
  `Sure. Contact ${SECRETS.email} or call ${SECRETS.phone}. ` +
  `The card ${SECRETS.card} and IBAN ${SECRETS.iban} are on file; badge ${SECRETS.employee}. ` +
  `Your key is ${SECRETS.key}\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\nDone.`

/**
 * Feed `text` in the given chunk sizes; returns everything emitted and each
 * emission. With `minRelease`, release() runs after every `releaseEvery`
 * pushes, as the gateway does at the end of each network read.
 */
function stream(text: string, sizes: number[], redaction = {}, batching: { minRelease: number; releaseEvery: number } | null = null) {
  const r = compileChain(config(redaction)).createOutputRedactor(batching ? { minRelease: batching.minRelease } : undefined)!
  const pieces: string[] = []
  let pos = 0
  let k = 0
  while (pos < text.length) {
    const n = sizes[k++ % sizes.length]
    pieces.push(r.push(text.slice(pos, pos + n)))
    if (batching && k % batching.releaseEvery === 0) pieces.push(r.release())
    pos += n
  }
  pieces.push(r.flush())
  return { out: pieces.join(''), pieces, findings: r.findings }
}

/**
 * Every prefix longer than 6 characters of a secret that `pieces` ever showed,
 * checked after each piece (so a prefix shown and later completed still counts).
 * Returned as one list so a trial asserts once, not once per prefix.
 */
function leakedPrefixes(pieces: string[]): string[] {
  const leaks: string[] = []
  let shown = ''
  for (const p of pieces) {
    shown += p
    for (const secret of Object.values(SECRETS)) {
      for (let len = 7; len <= secret.length; len++) {
        if (shown.includes(secret.slice(0, len))) leaks.push(`${secret.slice(0, len)} in ${JSON.stringify(shown.slice(-60))}`)
      }
    }
  }
  return leaks
}

describe('streaming output redactor', () => {
  const whole = compileChain(config()).checkOutput(OUTPUT).redacted

  it('redacts like the non-streaming check, whatever the chunking', () => {
    for (const sizes of [[1], [2], [3, 7], [5], [16], [64], [1000]]) {
      expect(stream(OUTPUT, sizes).out, `chunks of ${sizes.join('/')}`).toBe(whole)
    }
    for (const secret of Object.values(SECRETS)) expect(whole).not.toContain(secret)
    expect(whole).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')
  })

  it('never shows any part of a match that was split across chunks', () => {
    const r = rng(5)
    const failures: string[] = []
    for (let trial = 0; trial < 40; trial++) {
      const sizes = Array.from({ length: 6 }, () => 1 + Math.floor(r() * 12))
      const { pieces } = stream(OUTPUT, sizes)
      // no prefix of a secret longer than 6 characters ever appears in what was shown
      for (const leak of leakedPrefixes(pieces)) failures.push(`chunks of ${sizes.join('/')}: ${leak}`)
    }
    expect(failures).toEqual([])
  })

  it('batching releases (minRelease, release at read ends) changes when text appears, never what', () => {
    const r = rng(11)
    const failures: string[] = []
    for (let trial = 0; trial < 40; trial++) {
      const sizes = Array.from({ length: 6 }, () => 1 + Math.floor(r() * 12))
      const batching = { minRelease: [16, 64, 200][trial % 3], releaseEvery: 1 + Math.floor(r() * 30) }
      const { out, pieces } = stream(OUTPUT, sizes, {}, batching)
      const trialName = JSON.stringify({ sizes, batching })
      if (out !== whole) failures.push(`${trialName}: output differs from the non-streaming check: ${JSON.stringify(out)}`)
      for (const leak of leakedPrefixes(pieces)) failures.push(`${trialName}: ${leak}`)
    }
    expect(failures).toEqual([])
  })

  it('with minRelease, push scans again only once that much more has come, and release() hands on what is safe', () => {
    const scans: number[] = []
    const counting = (minRelease: number) => {
      let n = 0
      // Holds the unfinished word at the end, as the PII detector does for prose.
      const detector = { pendingFrom: (t: string) => t.lastIndexOf(' ') + 1, detect: () => (n++, []) }
      const red = createStreamRedactor(detector, {
        style: { markerFormat: 'label', preserveLength: false, includeMetadata: false, customMarkers: {} },
        minRelease,
      })
      let shown = ''
      for (let i = 0; i < 200; i++) shown += red.push('word ')
      scans.push(n)
      return { red, shown }
    }
    const eager = counting(0)
    const { red, shown } = counting(64)
    // The same text is safe either way; batching only scans far less often.
    expect(eager.shown.length - shown.length).toBeLessThan(64 + 5)
    expect(scans[1]).toBeLessThanOrEqual(scans[0] / 5)
    const before = red.pending
    const released = red.release()
    expect(released.length).toBeGreaterThan(0)
    expect(red.pending).toBeLessThan(before)
    expect(shown + released + red.flush()).toBe('word '.repeat(200))
  })

  it('reports findings at their offsets in the original output', () => {
    const { findings } = stream(OUTPUT, [4])
    const entities = findings.map((f) => f.entity)
    expect(entities).toEqual(['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'EMPLOYEE_ID', 'SECRET', 'SECRET'])
    for (const f of findings) expect(f.message_index).toBe(-1)
    expect(OUTPUT.slice(findings[0].start, findings[0].end)).toBe(SECRETS.email)
    expect(OUTPUT.slice(findings[3].start, findings[3].end)).toBe(SECRETS.iban)
  })

  it('keeps a private key hidden until its end marker arrives, and hides an unterminated one at flush', () => {
    const r = compileChain(config()).createOutputRedactor()!
    let shown = r.push('here:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq')
    shown += r.push('hkiG9w0BAQEFAASC' + ' filler'.repeat(40))
    expect(shown).not.toContain('MIIE')
    shown += r.flush()
    expect(shown).not.toContain('MIIE')
    expect(shown).toContain('[SECRET]')
  })

  it('emits text that cannot be part of a match without waiting for the end', () => {
    const r = compileChain(config()).createOutputRedactor()!
    const long = 'word '.repeat(100)
    expect(r.push(long).length).toBeGreaterThan(0)
    expect(r.pending).toBeLessThanOrEqual(200)
  })

  it('uses the configured markers', () => {
    expect(stream(OUTPUT, [3], { marker_format: 'asterisks', preserve_length: true }).out).toHaveLength(OUTPUT.length)
  })

  it('is absent when the chain has no pii-detector', () => {
    expect(compileChain({ pack: { name: 't', version: '1' }, policies: { chain: ['prompt-injection'] } }).createOutputRedactor()).toBeNull()
  })
})
