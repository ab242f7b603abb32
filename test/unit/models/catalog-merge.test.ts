import { CATALOG_SNAPSHOT } from '@shared/catalog'
import { callCostUsd, capabilityFlags, findMerged, mergeCatalog, type MergeInput } from '@shared/catalog/merge'
import { parsePricingOverrides } from '@shared/catalog/overrides'
import type { CatalogModel, CatalogSnapshot } from '@shared/catalog/types'
import type { PublicModel } from '@shared/ipc/domains/models'
import { describe, expect, it } from 'vitest'

const DAY = 86_400_000
const SNAP_DATE = '2026-06-01'
const snapAt = Date.parse(`${SNAP_DATE}T00:00:00Z`)

function model(over: Partial<CatalogModel> & { id: string }): CatalogModel {
  return {
    name: over.id,
    status: 'production',
    contextLength: { free: null, paid: null },
    maxOutputTokens: { free: null, paid: null },
    speed: { publishedTokensPerSec: null, source: 'official' },
    pricing: { inputPer1M: null, outputPer1M: null, source: 'official' },
    capabilities: ['chat', 'streaming'],
    ...over,
  }
}

const snapshot: CatalogSnapshot = {
  date: SNAP_DATE,
  basis: 'test snapshot',
  models: [
    model({
      id: 'fast-1',
      name: 'Fast One',
      contextLength: { free: 65_536, paid: 65_536 },
      maxOutputTokens: { free: 32_768, paid: 32_768 },
      speed: { publishedTokensPerSec: 3000, measuredTokensPerSec: 1800, measuredBy: 'Lab', source: 'official' },
      pricing: { inputPer1M: 0.35, outputPer1M: 0.75, source: 'official' },
      capabilities: ['chat', 'tools', 'reasoning'],
    }),
    model({
      id: 'old-1',
      status: 'deprecated',
      deprecation: { retiresOn: '2026-05-01', replacement: 'fast-1', source: 'official' },
      aliases: ['old1'],
    }),
    model({
      id: 'leaving-1',
      status: 'deprecated',
      deprecation: { retiresOn: '2026-06-20', replacement: 'fast-1', source: 'official' },
    }),
    model({
      id: 'later-1',
      status: 'production',
      deprecation: { retiresOn: '2026-12-31', replacement: 'fast-1', source: 'official' },
    }),
    model({ id: 'tier-billed', pricing: { inputPer1M: null, outputPer1M: null, source: 'official' } }),
  ],
}

function pub(over: Partial<PublicModel> & { id: string }): PublicModel {
  return {
    name: null,
    contextLength: null,
    maxCompletionTokens: null,
    pricing: { prompt: null, completion: null },
    promptPer1M: null,
    completionPer1M: null,
    capabilities: [],
    deprecated: false,
    preview: false,
    ...over,
  }
}

const now = snapAt + 10 * DAY // 2026-06-11

function merge(over: Partial<MergeInput> = {}) {
  return mergeCatalog({ snapshot, now, ...over })
}

const row = (c: ReturnType<typeof merge>, id: string, snap: CatalogSnapshot = snapshot) => {
  const m = findMerged(c, id, snap)
  if (!m) throw new Error(`no row ${id}`)
  return m
}

describe('the three-source catalog merge', () => {
  it('uses the dated snapshot alone when offline, and says where every figure came from', () => {
    const c = merge()
    expect(c.sources).toEqual([expect.objectContaining({ id: 'snapshot', asOf: snapAt, label: `Bundled snapshot (${SNAP_DATE})` })])
    const fast = row(c, 'fast-1')
    expect(fast.contextLength.paid).toEqual({ value: 65_536, from: 'snapshot', asOf: snapAt })
    expect(fast.speed.published?.value).toBe(3000)
    expect(fast.speed.independent).toEqual({ tokensPerSec: 1800, by: 'Lab' })
    expect(fast.capabilities?.value).toEqual(['tools', 'reasoning'])
    expect(fast.access).toBe('unknown')
    expect(fast.disagreements).toEqual([])
  })

  it('lets the newest source win where sources disagree, and records what the older one said', () => {
    const fetchedAt = now - 60_000
    const c = merge({
      publicList: {
        source: 'http://x/public/v1/models',
        fetchedAt,
        models: [
          pub({
            id: 'fast-1',
            contextLength: 131_072,
            maxCompletionTokens: 32_768,
            promptPer1M: 0.35,
            completionPer1M: 0.85,
            capabilities: ['tools', 'json_schema', 'reasoning'],
          }),
        ],
      },
    })
    const fast = row(c, 'fast-1')
    expect(fast.contextLength.paid).toEqual({ value: 131_072, from: 'public', asOf: fetchedAt })
    expect(fast.pricing.output).toEqual({ value: 0.85, from: 'public', asOf: fetchedAt })
    // Same value in both: taken from the newest, but no disagreement.
    expect(fast.pricing.input?.from).toBe('public')
    expect(fast.capabilities?.value).toEqual(['tools', 'json_schema', 'reasoning'])
    const fields = fast.disagreements.map((d) => d.field).sort()
    expect(fields).toEqual(['capabilities', 'contextLength.paid', 'pricing.output'])
    const ctx = fast.disagreements.find((d) => d.field === 'contextLength.paid')!
    expect(ctx.chosen).toEqual({ value: 131_072, from: 'public', asOf: fetchedAt })
    expect(ctx.others).toEqual([{ value: 65_536, from: 'snapshot', asOf: snapAt }])
    // The free-tier figure is only in the snapshot and stays.
    expect(fast.contextLength.free?.value).toBe(65_536)
  })

  it('keeps the snapshot when the live source is older than it', () => {
    const c = merge({
      publicList: { source: 'p', fetchedAt: snapAt - DAY, models: [pub({ id: 'fast-1', contextLength: 8192 })] },
    })
    const fast = row(c, 'fast-1')
    expect(fast.contextLength.paid).toMatchObject({ value: 65_536, from: 'snapshot' })
    expect(fast.disagreements[0]).toMatchObject({ field: 'contextLength.paid', others: [{ value: 8192, from: 'public' }] })
  })

  it('does not count a figure a source leaves out as a disagreement', () => {
    const c = merge({ publicList: { source: 'p', fetchedAt: now, models: [pub({ id: 'fast-1' })] } })
    const fast = row(c, 'fast-1')
    expect(fast.contextLength.paid?.from).toBe('snapshot')
    expect(fast.capabilities?.from).toBe('snapshot')
    expect(fast.disagreements).toEqual([])
  })

  it('marks retired, soon-retiring and announced retirements with their dates and replacements', () => {
    const c = merge()
    const old = row(c, 'old-1')
    expect(old.deprecation).toMatchObject({ state: 'retired', retiresOn: '2026-05-01', daysLeft: -41, replacement: 'fast-1', soon: false })
    expect(old.deprecation!.message).toContain('retired on 2026-05-01')
    const leaving = row(c, 'leaving-1')
    expect(leaving.deprecation).toMatchObject({ state: 'scheduled', retiresOn: '2026-06-20', daysLeft: 9, soon: true, replacement: 'fast-1' })
    expect(leaving.deprecation!.message).toBe('leaving-1 will be retired on 2026-06-20 (9 days left); move to fast-1.')
    // Still production, but its retirement is announced: a warning, not yet "soon".
    const later = row(c, 'later-1')
    expect(later.status?.value).toBe('production')
    expect(later.deprecation).toMatchObject({ state: 'scheduled', soon: false, retiresOn: '2026-12-31' })
    expect(row(c, 'fast-1').deprecation).toBeNull()
  })

  it('counts days to retirement from the given day, flipping to retired on the day itself', () => {
    const onTheDay = merge({ now: Date.parse('2026-06-20T09:00:00Z') })
    expect(row(onTheDay, 'leaving-1').deprecation).toMatchObject({ state: 'retired', daysLeft: 0 })
    const dayBefore = merge({ now: Date.parse('2026-06-19T23:00:00Z') })
    expect(row(dayBefore, 'leaving-1').deprecation).toMatchObject({ state: 'scheduled', daysLeft: 1 })
    expect(row(dayBefore, 'leaving-1').deprecation!.message).toContain('(1 day left)')
  })

  it('says so when a newer list still has a model the snapshot calls retired', () => {
    const fetchedAt = now - 1000
    const c = merge({ accountList: { source: 'http://x/v1', fetchedAt, models: [{ id: 'old-1', created: null, ownedBy: null }] } })
    const old = row(c, 'old-1')
    expect(old.deprecation).toMatchObject({ state: 'past-due', replacement: 'fast-1' })
    expect(old.access).toBe('listed')
    expect(old.disagreements).toContainEqual({
      field: 'availability',
      chosen: { value: true, from: 'account', asOf: fetchedAt },
      others: [{ value: false, from: 'snapshot', asOf: snapAt }],
    })
  })

  it('takes a newer live status over the snapshot, both ways', () => {
    const c = merge({
      publicList: {
        source: 'p',
        fetchedAt: now,
        models: [pub({ id: 'fast-1', deprecated: true }), pub({ id: 'old-1', deprecated: false })],
      },
    })
    const fast = row(c, 'fast-1')
    expect(fast.status).toMatchObject({ value: 'deprecated', from: 'public' })
    expect(fast.deprecation).toMatchObject({ state: 'flagged', retiresOn: null })
    expect(fast.disagreements.find((d) => d.field === 'status')?.others).toEqual([{ value: 'production', from: 'snapshot', asOf: snapAt }])
    // The public catalog (newer) says old-1 is a normal model again: no warning, and the row says why.
    const old = row(c, 'old-1')
    expect(old.status).toMatchObject({ value: 'production', from: 'public' })
    expect(old.deprecation).toBeNull()
    expect(old.disagreements.find((d) => d.field === 'status')?.others[0]).toMatchObject({ value: 'deprecated', from: 'snapshot' })
  })

  it('adds models only the live lists know, and shares a row between an alias and its model', () => {
    const c = merge({
      publicList: { source: 'p', fetchedAt: now, models: [pub({ id: 'brand-new', preview: true, contextLength: 32_000 })] },
      accountList: {
        source: 'a',
        fetchedAt: now,
        models: [
          { id: 'brand-new', created: 1, ownedBy: 'Cerebras' },
          { id: 'old1', created: 1, ownedBy: null },
        ],
      },
    })
    const fresh = row(c, 'brand-new')
    expect(fresh.status).toMatchObject({ value: 'preview', from: 'public' })
    expect(fresh.listedBy).toEqual(['public', 'account'])
    expect(fresh.contextLength.paid?.value).toBe(32_000)
    const aliased = c.models.filter((m) => m.canonicalId === 'old-1')
    expect(aliased).toHaveLength(1)
    expect(aliased[0].id).toBe('old1')
    expect(aliased[0].access).toBe('listed')
    expect(row(c, 'fast-1').access).toBe('not-listed')
  })

  it('lets the user’s pricing override win and marks it as theirs', () => {
    const { overrides } = parsePricingOverrides({
      'tier-billed': { inputPer1M: 0.2, outputPer1M: 0.6, note: 'our contract', updatedAt: '2026-06-10T00:00:00Z' },
      'fast-1': { inputPer1M: null, outputPer1M: 0.5, updatedAt: '2026-06-10T00:00:00Z' },
    })
    const c = merge({ overrides })
    const billed = row(c, 'tier-billed')
    expect(billed.pricing).toMatchObject({ input: { value: 0.2, from: 'user', asOf: null }, userOverride: true, overrideNote: 'our contract' })
    expect(callCostUsd(billed, 1_000_000, 500_000)).toBeCloseTo(0.5, 10)
    const fast = row(c, 'fast-1')
    expect(fast.pricing.input).toMatchObject({ value: 0.35, from: 'snapshot' })
    expect(fast.pricing.output).toMatchObject({ value: 0.5, from: 'user' })
    expect(c.sources.at(-1)).toMatchObject({ id: 'user', models: 2 })
    // No price at all: no cost rather than a zero.
    expect(callCostUsd(row(merge(), 'tier-billed'), 100, 100)).toBeNull()
  })

  it('drops only the stored overrides that no longer validate', () => {
    const parsed = parsePricingOverrides({
      good: { inputPer1M: 1, outputPer1M: 2, updatedAt: 'x' },
      negative: { inputPer1M: -1, outputPer1M: 2, updatedAt: 'x' },
      junk: 'free',
    })
    expect(Object.keys(parsed.overrides)).toEqual(['good'])
    expect(parsed.dropped.sort()).toEqual(['junk', 'negative'])
    expect(parsePricingOverrides(null)).toEqual({ overrides: {}, dropped: [] })
  })

  it('lists callable models first and retired ones last', () => {
    const ids = merge().models.map((m) => m.id)
    expect(ids.indexOf('old-1')).toBe(ids.length - 1)
    expect(ids.indexOf('fast-1')).toBeLessThan(ids.indexOf('leaving-1'))
  })

  it('maps other catalogs’ capability names to the three flags', () => {
    expect(capabilityFlags(['function_calling', 'structured_outputs', 'chat', 'Reasoning'])).toEqual(['tools', 'json_schema', 'reasoning'])
  })

  it('merges the real bundled snapshot without losing a model', () => {
    const c = mergeCatalog({ snapshot: CATALOG_SNAPSHOT, now: Date.parse('2026-11-21T12:00:00Z') })
    expect(c.models).toHaveLength(CATALOG_SNAPSHOT.models.length)
    expect(row(c, 'llama3.3-70b', CATALOG_SNAPSHOT).deprecation).toMatchObject({ state: 'retired', retiresOn: '2026-02-16', replacement: 'gpt-oss-120b' })
    expect(c.models[0].deprecation).toBeNull()
  })
})
