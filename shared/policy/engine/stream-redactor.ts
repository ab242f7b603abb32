import type { PiiDetector } from '../detectors/pii'
import { MarkerFactory, type RedactionStyle } from './redact'
import type { Finding } from './types'

/**
 * Redacts a streamed model output. Only the tail that a match could still be
 * reading is held back (the detector's pendingFrom: an unfinished word that
 * may become an email, a number whose context words have not come yet, an
 * open private-key block, …); everything before it is final and goes out at
 * once, redacted exactly as a check of the whole text would redact it.
 * Context needed to score a match (e.g. "born on" before a date) is kept
 * from what was already emitted.
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
  /** Past this many held characters the held text is released anyway, except an open match (default 65536). */
  maxBuffer?: number
  /**
   * push() releases nothing until at least this many characters have come
   * since the last release (default 0: release on every push). Each release
   * scans the held text again, so a stream of tiny chunks costs a scan per
   * chunk; batching releases cuts that several-fold. Callers that set it
   * call release() when they are about to hand text on anyway.
   */
  minRelease?: number
}

/** Already-emitted text kept before the held text when scanning, for what patterns read behind a match (context words, look-behinds). */
const CONTEXT_CHARS = 96

export function createStreamRedactor(detector: Pick<PiiDetector, 'detect' | 'pendingFrom'>, opts: StreamRedactorOptions): StreamRedactor {
  const maxBuffer = opts.maxBuffer ?? 65_536
  const minRelease = opts.minRelease ?? 0
  const policy = opts.policy ?? 'pii-detector'
  const markers = new MarkerFactory(opts.style)
  const findings: Finding[] = []
  let buffer = ''
  let context = '' // tail of already-emitted original text
  let consumed = 0 // original characters emitted so far

  /** Characters held after the last release: push() scans again only once minRelease more have come. */
  let heldAfterRelease = 0

  function emit(final: boolean): string {
    const scanned = context + buffer
    const offset = context.length
    let safe = buffer.length
    if (!final) {
      safe = Math.max(0, detector.pendingFrom(scanned) - offset)
      // A tail this long goes out anyway (what an open match holds stays held, below).
      if (buffer.length - safe > maxBuffer) safe = buffer.length - maxBuffer
    }
    heldAfterRelease = buffer.length
    if (safe <= 0) return ''
    const matches = detector.detect(scanned)
    const spans: Array<{ start: number; end: number; entity: string; score: number }> = []
    for (const m of matches) {
      const start = m.start - offset
      const end = m.end - offset
      if (end <= 0) continue // already emitted in an earlier chunk
      // Never cut through a match, nor release one that reaches the end (it may grow).
      if (!final && start < safe && end >= safe && (end > safe || end === buffer.length)) safe = Math.max(0, start)
      spans.push({ start: Math.max(0, start), end, entity: m.entity, score: m.score })
    }
    heldAfterRelease = buffer.length - safe
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
      return buffer.length - heldAfterRelease < minRelease ? '' : emit(false)
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
