import {
  cardNetwork,
  ibanMod97,
  isCreditCard,
  isPlausibleBirthDate,
  isValidIban,
  isValidIpv4,
  isValidIpv6,
  isValidSsn,
  luhnValid,
  phoneShape,
  shannonEntropy,
} from '@shared/policy/detectors/pii-validators'
import { describe, expect, it } from 'vitest'

describe('Luhn and card networks', () => {
  it('accepts well-known test numbers and rejects a changed check digit', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881']) {
      expect(luhnValid(n), n).toBe(true)
      expect(isCreditCard(n), n).toBe(true)
      const broken = n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10)
      expect(luhnValid(broken), broken).toBe(false)
      expect(isCreditCard(broken), broken).toBe(false)
    }
  })
  it('knows networks by prefix and length', () => {
    expect(cardNetwork('4111111111111111')).toBe('visa')
    expect(cardNetwork('2221000000000009')).toBe('mastercard')
    expect(cardNetwork('378282246310005')).toBe('amex')
    expect(cardNetwork('37828224631000')).toBeUndefined() // amex is 15 digits
    expect(cardNetwork('9111111111111111')).toBeUndefined()
  })
  it('refuses numbers of one repeated digit even when Luhn passes', () => {
    expect(luhnValid('0000000000000000')).toBe(true)
    expect(isCreditCard('0000000000000000')).toBe(false)
  })
})

describe('IBAN', () => {
  it('validates mod-97 with per-country length', () => {
    for (const iban of [
      'GB82 WEST 1234 5698 7654 32',
      'DE89370400440532013000',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
      'CH9300762011623852957',
      'NO9386011117947',
    ]) {
      expect(isValidIban(iban), iban).toBe(true)
    }
  })
  it('rejects wrong check digits, wrong lengths and unknown countries', () => {
    expect(isValidIban('GB82 WEST 1234 5698 7654 33')).toBe(false) // checksum
    expect(isValidIban('DE8937040044053201300')).toBe(false) // 21 chars, DE needs 22
    expect(isValidIban('DE89370400440532013000 0')).toBe(false)
    expect(isValidIban('ZZ89370400440532013000')).toBe(false)
  })
  it('computes the ISO 7064 remainder', () => {
    expect(ibanMod97('GB82WEST12345698765432')).toBe(1)
    expect(ibanMod97('GB83WEST12345698765432')).not.toBe(1)
  })
})

describe('US SSN', () => {
  it('accepts valid numbers with consistent delimiters', () => {
    expect(isValidSsn('536-22-1234')).toBe(true)
    expect(isValidSsn('536 22 1234')).toBe(true)
    expect(isValidSsn('536221234')).toBe(true)
  })
  it('rejects invalid ranges, repeated digits, samples and mixed delimiters', () => {
    for (const bad of [
      '000-12-3456',
      '666-12-3456',
      '900-12-3456',
      '999-99-9999',
      '123-00-4567',
      '123-45-0000',
      '111-11-1111',
      '078-05-1120',
      '123-45-6789',
      '536-22 1234',
    ]) {
      expect(isValidSsn(bad), bad).toBe(false)
    }
  })
})

describe('IP addresses', () => {
  it('IPv4 octets are 0–255 without leading zeros', () => {
    expect(isValidIpv4('192.168.1.20')).toBe(true)
    expect(isValidIpv4('256.1.1.1')).toBe(false)
    expect(isValidIpv4('01.2.3.4')).toBe(false)
    expect(isValidIpv4('1.2.3')).toBe(false)
  })
  it('IPv6 full, compressed, embedded IPv4 and zones', () => {
    for (const ok of ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8::8a2e:370:7334', 'fe80::1ff:fe23:4567:890a', '::ffff:192.0.2.128', 'fe80::1%eth0']) {
      expect(isValidIpv6(ok), ok).toBe(true)
    }
    for (const bad of ['12:30:45', '00:1A:2B:3C:4D:5E', '1::2::3', '2001:db8:::1', 'g001:db8::1', '1::2']) {
      expect(isValidIpv6(bad), bad).toBe(false)
    }
  })
})

describe('phone numbers in international formats', () => {
  it('matches numbering plans after a calling code', () => {
    for (const p of [
      '+1 415 555 0132',
      '+44 20 7946 0958',
      '+49 30 12345678',
      '+33 1 42 68 53 00',
      '+91 98765 43210',
      '+81 3-1234-5678',
      '+61 2 9374 4000',
      '0044 20 7946 0958',
      '+14155550132',
    ]) {
      expect(phoneShape(p), p).toEqual({ kind: 'international', planMatch: true })
    }
  })
  it('recognises NANP and trunk-prefixed national formats', () => {
    expect(phoneShape('(415) 555-0132')?.kind).toBe('nanp')
    expect(phoneShape('415.555.0132')?.kind).toBe('nanp')
    expect(phoneShape('020 7946 0958')?.kind).toBe('trunk')
  })
  it('refuses dates, versions, short numbers and repeated digits', () => {
    expect(phoneShape('2024-05-01')).toBeUndefined()
    expect(phoneShape('1.2.3.4')).toBeUndefined()
    expect(phoneShape('12345')).toBeUndefined()
    expect(phoneShape('1111111111')).toBeUndefined()
    // an invalid NANP area code is only a "plain" number, scored low
    expect(phoneShape('123-456-7890')?.kind).toBe('plain')
  })
})

describe('entropy and dates', () => {
  it('measures bits per character', () => {
    // The table-counted ASCII path sums in the same order as the general one: the same bits, not just close.
    const general = (x: string) => {
      const counts = new Map<string, number>()
      for (const ch of x) counts.set(ch, (counts.get(ch) ?? 0) + 1)
      let h = 0
      for (const c of counts.values()) h -= (c / x.length) * Math.log2(c / x.length)
      return h
    }
    for (const x of ['sk-proj-4f9aQ2_xZ81kLm0pQrStUvWx', 'abcabcabd', 'ab\u00e9cd', 'x'.repeat(300) + 'yz', 'Zm9vYmFy', 'p@ssW0rd!!'])
      expect(shannonEntropy(x)).toBe(general(x))
    expect(shannonEntropy('aaaaaaaa')).toBe(0)
    expect(shannonEntropy('abcdefgh')).toBeCloseTo(3, 5)
    expect(shannonEntropy('Zx81kQ2mLp0vN7rT4yH9wE3s')).toBeGreaterThan(4)
  })
  it('birth dates must be real dates between 1900 and now', () => {
    expect(isPlausibleBirthDate(1987, 3, 14, 2025)).toBe(true)
    expect(isPlausibleBirthDate(1987, 2, 30, 2025)).toBe(false)
    expect(isPlausibleBirthDate(2000, 2, 29, 2025)).toBe(true)
    expect(isPlausibleBirthDate(1900 - 1, 1, 1, 2025)).toBe(false)
    expect(isPlausibleBirthDate(2030, 1, 1, 2025)).toBe(false)
    expect(isPlausibleBirthDate(87, 3, 14, 2025)).toBe(true) // 1987
  })
})
