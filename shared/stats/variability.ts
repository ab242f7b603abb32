import { coefficientOfVariation } from './percentiles'

/**
 * How much the answers to the same input differ across repeat runs. Two
 * measures, both cheap enough for twenty long answers: word-bigram Jaccard
 * similarity between every pair of answers (what changed in the wording) and
 * the coefficient of variation of their lengths (whether some answers are
 * much longer than others). Edit distance would be more exact but is
 * quadratic in the answer length.
 */

export type VariabilityLevel = 'identical' | 'low' | 'moderate' | 'high'

export interface OutputVariability {
  runs: number
  /** Answers that differ in their words (case, spacing and punctuation aside). */
  distinct: number
  /** Mean word-bigram Jaccard similarity over all pairs, 0–1 (1 = same wording). */
  meanSimilarity: number
  /** The least similar pair, 0–1. */
  minSimilarity: number
  /** 1 − meanSimilarity: the headline "how much do they vary" figure. */
  dissimilarity: number
  /** Coefficient of variation of the answers' word counts; null if undefined. */
  lengthCv: number | null
  level: VariabilityLevel
}

/** Lower case, words and numbers only, so punctuation and spacing do not count as change. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []
}

/** Word bigrams; a one-word text is its own single shingle, an empty text has none. */
export function shingles(tokens: readonly string[]): Set<string> {
  if (tokens.length === 0) return new Set()
  if (tokens.length === 1) return new Set(tokens)
  const out = new Set<string>()
  for (let i = 0; i + 1 < tokens.length; i++) out.add(`${tokens[i]} ${tokens[i + 1]}`)
  return out
}

/** |A ∩ B| / |A ∪ B|; two empty sets are identical (1). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let shared = 0
  for (const x of small) if (large.has(x)) shared++
  return shared / (a.size + b.size - shared)
}

export function similarity(a: string, b: string): number {
  return jaccard(shingles(words(a)), shingles(words(b)))
}

function levelFor(distinct: number, meanSimilarity: number): VariabilityLevel {
  if (distinct <= 1) return 'identical'
  if (meanSimilarity >= 0.8) return 'low'
  if (meanSimilarity >= 0.45) return 'moderate'
  return 'high'
}

/** Null for fewer than two answers: variability needs something to compare. */
export function outputVariability(outputs: readonly string[]): OutputVariability | null {
  if (outputs.length < 2) return null
  const tokenised = outputs.map(words)
  const sets = tokenised.map(shingles)
  const distinct = new Set(tokenised.map((t) => t.join(' '))).size
  let sum = 0
  let min = 1
  let pairs = 0
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const s = jaccard(sets[i], sets[j])
      sum += s
      min = Math.min(min, s)
      pairs++
    }
  }
  const meanSimilarity = sum / pairs
  return {
    runs: outputs.length,
    distinct,
    meanSimilarity,
    minSimilarity: min,
    dissimilarity: 1 - meanSimilarity,
    lengthCv: coefficientOfVariation(tokenised.map((t) => t.length)),
    level: levelFor(distinct, meanSimilarity),
  }
}
