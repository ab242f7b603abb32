import type { Ranges } from './charset'
import { type RegexNode, RegexSyntaxError } from './parse'

/**
 * Thompson NFA built from the parsed pattern. States live in parallel arrays
 * so the lazy DFA can walk them without allocating.
 */
export const enum Op {
  Char = 0,
  Split = 1,
  Assert = 2,
  Match = 3,
  Eps = 4,
}

export const enum AssertKind {
  Bol = 0,
  Eol = 1,
  WordB = 2,
  NotWordB = 3,
}

export interface Nfa {
  op: number[]
  /** Char: set index; Assert: AssertKind. */
  arg: number[]
  out: number[]
  out2: number[]
  sets: Ranges[]
  start: number
}

/** An automaton bigger than this is refused; it would be slow to build and to run. */
export const MAX_NFA_STATES = 20_000

const ASSERT_KIND: Record<string, AssertKind> = { bol: AssertKind.Bol, eol: AssertKind.Eol, wordb: AssertKind.WordB, nwordb: AssertKind.NotWordB }

/** Build an NFA; `reverse` builds the automaton of the mirrored language (for finding match starts). */
export function buildNfa(ast: RegexNode, reverse: boolean): Nfa {
  const nfa: Nfa = { op: [], arg: [], out: [], out2: [], sets: [], start: 0 }
  const setIndex = new Map<string, number>()

  const add = (op: Op, arg = -1, out = -1, out2 = -1): number => {
    if (nfa.op.length >= MAX_NFA_STATES) {
      throw new RegexSyntaxError(`pattern is too large (more than ${MAX_NFA_STATES} automaton states)`, 0)
    }
    nfa.op.push(op)
    nfa.arg.push(arg)
    nfa.out.push(out)
    nfa.out2.push(out2)
    return nfa.op.length - 1
  }

  // Each fragment has an entry state and a list of dangling exits to patch.
  type Frag = { start: number; exits: number[] } // exits encode state*2 + (0 = out, 1 = out2)
  const patch = (exits: number[], target: number) => {
    for (const e of exits) {
      if (e & 1) nfa.out2[e >> 1] = target
      else nfa.out[e >> 1] = target
    }
  }

  const compile = (node: RegexNode): Frag => {
    switch (node.type) {
      case 'empty': {
        const s = add(Op.Eps)
        return { start: s, exits: [s * 2] }
      }
      case 'set': {
        const key = node.ranges.join(',')
        let idx = setIndex.get(key)
        if (idx === undefined) {
          idx = nfa.sets.length
          nfa.sets.push(node.ranges)
          setIndex.set(key, idx)
        }
        const s = add(Op.Char, idx)
        return { start: s, exits: [s * 2] }
      }
      case 'assert': {
        const s = add(Op.Assert, ASSERT_KIND[node.kind])
        return { start: s, exits: [s * 2] }
      }
      case 'concat': {
        const items = reverse ? [...node.items].reverse() : node.items
        let first: Frag | undefined
        let prev: Frag | undefined
        for (const item of items) {
          const f = compile(item)
          if (prev) patch(prev.exits, f.start)
          else first = f
          prev = f
        }
        return { start: first!.start, exits: prev!.exits }
      }
      case 'alt': {
        const frags = node.items.map(compile)
        let start = frags[frags.length - 1].start
        for (let i = frags.length - 2; i >= 0; i--) start = add(Op.Split, -1, frags[i].start, start)
        return { start, exits: frags.flatMap((f) => f.exits) }
      }
      case 'repeat': {
        const { min, max } = node
        let first: Frag | undefined
        let prev: Frag | undefined
        const chain = (f: Frag) => {
          if (prev) patch(prev.exits, f.start)
          else first = f
          prev = f
        }
        for (let i = 0; i < min; i++) chain(compile(node.body))
        if (max === Infinity) {
          const body = compile(node.body)
          const loop = add(Op.Split, -1, body.start)
          patch(body.exits, loop)
          chain({ start: loop, exits: [loop * 2 + 1] })
        } else {
          // Optional copies: x? x? … nested so a skip ends the repetition.
          const skips: number[] = []
          for (let i = min; i < max; i++) {
            const body = compile(node.body)
            const split = add(Op.Split, -1, body.start)
            skips.push(split * 2 + 1)
            chain({ start: split, exits: body.exits })
          }
          if (prev && skips.length) prev = { start: prev.start, exits: [...prev.exits, ...skips] }
        }
        if (!first) {
          const s = add(Op.Eps)
          return { start: s, exits: [s * 2] }
        }
        return { start: first.start, exits: prev!.exits }
      }
    }
  }

  const frag = compile(ast)
  const match = add(Op.Match)
  patch(frag.exits, match)
  nfa.start = frag.start
  return nfa
}
