/** Number and date formatting shared by the Models and Compare screens. "—" always means "not known". */

export const DASH = '—'

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? DASH : Math.round(n).toLocaleString('en-US')
}

/** 131072 → "131k", 14400 → "14.4k", 1000000 → "1M", 900 → "900". */
export function fmtCompact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH
  const abs = Math.abs(n)
  if (abs >= 1_000_000) return `${trim(n / 1_000_000)}M`
  if (abs >= 1000) return `${trim(n / 1000)}k`
  return String(Math.round(n))
}

function trim(n: number): string {
  return n.toFixed(n >= 100 ? 0 : 1).replace(/\.0$/, '')
}

/** USD per 1M tokens: "$0.35". */
export function fmtPrice(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH
  return `$${n < 0.1 && n > 0 ? n.toFixed(3) : n.toFixed(2)}`
}

/** A cost in USD with enough digits to be non-zero: "$0.000213", "$1.24". */
export function fmtUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH
  if (n === 0) return '$0'
  const abs = Math.abs(n)
  if (abs >= 100) return `$${Math.round(n).toLocaleString('en-US')}`
  if (abs >= 1) return `$${n.toFixed(2)}`
  // Two significant digits after the leading zeros: $0.75, $0.000073.
  const digits = Math.min(8, Math.max(2, -Math.floor(Math.log10(abs)) + 1))
  return `$${n.toFixed(digits)}`
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

export function fmtRate(tps: number | null | undefined): string {
  return tps === null || tps === undefined || !Number.isFinite(tps) ? DASH : `${fmtInt(tps)} tok/s`
}

/** Epoch ms → "2026-11-21 14:02" in local time. */
export function fmtDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH
  const d = new Date(ms)
  const pad = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "just now", "5 min ago", "3 h ago", else the date. */
export function fmtAgo(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH
  const s = Math.max(0, (now - ms) / 1000)
  if (s < 45) return 'just now'
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`
  return fmtDateTime(ms)
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH
  const s = Math.ceil(ms / 1000)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
}
