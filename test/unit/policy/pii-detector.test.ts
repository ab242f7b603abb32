import { PiiDetector, type PiiMatch } from '@shared/policy/detectors/pii'
import { compileSafeRegex } from '@shared/policy/regex/index'
import { describe, expect, it } from 'vitest'

const detector = new PiiDetector({ pciMode: true, healthcareMode: false, custom: [], nowYear: 2025 })
const found = (text: string, d = detector) => d.detect(text).map((m) => ({ entity: m.entity, text: text.slice(m.start, m.end) }))
const entities = (text: string, d = detector) => d.detect(text).map((m) => m.entity)

describe('PII detector: entities with exact spans', () => {
  it('emails, with a domain check', () => {
    expect(found('write to j.doe+x@mail.example.co.uk.')).toEqual([{ entity: 'EMAIL_ADDRESS', text: 'j.doe+x@mail.example.co.uk' }])
    expect(found('icon@2x.png, git@github.com:org/repo.git, user@localhost, @mention')).toEqual([])
  })
  it('phones in international and national formats', () => {
    const text = 'Call +1 (415) 555-0132, +44 20 7946 0958, +49 30 12345678, 020 7946 0958 or +91 98765 43210.'
    expect(found(text).map((f) => f.text)).toEqual(['+1 (415) 555-0132', '+44 20 7946 0958', '+49 30 12345678', '020 7946 0958', '+91 98765 43210'])
    expect(new Set(entities(text))).toEqual(new Set(['PHONE_NUMBER']))
  })
  it('credit cards only with a passing Luhn check, in common layouts', () => {
    expect(found('card 4111 1111 1111 1111 and 5555-5555-5555-4444 and 378282246310005')).toEqual([
      { entity: 'CREDIT_CARD', text: '4111 1111 1111 1111' },
      { entity: 'CREDIT_CARD', text: '5555-5555-5555-4444' },
      { entity: 'CREDIT_CARD', text: '378282246310005' },
    ])
    expect(entities('card 4111 1111 1111 1112')).not.toContain('CREDIT_CARD')
    // a card followed by a year is still found, without the year
    expect(found('visa 4111 1111 1111 1111 2026')).toContainEqual({ entity: 'CREDIT_CARD', text: '4111 1111 1111 1111' })
  })
  it('IBANs with mod-97 and country length, printed or compact, never with a bad checksum', () => {
    expect(found('IBAN GB82 WEST 1234 5698 7654 32 please')).toEqual([{ entity: 'IBAN_CODE', text: 'GB82 WEST 1234 5698 7654 32' }])
    expect(found('DE89370400440532013000')).toEqual([{ entity: 'IBAN_CODE', text: 'DE89370400440532013000' }])
    expect(found('IBAN GB82 WEST 1234 5698 7654 33')).toEqual([])
  })
  it('US SSNs: dashed ones alone, bare nine digits only with context, invalid ranges never', () => {
    expect(found('SSN 536-22-1234')).toEqual([{ entity: 'US_SSN', text: '536-22-1234' }])
    expect(entities('ref 536221234')).toEqual([])
    expect(found('ssn: 536221234')).toEqual([{ entity: 'US_SSN', text: '536221234' }])
    expect(entities('000-12-3456 666-12-3456 912-12-3456 123-00-4567')).toEqual([])
  })
  it('IPv4 and IPv6, not version strings', () => {
    expect(found('hosts 10.0.0.5 and 2001:db8::8a2e:370:7334')).toEqual([
      { entity: 'IP_ADDRESS', text: '10.0.0.5' },
      { entity: 'IP_ADDRESS', text: '2001:db8::8a2e:370:7334' },
    ])
    expect(entities('version 1.2.3.4, build 10.0.19045.3693, 1.2.3.4.5')).toEqual([])
  })
  it('secrets by known prefix plus entropy, and in assignments', () => {
    expect(found('key sk-proj-Zx81kQ2mLp0vN7rT4yH9wE3sD6fG1aJc and AKIAZ7QW3EXAMPLEKEY2')).toEqual([
      { entity: 'SECRET', text: 'sk-proj-Zx81kQ2mLp0vN7rT4yH9wE3sD6fG1aJc' },
      { entity: 'SECRET', text: 'AKIAZ7QW3EXAMPLEKEY2' },
    ])
    expect(found('db_password = "W7#kq!92Lm"')).toEqual([{ entity: 'SECRET', text: 'W7#kq!92Lm' }])
    // low entropy behind a known prefix is a placeholder, not a key
    expect(entities('sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toEqual([])
    expect(entities('api_key = YOUR_API_KEY_HERE; password: changeme; token = ${TOKEN}')).toEqual([])
    expect(entities('scikit-learn (sk-learn) and task-runner-config-loader')).toEqual([])
  })
  it('private key blocks across lines', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----'
    expect(found(`key:\n${pem}\nthanks`)).toEqual([{ entity: 'SECRET', text: pem }])
  })
  it('dates of birth only with birth context in the same sentence', () => {
    expect(found('I was born on 14 March 1987.')).toEqual([{ entity: 'DATE_OF_BIRTH', text: '14 March 1987' }])
    expect(found('DOB: 03/14/1987')).toEqual([{ entity: 'DATE_OF_BIRTH', text: '03/14/1987' }])
    expect(entities('The meeting is on 2024-05-01.')).toEqual([])
    expect(entities('I was born in Lyon. The meeting is on 2024-05-01.')).toEqual([])
    expect(entities('My birthday party is on 2024-07-14.')).toEqual([])
    expect(entities('born 31 February 1990')).toEqual([]) // not a real date
  })
})

describe('PII detector: scores and context', () => {
  const score = (text: string, entity: string) => detector.detect(text).find((m: PiiMatch) => m.entity === entity)?.score ?? 0
  it('context words raise a weak candidate above the threshold', () => {
    expect(score('value 4155550132 tomorrow', 'PHONE_NUMBER')).toBe(0)
    expect(score('phone: 4155550132', 'PHONE_NUMBER')).toBeGreaterThanOrEqual(0.5)
  })
  it('identifier words next to a number lower it', () => {
    expect(entities('Your order number is 4417-2290-1183.')).toEqual([])
    expect(entities('Order #100482733 shipped')).toEqual([])
  })
})

describe('PII detector: modes and custom patterns', () => {
  it('pci_mode adds CVV and cardholder names; off, payment data is not looked for', () => {
    const text = 'Card 4111 1111 1111 1111, CVV 314, cardholder: Nora Lindqvist'
    expect(entities(text)).toEqual(['CREDIT_CARD', 'CARD_CVV', 'CARDHOLDER_NAME'])
    const noPci = new PiiDetector({ pciMode: false, healthcareMode: false, custom: [] })
    expect(entities(text, noPci)).toEqual([])
  })
  it('healthcare_mode adds medical record numbers, insurance ids and NPI', () => {
    const text = 'MRN: A1234567, NPI 1234567893, member id XJ99887766'
    expect(entities(text)).toEqual([])
    const hc = new PiiDetector({ pciMode: true, healthcareMode: true, custom: [] })
    expect(entities(text, hc)).toEqual(['MEDICAL_RECORD_NUMBER', 'NPI', 'INSURANCE_ID'])
  })
  it('custom detect_patterns report their own entity', () => {
    const d = new PiiDetector({ pciMode: true, healthcareMode: false, custom: [{ entity: 'EMPLOYEE_ID', regex: compileSafeRegex('EMP-\\d{6}'), score: 0.9 }] })
    expect(found('badge EMP-004211 and EMP-12', d)).toEqual([{ entity: 'EMPLOYEE_ID', text: 'EMP-004211' }])
  })
})

describe('PII detector: dense and look-alike input', () => {
  it('reads runs of @ one address at a time, in short texts and in long ones read through cue windows', () => {
    const text = 'a@a@bob@example.com, x@@y.org; c.d@e.f@ann.lee@mail.example.net'
    const expected = [
      { entity: 'EMAIL_ADDRESS', text: 'bob@example.com' },
      { entity: 'EMAIL_ADDRESS', text: 'ann.lee@mail.example.net' },
    ]
    expect(found(text)).toEqual(expected)
    const long = 'a@'.repeat(3000) + ' ' + text
    expect(found(long)).toEqual(expected)
  })
  it('finds cards only in the layouts issuers print, and IPv4 addresses among dotted numbers', () => {
    const text = [
      'card 4111 1111 1111 1111 2024',
      'amex 3782-822463-10005',
      'bad 41111 111 1111 1111',
      'host 10.0.0.1 and 1.2.3.4.5 and 999.1.1.1 and v1.2.3.4 and 1.2.3.4',
      '1.2.'.repeat(600),
    ].join('\n')
    expect(found(text)).toEqual([
      { entity: 'CREDIT_CARD', text: '4111 1111 1111 1111' },
      { entity: 'CREDIT_CARD', text: '3782-822463-10005' },
      { entity: 'IP_ADDRESS', text: '10.0.0.1' },
      { entity: 'IP_ADDRESS', text: '1.2.3.4' },
    ])
  })
})
