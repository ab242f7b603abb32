import { PiiDetector } from '@shared/policy/detectors/pii'
import { cardIssuer, ISSUER_RANGES } from '@shared/policy/detectors/pii-card-issuers'
import { checkNational, PHONE_CHECKS_PER_TEXT, regionsFor, surelyInvalid } from '@shared/policy/detectors/pii-phones'
import { cardNetwork, isCreditCard } from '@shared/policy/detectors/pii-validators'
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { describe, expect, it } from 'vitest'

import { luhnCheckDigit, rng } from '../../fixtures/policy/generate'

const detector = new PiiDetector({ pciMode: true, healthcareMode: false, custom: [], nowYear: 2025 })
const found = (text: string) => detector.detect(text).map((m) => ({ entity: m.entity, text: text.slice(m.start, m.end) }))
const kinds = (text: string) => detector.detect(text).map((m) => m.entity)

/** A number of `length` digits starting with `prefix`, with a valid (or, with `valid` false, a wrong) Luhn check digit. */
function cardNumber(prefix: string, length: number, valid = true): string {
  let body = prefix
  for (let i = 0; body.length < length - 1; i++) body += String((i * 7 + 3) % 10)
  const check = luhnCheckDigit(body)
  return body + String(valid ? check : (check + 1) % 10)
}
const inFours = (d: string) => d.match(/.{1,4}/g)!.join(' ')

describe('card issuer table', () => {
  it('comes from credit-card-type, with the ISO ranges and lengths it lacks added', () => {
    expect(ISSUER_RANGES.length).toBeGreaterThan(100)
    expect(cardIssuer(cardNumber('3528', 16))?.network).toBe('jcb')
    expect(cardIssuer(cardNumber('1800', 15))?.network).toBe('jcb')
    expect(cardIssuer(cardNumber('2131', 15))?.network).toBe('jcb')
    expect(cardIssuer(cardNumber('6759', 12))?.network).toBe('maestro')
    expect(cardIssuer(cardNumber('2200', 16))?.network).toBe('mir')
    expect(cardIssuer(cardNumber('4', 13))?.network).toBe('visa')
    // the most specific range wins: Elo's 509000 over Maestro's 50…
    expect(cardIssuer(cardNumber('509000', 16))?.network).toBe('elo')
    expect(cardIssuer(cardNumber('9111', 16))).toBeUndefined()
    expect(cardIssuer(cardNumber('1800', 14))).toBeUndefined() // JCB 1800 issues 15 digits only
  })
  it('isCreditCard: 12 to 19 digits of a range and one of its lengths, passing Luhn', () => {
    for (const [prefix, length] of [
      ['6759', 12],
      ['6304', 13],
      ['5020', 15],
      ['5038', 17],
      ['6763', 18],
      ['6759', 19],
      ['1800', 15],
      ['2131', 15],
      ['3589', 16],
      ['3530', 19],
      ['2720', 16],
      ['3056', 14],
      ['6212', 17],
      ['2204', 16],
      ['9792', 16],
    ] as const) {
      expect(isCreditCard(cardNumber(prefix, length)), `${prefix}/${length}`).toBe(true)
      expect(isCreditCard(cardNumber(prefix, length, false)), `${prefix}/${length} bad check digit`).toBe(false)
    }
    expect(isCreditCard(cardNumber('6759', 11))).toBe(false)
    expect(isCreditCard(cardNumber('6759', 20))).toBe(false)
    expect(cardNetwork(cardNumber('34', 15))).toBe('amex')
  })
})

describe('PII detector: cards of every issuer range and length', () => {
  it('finds Maestro of 12 to 19 digits, the 15-digit JCB ranges and 16-digit JCB, solid or grouped', () => {
    const cases = [
      inFours(cardNumber('6759', 12)),
      cardNumber('6304', 13),
      cardNumber('5038', 17),
      `${inFours(cardNumber('6759', 19))}`,
      cardNumber('1800', 15),
      inFours(cardNumber('2131', 15)),
      inFours(cardNumber('3528', 16)),
      cardNumber('3589', 16),
      inFours(cardNumber('2200', 16)),
      inFours(cardNumber('6250', 16)),
    ]
    for (const v of cases) expect(found(`My card number is ${v}, is it valid?`), v).toEqual([{ entity: 'CREDIT_CARD', text: v }])
    const uatp = cardNumber('1', 15)
    const uatpPrinted = `${uatp.slice(0, 4)} ${uatp.slice(4, 9)} ${uatp.slice(9)}`
    expect(found(`Pay with ${uatpPrinted}`)).toEqual([{ entity: 'CREDIT_CARD', text: uatpPrinted }])
  })
  it('needs a card word for a 12-digit number and for solid numbers of a one-digit catch-all range', () => {
    const twelve = cardNumber('6759', 12)
    expect(kinds(`Reference ${twelve} noted.`)).toEqual([])
    expect(kinds(`${twelve} appears in the log`)).toEqual([])
    expect(found(`Debit card: ${twelve}`)).toEqual([{ entity: 'CREDIT_CARD', text: twelve }])
    const uatp = cardNumber('1', 15)
    expect(kinds(`Row ${uatp} was imported`)).toEqual([])
    expect(found(`Tarjeta ${uatp}`)).toEqual([{ entity: 'CREDIT_CARD', text: uatp }])
  })
  it('refuses bad check digits, the first groups of a mistyped card, and numbers that name a thing', () => {
    expect(kinds(`Card ${inFours(cardNumber('3528', 16, false))}`)).toEqual([])
    expect(kinds(`Karte ${cardNumber('1800', 15, false)}`)).toEqual([])
    // 16 digits that fail Luhn: their first 12 may pass, but are not a card of their own
    for (let p = 600; p < 700; p++) {
      const bad = cardNumber(`6011${p}`, 16, false)
      if (!isCreditCard(bad.slice(0, 12))) continue
      expect(kinds(`My card number is ${inFours(bad)}`)).toEqual([])
      break
    }
    for (const text of [
      `Order ${cardNumber('6759', 16)} shipped.`,
      `IMEI ${cardNumber('35209', 15)} is blacklisted.`,
      `EAN ${cardNumber('4', 13)} scanned.`,
      `Pedido ${cardNumber('3530', 16)} enviado.`,
      `Rechnungsnummer ${cardNumber('6250', 16)}`,
    ])
      expect(kinds(text), text).toEqual([])
  })
})

describe('PII detector: national phone numbers without a country code', () => {
  it('finds Spanish and Portuguese 9-digit groupings, Nordic 8-digit numbers and area codes in parentheses', () => {
    for (const [text, value] of [
      ['Llámame al 612 345 678 cuando llegues.', '612 345 678'],
      ['Mi móvil es 612 34 56 78.', '612 34 56 78'],
      ['Teléfono de contacto: 91 234 56 78', '91 234 56 78'],
      ['O meu telemóvel é 912 345 678.', '912 345 678'],
      ['Liga-me para o 213 456 789.', '213 456 789'],
      ['Ring meg på 412 34 567.', '412 34 567'],
      ['Tlf: 22 12 34 56', '22 12 34 56'],
      ['Ring til mig på 20 12 34 56.', '20 12 34 56'],
      ['Mobilnummeret mitt er 41234567.', '41234567'],
      ['Unser Büro erreichen Sie unter (030) 1234567.', '(030) 1234567'],
      ['Call the London office on (020) 7946 0958.', '(020) 7946 0958'],
      ['Ring us on (02) 9876 5432 during business hours.', '(02) 9876 5432'],
      ['Meu celular é (11) 98765-4321.', '(11) 98765-4321'],
      ['Soita minulle numeroon 040 123 4567.', '040 123 4567'],
      ['Bel ons op (020) 123 4567.', '(020) 123 4567'],
      ['Il mio cellulare è 347 123 4567.', '347 123 4567'],
    ])
      expect(found(text), text).toEqual([{ entity: 'PHONE_NUMBER', text: value }])
  })
  it('finds a number grouped the way its region writes numbers even without a phone word', () => {
    expect(found('Lucía: 612 34 56 78')).toEqual([{ entity: 'PHONE_NUMBER', text: '612 34 56 78' }])
    expect(found('Kari, 22 12 34 56')).toEqual([{ entity: 'PHONE_NUMBER', text: '22 12 34 56' }])
  })
  it('keeps order numbers, counts, amounts, dates and invalid numbers out', () => {
    for (const text of [
      'Order 612 345 678 was delivered to the wrong address.',
      'Pedido n.º 912 345 678 enviado ontem.',
      'Factura 612345678 pendiente de pago.',
      'Ordre 412 34 567 er sendt.',
      'Kundennummer 412 34 567 bitte angeben.',
      'Référence de commande : 06 12 34 56 78',
      'número de pedido 612 345 678',
      'The population of the region is 612 345 678? No.',
      'We sold 4 512 330 units in 2023.',
      'Total: 1 234 567 € for the renovation.',
      'The meeting is on 12.03.2024 at 10:30.',
      'Fecha: 2024 05 06',
      'Call me: 123 456 789',
      '612345678 rows were copied',
    ])
      expect(kinds(text), text).toEqual([])
  })
  it('a "number" word counts only where nothing names an order', () => {
    expect(found('Mi número es 612 345 678.')).toEqual([{ entity: 'PHONE_NUMBER', text: '612 345 678' }])
    expect(found('Mit nummer er 20 12 34 56.')).toEqual([{ entity: 'PHONE_NUMBER', text: '20 12 34 56' }])
  })
  it('tries the regions its words point at first, then the common ones', () => {
    expect(regionsFor('ring meg på').slice(0, 1)).toEqual(['NO'])
    expect(regionsFor('llámame al').slice(0, 1)).toEqual(['ES'])
    expect(regionsFor('call me at')[0]).toBe('ES')
    expect(new Set(regionsFor('')).size).toBe(regionsFor('').length)
  })
  it('spends a bounded number of region checks per text, and says when it ran out', () => {
    const budget = { left: 2 }
    expect(checkNational('123 456 789', ['ES', 'PT', 'NO'], budget)).toBeNull()
    expect(budget.left).toBe(0)
    expect(checkNational('612 34 56 78', ['ES'], { left: 5 })).toEqual({ region: 'ES', formatted: true })
    expect(checkNational('612 345 678', ['ES'], { left: 5 })).toEqual({ region: 'ES', formatted: false })
    expect(checkNational('123 456 789', ['ES'], { left: 5 })).toBeUndefined()
    // a text of many national numbers stays within the budget: the ones after it are scored on their words
    const many = Array.from({ length: PHONE_CHECKS_PER_TEXT + 40 }, (_, i) => `Tlf ${String(41234500 + i).replace(/(\d\d)(?=\d)/g, '$1 ')}`).join('. ')
    expect(kinds(many).length).toBe(PHONE_CHECKS_PER_TEXT + 40)
  })
  it('skips only parses that could not give a valid number, and still counts them against the budget', () => {
    // Random national-looking numbers in every region the cues name: whenever the check is skipped, the library agrees it is invalid.
    const r = rng(23)
    const regions: CountryCode[] = ['ES', 'MX', 'AR', 'CO', 'CL', 'PE', 'PT', 'BR', 'DE', 'AT', 'CH', 'FR', 'BE', 'LU', 'IT', 'NL', 'NO', 'DK', 'SE', 'FI']
    let skipped = 0
    for (let i = 0; i < 20_000; i++) {
      let digits = ''
      let raw = ''
      for (let k = 5 + Math.floor(r() * 12); k > 0; k--) {
        const d = String(Math.floor(r() * 10))
        digits += d
        raw += d + (k > 1 && r() < 0.3 ? [' ', '-', '.'][Math.floor(r() * 3)] : '')
      }
      const region = regions[Math.floor(r() * regions.length)]
      if (!surelyInvalid(raw, digits, region)) continue
      skipped++
      expect(parsePhoneNumberFromString(raw, { defaultCountry: region, extract: false })?.isValid() ?? false, `${raw} in ${region}`).toBe(false)
    }
    expect(skipped).toBeGreaterThan(2000)
    // The calling code or an international prefix in front is read by the parse: no skip ("45 41 23 45 67" in Denmark is +45).
    expect(surelyInvalid('4541234567', '4541234567', 'DK')).toBe(false)
    expect(surelyInvalid('1220 7 930 0115', '1220793001150', 'CL')).toBe(false)
    expect(surelyInvalid('3141234567', '3141234567', 'DK')).toBe(true)
    const budget = { left: 1 }
    expect(checkNational('3141234567', ['DK', 'ES'], budget)).toBeNull()
    expect(budget.left).toBe(0)
  })
})

describe('PII detector: IBANs in any letter case, with or without spaces', () => {
  it('finds lower, mixed and upper case, grouped by spaces or dashes, or solid', () => {
    for (const v of [
      'de89 3704 0044 0532 0130 00',
      'de89370400440532013000',
      'Gb82 west 1234 5698 7654 32',
      'gb82west12345698765432',
      'fr1420041010050500013m02606',
      'NL91-ABNA-0417-1643-00',
      'ch9300762011623852957',
    ])
      expect(found(`My IBAN is ${v}.`), v).toEqual([{ entity: 'IBAN_CODE', text: v }])
  })
  it('refuses bad checksums and look-alikes in any case', () => {
    expect(kinds('iban: gb82 west 1234 5698 7654 33')).toEqual([])
    expect(kinds('iban: de89370400440532013001')).toEqual([])
    expect(kinds('The commit de12ab34cd56ef78ab90cd12ef34ab56cd78ef90 fixed it.')).toEqual([])
    expect(kinds('run --es1234567890123456789012 in tests')).toEqual([])
  })
})
