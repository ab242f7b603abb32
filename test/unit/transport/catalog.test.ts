import {
  callableModels,
  canonicalModelId,
  CATALOG_SNAPSHOT,
  deprecationInfo,
  estimateCostUsd,
  findModel,
  pricePerToken,
  suggestReplacement,
} from '@shared/catalog'
import { describe, expect, it } from 'vitest'

describe('the bundled model catalog', () => {
  it('is dated and internally consistent', () => {
    expect(CATALOG_SNAPSHOT.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const ids = CATALOG_SNAPSHOT.models.map((m) => m.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const m of CATALOG_SNAPSHOT.models) {
      expect(m.status === 'deprecated').toBe(m.deprecation !== undefined)
      if (m.deprecation) expect(findModel(m.deprecation.replacement)).toBeDefined()
    }
  })

  it('holds the published facts for gpt-oss-120b', () => {
    const m = findModel('gpt-oss-120b')!
    expect(m.status).toBe('production')
    expect(m.contextLength).toEqual({ free: 65_536, paid: 131_072 })
    expect(m.maxOutputTokens).toEqual({ free: 32_768, paid: 40_960 })
    expect(m.pricing).toMatchObject({ inputPer1M: 0.35, outputPer1M: 0.75 })
    expect(m.speed.publishedTokensPerSec).toBe(3000)
    expect(m.capabilities).toContain('reasoning_effort')
  })

  it('finds aliases and canonical ids', () => {
    expect(findModel('llama3.3-70b')?.id).toBe('llama-3.3-70b')
    expect(canonicalModelId('LLAMA-4-SCOUT')).toBe('llama-4-scout-17b-16e-instruct')
    expect(canonicalModelId('not-a-model')).toBe('not-a-model')
  })

  it('says whether a deprecation is still ahead or already past', () => {
    expect(deprecationInfo('llama3.1-8b', new Date('2026-05-20T12:00:00Z'))).toMatchObject({ state: 'scheduled', daysLeft: 7, replacement: 'gpt-oss-120b' })
    const past = deprecationInfo('llama3.1-8b', new Date('2026-11-21T00:00:00Z'))!
    expect(past.state).toBe('retired')
    expect(past.message).toBe('llama3.1-8b was retired on 2026-05-27; use gpt-oss-120b instead.')
    expect(deprecationInfo('llama3.1-70b')).toMatchObject({ state: 'retired', retiresOn: null })
    expect(deprecationInfo('gpt-oss-120b')).toBeUndefined()
  })

  it('suggests a replacement the key can actually call', () => {
    expect(suggestReplacement('zai-glm-4.6')).toBe('zai-glm-4.7')
    expect(suggestReplacement('zai-glm-4.6', ['gpt-oss-120b', 'fake-fast'])).toBe('gpt-oss-120b')
    expect(suggestReplacement('qwen-3-coder-480b', ['zai-glm-4.7', 'gpt-oss-120b'])).toBe('zai-glm-4.7')
    expect(suggestReplacement('llama3.3-70b')).toBe('gpt-oss-120b')
    expect(suggestReplacement('something-new', ['only-this'])).toBe('only-this')
    expect(suggestReplacement('x', [])).toBeUndefined()
  })

  it('prices calls, and refuses to guess an unknown price', () => {
    const gpt = findModel('gpt-oss-120b')!
    expect(pricePerToken(gpt).input).toBeCloseTo(3.5e-7, 12)
    expect(estimateCostUsd(gpt, 1_000_000, 1_000_000)).toBeCloseTo(1.1, 9)
    expect(estimateCostUsd(findModel('qwen-3.8-27b')!, 10, 10)).toBeNull()
  })

  it('lists the models callable on a date, fastest first, without dedicated-only ones', () => {
    const ids = callableModels(new Date('2026-11-21T00:00:00Z')).map((m) => m.id)
    expect(ids[0]).toBe('gpt-oss-120b')
    expect(ids).toContain('zai-glm-4.7')
    expect(ids).not.toContain('gemma-4-31b')
    expect(ids).not.toContain('llama3.1-8b')
    expect(callableModels(new Date('2026-01-01T00:00:00Z')).map((m) => m.id)).toContain('llama3.1-8b')
  })
})
