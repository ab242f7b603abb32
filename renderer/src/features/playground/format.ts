import { useAppStore } from '../../app/store'

/** Display helpers. Unknown values are always "—", never 0. */

export const DASH = '—'

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? DASH : Math.round(n).toLocaleString('en-US')
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 10_000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(1)} s`
}

export function fmtRate(perSec: number | null | undefined): string {
  if (perSec === null || perSec === undefined || !Number.isFinite(perSec)) return DASH
  return `${Math.round(perSec).toLocaleString('en-US')} tok/s`
}

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH
  if (Math.abs(bytes) < 1024) return `${bytes} B`
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

export function fmtCountdown(seconds: number | null): string {
  if (seconds === null) return DASH
  const s = Math.max(0, Math.ceil(seconds))
  if (s < 90) return `${s} s`
  if (s < 5400) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
}

export { copyText } from '../../stream/markdown/clipboard'

export { downloadText } from '../../ui/download'

/** An info message that goes away by itself (the shell closes info toasts after a few seconds). */
export function flash(message: string): void {
  useAppStore.getState().notify('info', message)
}
