import type { PiiDetectorConfig } from '../schema'

/** How redacted text looks (policy.pii-detector.redaction). */
export interface RedactionStyle {
  markerFormat: 'label' | 'asterisks' | 'partial'
  preserveLength: boolean
  /** Number markers per distinct value: [EMAIL_ADDRESS_1], [EMAIL_ADDRESS_2]. */
  includeMetadata: boolean
  customMarkers: Record<string, string>
}

export function redactionStyleFrom(cfg: PiiDetectorConfig | undefined): RedactionStyle {
  const r = cfg?.redaction ?? {}
  return {
    markerFormat: r.marker_format ?? 'label',
    preserveLength: r.preserve_length ?? false,
    includeMetadata: r.include_metadata ?? false,
    customMarkers: r.custom_markers ?? {},
  }
}

function maskKeepingLast(value: string, keep: number): string {
  let alnumSeen = 0
  let total = 0
  for (const ch of value) if (/[A-Za-z0-9]/.test(ch)) total++
  let out = ''
  for (const ch of value) {
    if (/[A-Za-z0-9]/.test(ch)) {
      alnumSeen++
      out += alnumSeen > total - keep ? ch : '*'
    } else {
      out += ch
    }
  }
  return out
}

/**
 * Makes replacement text for redacted values. One instance per request (or
 * per stream) so numbered markers stay consistent across messages.
 */
export class MarkerFactory {
  private readonly numbers = new Map<string, number>()
  private readonly counters = new Map<string, number>()

  constructor(private readonly style: RedactionStyle) {}

  marker(entity: string, original: string): string {
    const len = original.length
    const custom = this.style.customMarkers[entity]
    let marker: string
    if (custom !== undefined) {
      marker = custom
    } else if (this.style.markerFormat === 'asterisks') {
      return '*'.repeat(this.style.preserveLength ? len : 8)
    } else if (this.style.markerFormat === 'partial') {
      if (entity === 'EMAIL_ADDRESS' && original.includes('@')) {
        const at = original.indexOf('@')
        return original[0] + '*'.repeat(this.style.preserveLength ? at - 1 : 3) + original.slice(at)
      }
      // Short values reveal too much when partly kept.
      return len <= 6 ? '*'.repeat(len) : maskKeepingLast(original, 4)
    } else {
      marker = `[${entity}${this.style.includeMetadata ? `_${this.number(entity, original)}` : ''}]`
    }
    if (this.style.preserveLength) return marker.length <= len ? marker.padEnd(len, '*') : '*'.repeat(len)
    return marker
  }

  private number(entity: string, original: string): number {
    const key = `${entity}\u0000${original}`
    let n = this.numbers.get(key)
    if (n === undefined) {
      n = (this.counters.get(entity) ?? 0) + 1
      this.counters.set(entity, n)
      this.numbers.set(key, n)
    }
    return n
  }
}

export interface Span {
  start: number
  end: number
}

/** Merge overlapping spans (any order) into sorted, disjoint spans, keeping the first one's payload. */
export function mergeSpans<T extends Span>(spans: T[]): T[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end)
  const out: T[] = []
  for (const s of sorted) {
    const last = out[out.length - 1]
    if (last && s.start < last.end) {
      if (s.end > last.end) out[out.length - 1] = { ...last, end: s.end }
    } else {
      out.push(s)
    }
  }
  return out
}

/** Replace disjoint, sorted spans of `text` by their markers. */
export function applySpans(text: string, spans: Array<Span & { marker: string }>): string {
  if (spans.length === 0) return text
  let out = ''
  let pos = 0
  for (const s of spans) {
    out += text.slice(pos, s.start) + s.marker
    pos = s.end
  }
  return out + text.slice(pos)
}
