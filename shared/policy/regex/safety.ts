import { normalizeRanges, type Ranges, rangesOverlap } from './charset'
import { parseRegex, type RegexFlags, type RegexNode } from './parse'

/**
 * Static checks for constructs that make backtracking engines (PCRE, the
 * JavaScript RegExp, most gateways) take exponential or polynomial time. Our
 * own matcher is linear regardless; these checks exist because the same YAML
 * is meant to run in other gateways too.
 */
export interface RegexHazard {
  /** exponential: nested or ambiguous repetition; polynomial: adjacent overlapping repetitions. */
  severity: 'exponential' | 'polynomial'
  message: string
}

export function analyzeRegexSafety(pattern: string, flags: Partial<RegexFlags> = {}): RegexHazard[] {
  const { ast } = parseRegex(pattern, flags)
  const hazards: RegexHazard[] = []
  visit(ast, hazards)
  return hazards
}

function nullable(node: RegexNode): boolean {
  switch (node.type) {
    case 'empty':
    case 'assert':
      return true
    case 'set':
      return false
    case 'concat':
      return node.items.every(nullable)
    case 'alt':
      return node.items.some(nullable)
    case 'repeat':
      return node.min === 0 || nullable(node.body)
  }
}

function firstChars(node: RegexNode): Ranges {
  switch (node.type) {
    case 'empty':
    case 'assert':
      return []
    case 'set':
      return node.ranges
    case 'concat': {
      const acc: number[] = []
      for (const item of node.items) {
        acc.push(...firstChars(item))
        if (!nullable(item)) break
      }
      return normalizeRanges(acc)
    }
    case 'alt':
      return normalizeRanges(node.items.flatMap(firstChars))
    case 'repeat':
      return firstChars(node.body)
  }
}

function allChars(node: RegexNode): Ranges {
  switch (node.type) {
    case 'empty':
    case 'assert':
      return []
    case 'set':
      return node.ranges
    case 'concat':
    case 'alt':
      return normalizeRanges(node.items.flatMap(allChars))
    case 'repeat':
      return allChars(node.body)
  }
}

const unbounded = (n: RegexNode): n is Extract<RegexNode, { type: 'repeat' }> =>
  n.type === 'repeat' && (n.max === Infinity || n.max >= 32) && !nullableOnlyEmpty(n.body)

/** An outer repetition of 3 or more copies already costs n^3 when its body can trade characters. */
const repeatedEnough = (n: RegexNode): n is Extract<RegexNode, { type: 'repeat' }> => n.type === 'repeat' && n.max >= 3 && !nullableOnlyEmpty(n.body)

/** A body that can only match the empty string cannot cause blow-ups. */
function nullableOnlyEmpty(node: RegexNode): boolean {
  return allChars(node).length === 0
}

/** Unbounded repetitions inside `node`, with what must follow each one inside `node`. */
function innerRepeats(node: RegexNode, out: Array<{ rep: RegexNode; follow: Ranges | null }>, follow: Ranges | null): void {
  switch (node.type) {
    case 'concat':
      node.items.forEach((item, i) => {
        // The first non-nullable item after this one bounds how far an inner repeat can run.
        let f: Ranges | null = follow
        for (let j = i + 1; j < node.items.length; j++) {
          if (!nullable(node.items[j])) {
            f = firstChars(node.items[j])
            break
          }
        }
        innerRepeats(item, out, f)
      })
      return
    case 'alt':
      node.items.forEach((item) => innerRepeats(item, out, follow))
      return
    case 'repeat':
      if (unbounded(node)) out.push({ rep: node, follow })
      innerRepeats(node.body, out, follow)
      return
    default:
      return
  }
}

function visit(node: RegexNode, hazards: RegexHazard[]): void {
  switch (node.type) {
    case 'concat':
      checkAdjacent(node.items, hazards)
      node.items.forEach((n) => visit(n, hazards))
      return
    case 'alt':
      node.items.forEach((n) => visit(n, hazards))
      return
    case 'repeat': {
      if (repeatedEnough(node)) {
        const inner: Array<{ rep: RegexNode; follow: Ranges | null }> = []
        innerRepeats(node.body, inner, null)
        for (const { rep, follow } of inner) {
          // (a+)+ is exponential; (\w+,)+ is not, because ',' ends each inner run.
          const repChars = allChars(rep)
          if (follow === null || rangesOverlap(follow, repChars)) {
            hazards.push({
              severity: 'exponential',
              message: 'nested repetition: a repeated group contains another unbounded repetition over the same characters, e.g. (a+)+',
            })
            break
          }
        }
        const body = node.body
        if (body.type === 'alt') {
          const firsts = body.items.map(firstChars)
          outer: for (let i = 0; i < firsts.length; i++) {
            for (let j = i + 1; j < firsts.length; j++) {
              if (rangesOverlap(firsts[i], firsts[j])) {
                hazards.push({
                  severity: 'exponential',
                  message: 'repeated alternation whose branches can start with the same character, e.g. (a|ab)+',
                })
                break outer
              }
            }
          }
        }
      }
      visit(node.body, hazards)
      return
    }
    default:
      return
  }
}

/** \d+\d+ or .*x.* style: two unbounded runs that can trade characters, only nullable items between. */
function checkAdjacent(items: RegexNode[], hazards: RegexHazard[]): void {
  for (let i = 0; i < items.length; i++) {
    if (!unbounded(items[i])) continue
    const a = allChars(items[i])
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j]
      if (unbounded(b) && rangesOverlap(a, allChars(b))) {
        hazards.push({
          severity: 'polynomial',
          message: 'two unbounded repetitions over overlapping characters in a row (e.g. \\d+\\d+ or \\s*\\s*): slow on long inputs in backtracking engines',
        })
        return
      }
      if (!nullable(b)) break
    }
  }
}
