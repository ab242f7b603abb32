import {
  DASH,
  fmtAgo,
  fmtBytes,
  fmtCompact,
  fmtDate,
  fmtDateTime,
  fmtDecimal,
  fmtDuration,
  fmtInt,
  fmtMs,
  fmtPercent,
  fmtPrice,
  fmtRate,
  fmtTimeOfDay,
  fmtUsd,
  plural,
  usdAsShown,
} from '@renderer/lib/format'
import { describe, expect, it } from 'vitest'

/* The app's one formatter: every screen shows a number, a price, a cost or a duration the same way. */

describe('unknown values', () => {
  it('are a dash, never 0', () => {
    for (const f of [fmtInt, fmtCompact, fmtPrice, fmtUsd, fmtRate, fmtMs, fmtDuration, fmtBytes, fmtAgo, fmtPercent, fmtDateTime, fmtTimeOfDay, fmtDate]) {
      expect(f(null)).toBe(DASH)
      expect(f(undefined)).toBe(DASH)
      expect(f(Number.NaN)).toBe(DASH)
      expect(f(Number.POSITIVE_INFINITY)).toBe(DASH)
    }
  })
})

describe('money', () => {
  it('shows small costs in plain decimals with two significant digits, never in exponent notation', () => {
    expect(fmtUsd(0.000025)).toBe('$0.000025')
    expect(fmtUsd(0.000096)).toBe('$0.000096')
    expect(fmtUsd(0.000213)).toBe('$0.00021')
    expect(fmtUsd(0.0123)).toBe('$0.012')
    expect(fmtUsd(0.75)).toBe('$0.75')
    for (const n of [1e-5, 2.5e-5, 3e-7, 9.9e-8]) expect(fmtUsd(n)).not.toMatch(/e/i)
  })

  it('says a cost is below the smallest figure it shows rather than printing zeroes', () => {
    expect(fmtUsd(1e-12)).toBe('<$0.00000001')
    expect(fmtUsd(0)).toBe('$0')
  })

  it('shows dollars with cents, and hundreds with thousands separators', () => {
    expect(fmtUsd(1.1)).toBe('$1.10')
    expect(fmtUsd(2)).toBe('$2.00')
    expect(fmtUsd(1100)).toBe('$1,100')
    expect(fmtUsd(-0.5)).toBe('-$0.50')
  })

  it('rounds an amount as it is shown, so two costs that read the same compare equal', () => {
    expect(usdAsShown(0.0000961)).toBe(0.000096)
    expect(fmtUsd(usdAsShown(0.0000961))).toBe(fmtUsd(0.0000961))
    expect(usdAsShown(0.0000961)).toBe(usdAsShown(0.0000964))
    expect(usdAsShown(0.0000961)).not.toBe(usdAsShown(0.0000971))
    expect(usdAsShown(1.234)).toBe(1.23)
    expect(usdAsShown(1234.5)).toBe(1235)
  })

  it('shows prices per 1M tokens as price lists do', () => {
    expect(fmtPrice(0.35)).toBe('$0.35')
    expect(fmtPrice(0.085)).toBe('$0.085')
    expect(fmtPrice(1.5)).toBe('$1.50')
  })
})

describe('durations', () => {
  it('are written one way: ms under a second, s with decimals under a minute, then min and s', () => {
    expect(fmtMs(850)).toBe('850 ms')
    expect(fmtMs(1250)).toBe('1.25 s')
    expect(fmtMs(12_340)).toBe('12.3 s')
    expect(fmtMs(125_000)).toBe('2 min 5 s')
    expect(fmtMs(3_900_000)).toBe('1 h 5 min')
  })

  it('keeps the figures of short server timings', () => {
    expect(fmtMs(4.24)).toBe('4.2 ms')
    expect(fmtMs(0.05)).toBe('0.05 ms')
    expect(fmtMs(0.001)).toBe('<0.01 ms')
    expect(fmtMs(0)).toBe('0 ms')
  })

  it('never rounds up into an impossible figure at a unit boundary', () => {
    expect(fmtMs(999.6)).toBe('1.00 s')
    expect(fmtMs(59_990)).toBe('1 min 0 s')
    expect(fmtMs(119_700)).toBe('2 min 0 s')
    expect(fmtDuration(119_700)).toBe('2 min 0 s')
  })

  it('counts waits in whole seconds, rounded up, with the same words', () => {
    expect(fmtDuration(0)).toBe('0 s')
    expect(fmtDuration(44_100)).toBe('45 s')
    expect(fmtDuration(125_000)).toBe('2 min 5 s')
    expect(fmtDuration(-5)).toBe('0 s')
  })
})

describe('counts', () => {
  it('agree with their noun', () => {
    expect(plural(1, 'run')).toBe('1 run')
    expect(plural(2, 'run')).toBe('2 runs')
    expect(plural(0, 'run')).toBe('0 runs')
    expect(plural(1200, 'record')).toBe('1,200 records')
    expect(plural(2, 'reply', 'replies')).toBe('2 replies')
  })

  it('group thousands and shorten large limits', () => {
    expect(fmtInt(14_400.4)).toBe('14,400')
    expect(fmtRate(2345.6)).toBe('2,346 tok/s')
    expect(fmtCompact(131_072)).toBe('131k')
    expect(fmtCompact(14_400)).toBe('14.4k')
    expect(fmtCompact(1_000_000)).toBe('1M')
    expect(fmtBytes(512)).toBe('512 B')
    expect(fmtBytes(1536)).toBe('1.5 KB')
  })

  it('group thousands as en-US does, without building an Intl formatter (start-up cost), at every size and sign', () => {
    const en = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
    for (const n of [0, -0, 7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -9_876_543_210, 2 ** 53, 9.99e20, 1e21, -3e22]) {
      expect(fmtInt(n)).toBe(en.format(n))
    }
    expect(fmtInt(-1234.5)).toBe('-1,234')
    expect(fmtUsd(1_234_567)).toBe('$1,234,567')
  })

  it('says how long ago in words, then the date', () => {
    const now = Date.UTC(2026, 0, 10, 12, 0)
    expect(fmtAgo(now - 10_000, now)).toBe('just now')
    expect(fmtAgo(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(fmtAgo(now - 3 * 3_600_000, now)).toBe('3 h ago')
    expect(fmtAgo(now - 3 * 86_400_000, now)).toMatch(/^2026-01-0\d \d\d:\d\d$/)
  })
})

describe('shares, decimals and clock times', () => {
  it('write percentages with one decimal, two near the ends', () => {
    expect(fmtPercent(0.425)).toBe('42.5%')
    expect(fmtPercent(0.0035)).toBe('0.35%')
    expect(fmtPercent(0.99621)).toBe('99.62%')
    expect(fmtPercent(1)).toBe('100.00%')
  })

  it('write plain decimals to the places asked', () => {
    expect(fmtDecimal(-0.10536, 3)).toBe('-0.105')
    expect(fmtDecimal(1.3679, 2)).toBe('1.37')
    expect(fmtDecimal(null, 2)).toBe(DASH)
  })

  it('write dates and times one way: YYYY-MM-DD HH:MM, seconds for logs', () => {
    const at = new Date(2026, 10, 21, 14, 2, 9).getTime()
    expect(fmtDateTime(at)).toBe('2026-11-21 14:02')
    expect(fmtDateTime(at, { seconds: true })).toBe('2026-11-21 14:02:09')
    expect(fmtTimeOfDay(at)).toBe('14:02')
    expect(fmtTimeOfDay(at, { seconds: true })).toBe('14:02:09')
    expect(fmtDate(at)).toBe('2026-11-21')
    expect(fmtDate(at, { year: false })).toBe('11-21')
  })
})
