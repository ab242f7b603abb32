import type { PiiDetector } from '../detectors/pii'
import { MarkerFactory, type RedactionStyle } from './redact'
import type { Finding } from './types'

/**
 * Redacts a streamed model output. Text is held back until no match can
 * still be growing across the next chunk: the last `holdback` characters, the
 * trailing whitespace-free run however long (keys, tokens, URLs) and an
 * unterminated private-key block. Everything before that is final and safe
 * to show. Context needed to score a match (e.g. "born on" before a date) is
 * kept from what was already emitted.
 */
export interface StreamRedactor {
  /** Feed a chunk; returns the text that is now safe to show (may be empty). */
  push(chunk: string): string
  /** Returns what is safe to show now, even when less than `minRelease` (e.g. at the end of a network read). */
  release(): string
  /** End of stream: returns the rest, redacted. */
  flush(): string
  /** Findings so far; start/end index the original output, message_index is -1. */
  readonly findings: Finding[]
  /** Characters currently held back. */
  readonly pending: number
}

export interface StreamRedactorOptions {
  policy?: string
  style: RedactionStyle
  /** Minimum characters held back (default: the detector's longest match, at least 96). */
  holdback?: number
  /** Past this many held characters a whitespace-free run is released anyway (default 65536). */
  maxBuffer?: number
  /**
   * push() releases nothing until at least this many characters are past the
   * holdback (default 0: release on every push). Each release scans the
   * holdback window again, so a stream of tiny chunks costs a scan per chunk;
   * batching releases cuts that several-fold. Callers that set it call
   * release() when they are about to hand text on anyway.
   */
  minRelease?: number
}

const CONTEXT_CHARS = 96

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0

export function createStreamRedactor(detector: Pick<PiiDetector, 'detect' | 'maxMatchLength'>, opts: StreamRedactorOptions): StreamRedactor {
  const holdback = Math.max(opts.holdback ?? 0, detector.maxMatchLength, 96)
  const maxBuffer = opts.maxBuffer ?? 65_536
  const minRelease = opts.minRelease ?? 0
  const policy = opts.policy ?? 'pii-detector'
  const markers = new MarkerFactory(opts.style)
  const findings: Finding[] = []
  let buffer = ''
  let context = '' // tail of already-emitted original text
  let consumed = 0 // original characters emitted so far

  function safeBoundary(final: boolean): number {
    if (final) return buffer.length
    let safe = buffer.length - holdback
    let r = buffer.length
    while (r > 0 && !isSpace(buffer.charCodeAt(r - 1))) r--
    if (r < safe && buffer.length - r <= maxBuffer) safe = r
    const begin = buffer.lastIndexOf('-----BEGIN')
    if (begin >= 0 && buffer.indexOf('-----END', begin) < 0 && buffer.length - begin <= maxBuffer) safe = Math.min(safe, begin)
    return Math.max(0, safe)
  }

  function emit(final: boolean): string {
    let safe = safeBoundary(final)
    if (safe <= 0) return ''
    const scanned = context + buffer
    const offset = context.length
    const matches = detector.detect(scanned)
    const spans: Array<{ start: number; end: number; entity: string; score: number }> = []
    for (const m of matches) {
      const start = m.start - offset
      const end = m.end - offset
      if (end <= 0) continue // already emitted in an earlier chunk
      if (!final && start < safe && end > safe) safe = Math.max(0, start) // never cut through a match
      spans.push({ start: Math.max(0, start), end, entity: m.entity, score: m.score })
    }
    if (safe <= 0) return ''
    let out = ''
    let pos = 0
    for (const s of spans) {
      if (s.start >= safe) break
      const original = buffer.slice(s.start, s.end)
      out += buffer.slice(pos, s.start) + markers.marker(s.entity, original)
      findings.push({ policy, entity: s.entity, start: consumed + s.start, end: consumed + s.end, score: s.score, message_index: -1 })
      pos = s.end
    }
    out += buffer.slice(pos, safe)
    const done = buffer.slice(0, safe)
    context = (context + done).slice(-CONTEXT_CHARS)
    buffer = buffer.slice(safe)
    consumed += safe
    return out
  }

  return {
    push(chunk: string): string {
      if (!chunk) return ''
      buffer += chunk
      return buffer.length - holdback < minRelease ? '' : emit(false)
    },
    release(): string {
      return buffer ? emit(false) : ''
    },
    flush(): string {
      return emit(true)
    },
    get findings() {
      return findings
    },
    get pending() {
      return buffer.length
    },
  }
}
