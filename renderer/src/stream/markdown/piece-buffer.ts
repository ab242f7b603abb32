/**
 * Growing text kept as pieces of a few KB. Appending to one long JavaScript
 * string builds a rope that V8 flattens, copying the whole text, on the
 * next read; at 6,000 tokens/s into four panes that is megabytes of
 * large-object garbage per second and long GC pauses. Here reads near the
 * end touch only the last pieces, and nothing is ever copied whole until
 * someone asks for the whole text.
 */

/** What the block splitter reads: a string, or a PieceBuffer. */
export interface TextSource {
  readonly length: number
  charAt(i: number): string
  indexOf(search: string, from: number): number
  slice(from: number, to?: number): string
}

const PIECE = 4096

export class PieceBuffer implements TextSource {
  private readonly pieces: string[] = []
  /** Offset of each piece's first character. */
  private readonly starts: number[] = []
  private whole: string | null = ''
  length = 0

  append(s: string): void {
    if (!s) return
    const last = this.pieces.length - 1
    if (last >= 0 && this.pieces[last].length + s.length <= PIECE) this.pieces[last] += s
    else {
      this.pieces.push(s)
      this.starts.push(this.length)
    }
    this.length += s.length
    this.whole = null
  }

  /** Index of the piece holding offset i (0 ≤ i < length). */
  private find(i: number): number {
    let lo = 0
    let hi = this.pieces.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid] <= i) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  charAt(i: number): string {
    if (i < 0 || i >= this.length) return ''
    const p = this.find(i)
    return this.pieces[p][i - this.starts[p]]
  }

  indexOf(search: string, from: number): number {
    if (from >= this.length) return -1
    // Searches piece by piece; a match across a piece boundary is found by
    // carrying the end of the previous piece along.
    let p = this.find(Math.max(0, from))
    let carry = ''
    let carryStart = 0
    for (; p < this.pieces.length; p++) {
      const start = this.starts[p]
      const hay = carry + this.pieces[p]
      const base = carry ? carryStart : start
      const at = hay.indexOf(search, Math.max(0, from - base))
      if (at !== -1) return base + at
      const keep = search.length - 1
      carry = keep > 0 ? hay.slice(-keep) : ''
      carryStart = base + hay.length - carry.length
    }
    return -1
  }

  slice(from: number, to: number = this.length): string {
    const a = Math.max(0, Math.min(from, this.length))
    const b = Math.max(a, Math.min(to, this.length))
    if (a === b) return ''
    const first = this.find(a)
    const last = this.find(b - 1)
    if (first === last) return this.pieces[first].slice(a - this.starts[first], b - this.starts[first])
    const parts = [this.pieces[first].slice(a - this.starts[first])]
    for (let p = first + 1; p < last; p++) parts.push(this.pieces[p])
    parts.push(this.pieces[last].slice(0, b - this.starts[last]))
    return parts.join('')
  }

  toString(): string {
    this.whole ??= this.pieces.join('')
    return this.whole
  }
}

/** A plain string as a TextSource. */
export function stringSource(s: string): TextSource {
  return {
    length: s.length,
    charAt: (i) => s.charAt(i),
    indexOf: (search, from) => s.indexOf(search, from),
    slice: (from, to) => s.slice(from, to),
  }
}
