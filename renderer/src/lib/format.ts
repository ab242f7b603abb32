/*
 * The app's one way to show numbers, money, durations, sizes and dates.
 * Unknown values are always "—", never 0 or a guess.
 */

export const DASH = '—'

type Maybe = number | null | undefined

const known = (n: Maybe): n is number => n !== null && n !== undefined && Number.isFinite(n)

/**
 * A whole number with thousands separators, as en-US writes it ("-1,234,567"), without Intl: the first
 * Intl.NumberFormat a page builds loads ICU's number data, 15–70 ms of the app's start-up (startup bench), and
 * toLocaleString builds a formatter per call.
 */
function groupThousands(whole: number): string {
  // Past 1e21 String() switches to exponent notation: ICU is worth its cost there.
  if (Math.abs(whole) >= 1e21) return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(whole)
  const digits = String(Math.abs(whole))
  const sign = whole < 0 || Object.is(whole, -0) ? '-' : ''
  return sign + digits.replace(/\B(?=(\d{3})+$)/g, ',')
}

/** 1234.6 → "1,235". */
export function fmtInt(n: Maybe): string {
  return known(n) ? groupThousands(Math.round(n)) : DASH
}

/** "1 run", "2 runs", "1,024 tokens" (the count with thousands separators, the noun agreeing with it). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${Math.round(n) === 1 ? one : many}`
}

/** 131072 → "131k", 14400 → "14.4k", 1000000 → "1M", 900 → "900". */
export function fmtCompact(n: Maybe): string {
  if (!known(n)) return DASH
  const abs = Math.abs(n)
  if (abs >= 1_000_000) return `${trim(n / 1_000_000)}M`
  if (abs >= 1000) return `${trim(n / 1000)}k`
  return String(Math.round(n))
}

function trim(n: number): string {
  return n.toFixed(Math.abs(n) >= 100 ? 0 : 1).replace(/\.0$/, '')
}

/** A price in USD per 1M tokens, as price lists write it: "$0.35", "$0.085". */
export function fmtPrice(n: Maybe): string {
  if (!known(n)) return DASH
  return `$${n < 0.1 && n > 0 ? n.toFixed(3) : n.toFixed(2)}`
}

/**
 * An amount of money in USD with two significant digits once below a dollar,
 * always in plain decimals: "$0.000025", "$0.000096", "$0.75", "$1.24", "$1,100".
 */
export function fmtUsd(n: Maybe): string {
  if (!known(n)) return DASH
  if (n === 0) return '$0'
  const abs = Math.abs(n)
  const sign = n < 0 ? '-' : ''
  if (abs >= 100) return `${sign}$${groupThousands(Math.round(abs))}`
  if (abs >= 1) return `${sign}$${abs.toFixed(2)}`
  if (abs < 0.000_000_01) return `${sign === '-' ? '>-' : '<'}$0.00000001`
  return `${sign}$${abs.toFixed(usdDigits(abs))}`
}

/** Decimals `fmtUsd` shows below $1: two significant digits after the leading zeros ($0.75, $0.000073). */
function usdDigits(abs: number): number {
  return Math.min(8, Math.max(2, -Math.floor(Math.log10(abs)) + 1))
}

/** An amount rounded as `fmtUsd` shows it, so two costs that read the same compare equal. */
export function usdAsShown(n: number): number {
  const abs = Math.abs(n)
  if (!Number.isFinite(n) || abs === 0) return n
  if (abs >= 100) return Math.round(n)
  if (abs >= 1) return Math.round(n * 100) / 100
  const f = 10 ** usdDigits(abs)
  return Math.round(n * f) / f
}

/** A share of 1 as a percentage: "42.5%", two decimals near 0 and 100 ("0.35%", "99.62%"). */
export function fmtPercent(share: Maybe): string {
  if (!known(share)) return DASH
  const pct = share * 100
  return `${pct.toFixed(share >= 0.995 || share < 0.01 ? 2 : 1)}%`
}

/** A plain decimal with a fixed number of places (log probabilities, perplexity): "-0.105", "1.37". */
export function fmtDecimal(n: Maybe, places: number): string {
  return known(n) ? n.toFixed(places) : DASH
}

/** Tokens per second: "1,234 tok/s". */
export function fmtRate(tps: Maybe): string {
  return known(tps) ? `${fmtInt(tps)} tok/s` : DASH
}

/**
 * A measured duration in milliseconds, in one style everywhere:
 * "0.05 ms", "4.2 ms", "850 ms", "1.25 s", "12.5 s", "2 min 5 s", "1 h 5 min".
 */
export function fmtMs(ms: Maybe): string {
  if (!known(ms)) return DASH
  if (ms < 0) return `-${fmtMs(-ms)}`
  if (ms === 0) return '0 ms'
  if (ms < 0.01) return '<0.01 ms'
  if (ms < 1) return `${ms.toFixed(2)} ms`
  if (ms < 9.95) return `${ms.toFixed(1)} ms`
  if (ms < 999.5) return `${Math.round(ms)} ms`
  if (ms < 9995) return `${(ms / 1000).toFixed(2)} s`
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`
  return minutesAndHours(Math.round(ms / 1000))
}

/**
 * A duration to whole seconds, rounded up (what is left of a wait, how long a
 * batch took): "0 s", "45 s", "2 min 5 s", "1 h 5 min". Same words as `fmtMs`.
 */
export function fmtDuration(ms: Maybe): string {
  if (!known(ms)) return DASH
  const s = Math.max(0, Math.ceil(ms / 1000 - 1e-9))
  return s < 60 ? `${s} s` : minutesAndHours(s)
}

function minutesAndHours(totalSeconds: number): string {
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`
  const minutes = Math.round(totalSeconds / 60)
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** Bytes: "512 B", "1.5 KB", "2.25 MB". */
export function fmtBytes(bytes: Maybe): string {
  if (!known(bytes)) return DASH
  if (Math.abs(bytes) < 1024) return `${Math.round(bytes)} B`
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

/** Epoch ms → "2026-11-21 14:02" in local time ("2026-11-21 14:02:09" with seconds, for logs). */
export function fmtDateTime(ms: Maybe, opts: { seconds?: boolean } = {}): string {
  if (!known(ms)) return DASH
  const d = new Date(ms)
  const pad = (x: number) => String(x).padStart(2, '0')
  const minutes = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
  return opts.seconds ? `${minutes}:${pad(d.getSeconds())}` : minutes
}

/** Epoch ms → the local time of day, "14:02" or with seconds "14:02:09". */
export function fmtTimeOfDay(ms: Maybe, opts: { seconds?: boolean } = {}): string {
  return known(ms) ? fmtDateTime(ms, opts).slice(11) : DASH
}

/** Epoch ms → the local date, "2026-11-21", or without the year "11-21" (chart axes). */
export function fmtDate(ms: Maybe, opts: { year?: boolean } = {}): string {
  if (!known(ms)) return DASH
  const date = fmtDateTime(ms).slice(0, 10)
  return opts.year === false ? date.slice(5) : date
}

/** "just now", "5 min ago", "3 h ago", else the date. */
export function fmtAgo(ms: Maybe, now = Date.now()): string {
  if (!known(ms)) return DASH
  const s = Math.max(0, (now - ms) / 1000)
  if (s < 45) return 'just now'
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`
  return fmtDateTime(ms)
}
