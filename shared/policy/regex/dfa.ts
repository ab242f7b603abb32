import { LINE_TERMINATORS, rangesContain, WORD } from './charset'
import { AssertKind, type Nfa, Op } from './nfa'

/**
 * A lazily built DFA over an NFA (RE2's approach): each input code unit costs
 * one table lookup once the states it needs exist, and building a state costs
 * at most the NFA's size, so matching is linear in the input whatever the
 * pattern. The state cache is bounded; when full it is flushed and rebuilt on
 * demand, which keeps memory bounded without giving up linearity.
 */

/** Context of a position's neighbour: 0 = text edge, 1 = word char, 2 = line terminator, 3 = other. */
const EDGE = 0
const WORDK = 1
const LINEK = 2

/** Code-unit → equivalence class, shared by the three automata of one pattern. */
export interface Alphabet {
  classOf: Uint16Array
  count: number
  /** Neighbour kind of each class (WORDK, LINEK or other). */
  kind: Uint8Array
  /** A representative code unit of each class. */
  sample: number[]
}

export function buildAlphabet(sets: number[][]): Alphabet {
  const all = [...sets, WORD, LINE_TERMINATORS]
  const cuts = new Set<number>([0, 0x10000])
  for (const r of all) {
    for (let i = 0; i < r.length; i += 2) {
      cuts.add(r[i])
      cuts.add(r[i + 1] + 1)
    }
  }
  const points = [...cuts].sort((a, b) => a - b)
  const classOf = new Uint16Array(0x10000)
  const bySignature = new Map<string, number>()
  const kind: number[] = []
  const sample: number[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i]
    const hi = points[i + 1] - 1
    let sig = ''
    for (const r of all) sig += rangesContain(r, lo) ? '1' : '0'
    let cls = bySignature.get(sig)
    if (cls === undefined) {
      cls = sample.length
      bySignature.set(sig, cls)
      sample.push(lo)
      kind.push(rangesContain(WORD, lo) ? WORDK : rangesContain(LINE_TERMINATORS, lo) ? LINEK : 3)
    }
    classOf.fill(cls, lo, hi + 1)
  }
  return { classOf, count: sample.length, kind: Uint8Array.from(kind), sample }
}

export const enum DfaMode {
  /** Forward, a match may start anywhere: finds the earliest match end. */
  Search = 0,
  /** Forward from a fixed start: finds the longest match end. */
  Anchored = 1,
  /** Backward from a fixed end over the mirrored NFA: finds the leftmost start. */
  Reverse = 2,
}

const MAX_CACHED_STATES = 4096

export class LazyDfa {
  private kernels: Int32Array[] = []
  private prevKinds: number[] = []
  private ids = new Map<string, number>()
  private trans: Int32Array
  private eoi: Int8Array
  private readonly stack: Int32Array
  private readonly mark: Uint32Array
  private gen = 0
  private readonly charIn: Uint8Array[]
  readonly dead = -1

  constructor(
    private readonly nfa: Nfa,
    private readonly alpha: Alphabet,
    private readonly mode: DfaMode,
    private readonly multiline: boolean,
  ) {
    this.trans = new Int32Array(64 * alpha.count).fill(-1)
    this.eoi = new Int8Array(64).fill(-1)
    this.stack = new Int32Array(nfa.op.length * 2 + 2)
    this.mark = new Uint32Array(nfa.op.length)
    // For each NFA char state, whether each alphabet class is in its set.
    this.charIn = nfa.sets.map((r) => Uint8Array.from(alpha.sample, (c) => (rangesContain(r, c) ? 1 : 0)))
  }

  /** State for starting at a position whose consumed neighbour has kind `prevKind`. */
  start(prevKind: number): number {
    return this.intern(Int32Array.of(this.nfa.start), prevKind)
  }

  isDead(state: number): boolean {
    return this.kernels[state].length === 0
  }

  /**
   * Packed transition: (next << 1) | 1 when a match ends at the current
   * position (before the class `cls` is consumed).
   */
  step(state: number, cls: number): number {
    const t = this.trans[state * this.alpha.count + cls]
    return t >= 0 ? t : this.compute(state, cls)
  }

  /** Whether a match ends at the text edge reached in `state`. */
  matchesAtEdge(state: number): boolean {
    let e = this.eoi[state]
    if (e < 0) {
      e = this.closure(this.kernels[state], this.prevKinds[state], EDGE, -1, null) ? 1 : 0
      this.eoi[state] = e
    }
    return e === 1
  }

  get classOf(): Uint16Array {
    return this.alpha.classOf
  }

  private compute(state: number, cls: number): number {
    if (this.kernels.length >= MAX_CACHED_STATES) {
      const kernel = this.kernels[state]
      const prev = this.prevKinds[state]
      this.flush()
      state = this.intern(kernel, prev)
    }
    const next: number[] = []
    const matched = this.closure(this.kernels[state], this.prevKinds[state], this.alpha.kind[cls], cls, next)
    if (this.mode === DfaMode.Search) next.push(this.nfa.start)
    const nextKernel = Int32Array.from(new Set(next)).sort()
    const id = this.intern(nextKernel, this.alpha.kind[cls])
    const packed = (id << 1) | (matched ? 1 : 0)
    this.trans[state * this.alpha.count + cls] = packed
    return packed
  }

  /**
   * Follows epsilon moves from `kernel` given the neighbours of the current
   * position, collects the char states' successors on `cls` into `next`, and
   * reports whether the match state is reachable.
   */
  private closure(kernel: Int32Array, consumedKind: number, upcomingKind: number, cls: number, next: number[] | null): boolean {
    const { op, arg, out, out2 } = this.nfa
    // Forward: consumed char is before the position. Reverse: it is after.
    const before = this.mode === DfaMode.Reverse ? upcomingKind : consumedKind
    const after = this.mode === DfaMode.Reverse ? consumedKind : upcomingKind
    const gen = ++this.gen
    if (gen === 0xffffffff) {
      this.mark.fill(0)
      this.gen = 1
    }
    const mark = this.mark
    const stack = this.stack
    let sp = 0
    let matched = false
    for (let i = kernel.length - 1; i >= 0; i--) stack[sp++] = kernel[i]
    while (sp > 0) {
      const s = stack[--sp]
      if (s < 0 || mark[s] === this.gen) continue
      mark[s] = this.gen
      switch (op[s]) {
        case Op.Char:
          if (next && cls >= 0 && this.charIn[arg[s]][cls]) next.push(out[s])
          break
        case Op.Match:
          matched = true
          break
        case Op.Eps:
          stack[sp++] = out[s]
          break
        case Op.Split:
          stack[sp++] = out2[s]
          stack[sp++] = out[s]
          break
        case Op.Assert:
          if (this.assertHolds(arg[s], before, after)) stack[sp++] = out[s]
          break
      }
    }
    return matched
  }

  private assertHolds(kind: number, before: number, after: number): boolean {
    switch (kind) {
      case AssertKind.Bol:
        return before === EDGE || (this.multiline && before === LINEK)
      case AssertKind.Eol:
        return after === EDGE || (this.multiline && after === LINEK)
      case AssertKind.WordB:
        return (before === WORDK) !== (after === WORDK)
      case AssertKind.NotWordB:
        return (before === WORDK) === (after === WORDK)
      default:
        return false
    }
  }

  private intern(kernel: Int32Array, prevKind: number): number {
    const key = prevKind + ':' + kernel.join(',')
    const found = this.ids.get(key)
    if (found !== undefined) return found
    const id = this.kernels.length
    this.kernels.push(kernel)
    this.prevKinds.push(prevKind)
    this.ids.set(key, id)
    const needed = (id + 1) * this.alpha.count
    if (needed > this.trans.length) {
      const grown = new Int32Array(Math.max(needed, this.trans.length * 2)).fill(-1)
      grown.set(this.trans)
      this.trans = grown
      const eoi = new Int8Array(Math.max(id + 1, this.eoi.length * 2)).fill(-1)
      eoi.set(this.eoi)
      this.eoi = eoi
    }
    return id
  }

  private flush(): void {
    this.kernels = []
    this.prevKinds = []
    this.ids.clear()
    this.trans.fill(-1)
    this.eoi.fill(-1)
  }
}

/** Neighbour kind of the code unit at `i` (EDGE outside the text). */
export function kindAt(text: string, i: number, alpha: Alphabet): number {
  if (i < 0 || i >= text.length) return EDGE
  return alpha.kind[alpha.classOf[text.charCodeAt(i)]]
}
