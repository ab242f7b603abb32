import {
  bestIndices,
  coefficientOfVariation,
  jaccard,
  median,
  outputVariability,
  percentile,
  shingles,
  similarity,
  standardDeviation,
  summarize,
  words,
} from '@shared/stats'
import { describe, expect, it } from 'vitest'

describe('percentiles', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5)
    expect(percentile([4, 1, 3, 2], 0)).toBe(1)
    expect(percentile([4, 1, 3, 2], 100)).toBe(4)
    // rank 0.95 × 19 = 18.05 → 19 + 0.05 × (20 − 19)
    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1)
    expect(percentile(oneToTwenty, 95)).toBeCloseTo(19.05, 10)
    expect(percentile([10, 20], 95)).toBeCloseTo(19.5, 10)
  })

  it('gives the single value for one sample and null for none', () => {
    expect(percentile([7], 95)).toBe(7)
    expect(median([])).toBeNull()
  })

  it('leaves out nulls and NaN instead of counting them as zero', () => {
    expect(median([null, 10, undefined, Number.NaN, 30])).toBe(20)
    expect(summarize([null, null])).toBeNull()
  })

  it('refuses a percentile outside 0–100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError)
    expect(() => percentile([1], -1)).toThrow(RangeError)
  })

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2]
    percentile(values, 50)
    expect(values).toEqual([3, 1, 2])
  })

  it('summarizes min, max, mean, p50, p95 and the sample standard deviation', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9])!
    expect(s.n).toBe(8)
    expect(s.min).toBe(2)
    expect(s.max).toBe(9)
    expect(s.mean).toBe(5)
    expect(s.p50).toBe(4.5)
    expect(s.p95).toBeCloseTo(8.3, 10)
    expect(s.stdev).toBeCloseTo(2.13809, 4)
    expect(summarize([5])!.stdev).toBeNull()
  })

  it('computes the coefficient of variation, undefined for a zero mean or one value', () => {
    expect(standardDeviation([1, 1, 1])).toBe(0)
    expect(coefficientOfVariation([10, 10])).toBe(0)
    expect(coefficientOfVariation([5, 15])).toBeCloseTo((Math.SQRT2 * 5) / 10, 10)
    expect(coefficientOfVariation([1])).toBeNull()
    expect(coefficientOfVariation([-1, 1])).toBeNull()
  })
})

describe('best of several lanes', () => {
  it('picks the lowest time and the highest throughput, all tied lanes included', () => {
    expect(bestIndices([300, 120, 450], 'lower')).toEqual([1])
    expect(bestIndices([900, 2400, 2400, null], 'higher')).toEqual([1, 2])
  })

  it('highlights nothing when fewer than two lanes measured the figure', () => {
    expect(bestIndices([null, 120, undefined], 'lower')).toEqual([])
    expect(bestIndices([], 'higher')).toEqual([])
  })
})

describe('output variability', () => {
  it('tokenises to lower-case words, ignoring punctuation and spacing', () => {
    expect(words('Hello,  World! It’s 42.')).toEqual(['hello', 'world', 'it’s', '42'])
    expect([...shingles(['a', 'b', 'c'])]).toEqual(['a b', 'b c'])
    expect([...shingles(['solo'])]).toEqual(['solo'])
  })

  it('measures Jaccard similarity of word bigrams', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3, 10)
    expect(jaccard(new Set(), new Set())).toBe(1)
    expect(similarity('the cat sat', 'The cat  sat.')).toBe(1)
    expect(similarity('the cat sat', 'a dog ran')).toBe(0)
  })

  it('calls identical answers identical, whatever their spacing', () => {
    const v = outputVariability(['Paris is the capital.', 'paris is the capital', 'Paris  is the capital.'])!
    expect(v.distinct).toBe(1)
    expect(v.meanSimilarity).toBe(1)
    expect(v.dissimilarity).toBe(0)
    expect(v.level).toBe('identical')
    expect(v.lengthCv).toBe(0)
  })

  it('ranks small rewordings below unrelated answers', () => {
    const close = outputVariability([
      'The quick brown fox jumps over the lazy dog near the river bank today',
      'The quick brown fox jumps over the lazy dog near the river bank this morning',
    ])!
    const far = outputVariability(['The capital of France is Paris.', 'I cannot help with that request, sorry.'])!
    expect(close.meanSimilarity).toBeGreaterThan(0.7)
    expect(far.meanSimilarity).toBe(0)
    expect(far.level).toBe('high')
    expect(close.dissimilarity).toBeLessThan(far.dissimilarity)
  })

  it('reports the least similar pair and the spread of lengths', () => {
    const v = outputVariability(['one two three', 'one two three', 'four five six seven eight nine'])!
    expect(v.runs).toBe(3)
    expect(v.distinct).toBe(2)
    expect(v.minSimilarity).toBe(0)
    expect(v.meanSimilarity).toBeCloseTo(1 / 3, 10)
    expect(v.lengthCv).toBeGreaterThan(0.3)
  })

  it('needs at least two answers', () => {
    expect(outputVariability(['only one'])).toBeNull()
  })
})
