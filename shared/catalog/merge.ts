import type { AccessibleModel, PublicModel } from '../ipc/domains/models'
import { canonicalModelId, findModel, suggestReplacement } from './lookup'
import type { PricingOverrides } from './overrides'
import type { CatalogModel, CatalogSnapshot, ModelStatus } from './types'

/**
 * One table of models from three dated sources: the bundled snapshot, the
 * public catalog (GET /public/v1/models) and the key's own list
 * (GET /v1/models). Each figure remembers where it came from and when. Where
 * two sources give different values for the same figure, the newest source
 * wins and the row records the disagreement, so the UI can say "the public
 * catalog (today) says 131,072; the bundled snapshot (2026-11-21) said 65,536".
 * The user's pricing overrides are not a dated source: they always win and
 * are always marked as the user's.
 */

export type SourceId = 'snapshot' | 'public' | 'account' | 'user'

export interface SourceInfo {
  id: SourceId
  label: string
  /** When the facts were gathered or fetched (epoch ms); null for the user's own entries. */
  asOf: number | null
  /** Where the facts came from (a URL, or the snapshot's basis). */
  where: string
  /** How many models it lists. */
  models: number
  /** Served from a cache rather than fetched for this call. */
  fromCache?: boolean
}

export interface Fact<T> {
  value: T
  from: SourceId
  /** Epoch ms of the source, or null for the user's own figure. */
  asOf: number | null
}

export type MergedField = 'name' | 'status' | 'availability' | 'contextLength.paid' | 'maxOutput.paid' | 'pricing.input' | 'pricing.output' | 'capabilities'

export interface Disagreement {
  field: MergedField
  /** The value shown: the newest source's. */
  chosen: Fact<unknown>
  /** What older sources said instead. */
  others: Fact<unknown>[]
}

export type CapabilityFlag = 'tools' | 'json_schema' | 'reasoning'
export const CAPABILITY_FLAGS: readonly CapabilityFlag[] = ['tools', 'json_schema', 'reasoning']

export interface ModelDeprecation {
  /**
   * `scheduled`: retirement announced for a future day. `retired`: the day has
   * passed (or the model is gone on an unpublished date). `past-due`: the day
   * has passed but a newer live list still has the model. `flagged`: a live
   * source marks it deprecated and no date is known.
   */
  state: 'scheduled' | 'retired' | 'past-due' | 'flagged'
  retiresOn: string | null
  /** Whole days until retirement (negative once past); null without a date. */
  daysLeft: number | null
  /** Within 30 days of retirement. */
  soon: boolean
  replacement: string | null
  /** One sentence for a warning next to a model picker. */
  message: string
}

export interface MergedModel {
  /** The id to call: the live lists' spelling when they have one, else the snapshot's. */
  id: string
  /** The snapshot's canonical id (the same as `id` for most models). */
  canonicalId: string
  name: Fact<string>
  status: Fact<ModelStatus> | null
  deprecation: ModelDeprecation | null
  /** Whether this key can call it: listed by GET /v1/models, not listed, or unknown (no list). */
  access: 'listed' | 'not-listed' | 'unknown'
  dedicatedOnly: boolean
  contextLength: { free: Fact<number> | null; paid: Fact<number> | null }
  maxOutput: { free: Fact<number> | null; paid: Fact<number> | null }
  speed: {
    /** The provider's published output tokens/s. */
    published: Fact<number> | null
    /** An independent measurement, when the snapshot has one. */
    independent: { tokensPerSec: number; by: string } | null
  }
  pricing: {
    input: Fact<number> | null
    output: Fact<number> | null
    /** Either price is the user's override. */
    userOverride: boolean
    overrideNote?: string
  }
  capabilities: Fact<CapabilityFlag[]> | null
  /** Which sources list this model at all. */
  listedBy: SourceId[]
  disagreements: Disagreement[]
  note?: string
}

export interface MergeInput {
  snapshot: CatalogSnapshot
  publicList?: { source: string; fetchedAt: number; fromCache?: boolean; models: readonly PublicModel[] } | null
  accountList?: { source: string; fetchedAt: number; fromCache?: boolean; models: readonly AccessibleModel[] } | null
  overrides?: PricingOverrides
  /** Epoch ms; decides what is retired and what is soon. */
  now: number
}

export interface MergedCatalog {
  sources: SourceInfo[]
  models: MergedModel[]
}

const DAY_MS = 86_400_000
export const SOON_DAYS = 30

/** Start of a yyyy-mm-dd day in UTC. */
export function dayStartUtc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`)
}

/** Public capability names, including the spellings other catalogs use, to our flags. */
const CAPABILITY_ALIASES: Record<string, CapabilityFlag> = {
  tools: 'tools',
  tool_calling: 'tools',
  function_calling: 'tools',
  functions: 'tools',
  json_schema: 'json_schema',
  structured_outputs: 'json_schema',
  structured_output: 'json_schema',
  response_format: 'json_schema',
  reasoning: 'reasoning',
  thinking: 'reasoning',
}

export function capabilityFlags(names: readonly string[]): CapabilityFlag[] {
  const set = new Set<CapabilityFlag>()
  for (const n of names) {
    const flag = CAPABILITY_ALIASES[n.toLowerCase()]
    if (flag) set.add(flag)
  }
  return CAPABILITY_FLAGS.filter((f) => set.has(f))
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i])
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= Math.max(Math.abs(a), Math.abs(b)) * 1e-9
  return a === b
}

/**
 * The newest of the candidates (nulls are "this source does not say" and do
 * not count), plus a disagreement when an older source said something else.
 * Equal dates favour the later candidate in the list, which is the live one.
 */
function newest<T>(field: MergedField, candidates: Array<Fact<T | null> | null>, out: Disagreement[]): Fact<T> | null {
  const known = candidates.filter((c): c is Fact<T> => !!c && c.value !== null && c.value !== undefined)
  if (known.length === 0) return null
  let chosen = known[0]
  for (const c of known.slice(1)) if ((c.asOf ?? Infinity) >= (chosen.asOf ?? Infinity)) chosen = c
  const others = known.filter((c) => c !== chosen && !sameValue(c.value, chosen.value))
  if (others.length) out.push({ field, chosen, others })
  return chosen
}

function publicStatus(m: PublicModel): ModelStatus {
  return m.deprecated ? 'deprecated' : m.preview ? 'preview' : 'production'
}

function tierFact(value: number | null, asOf: number): Fact<number> | null {
  return value === null ? null : { value, from: 'snapshot', asOf }
}

interface Gathered {
  key: string
  snap?: CatalogModel
  pub?: PublicModel
  acct?: AccessibleModel
}

export function mergeCatalog(input: MergeInput): MergedCatalog {
  const { snapshot, publicList, accountList, overrides = {}, now } = input
  const snapAt = dayStartUtc(snapshot.date)
  const pubAt = publicList?.fetchedAt ?? null
  const acctAt = accountList?.fetchedAt ?? null

  const sources: SourceInfo[] = [
    { id: 'snapshot', label: `Bundled snapshot (${snapshot.date})`, asOf: snapAt, where: snapshot.basis, models: snapshot.models.length },
  ]
  if (publicList) {
    sources.push({
      id: 'public',
      label: 'Public catalog',
      asOf: publicList.fetchedAt,
      where: publicList.source,
      models: publicList.models.length,
      fromCache: publicList.fromCache,
    })
  }
  if (accountList) {
    sources.push({
      id: 'account',
      label: "Your key's model list",
      asOf: accountList.fetchedAt,
      where: accountList.source,
      models: accountList.models.length,
      fromCache: accountList.fromCache,
    })
  }
  const overrideIds = Object.keys(overrides)
  if (overrideIds.length) {
    sources.push({ id: 'user', label: 'Your pricing overrides', asOf: null, where: 'Entered in this app', models: overrideIds.length })
  }

  // Gather every id under its canonical spelling, so an alias and its model share a row.
  const rows = new Map<string, Gathered>()
  const row = (id: string) => {
    const key = canonicalModelId(id, snapshot)
    let g = rows.get(key)
    if (!g) rows.set(key, (g = { key }))
    return g
  }
  for (const m of snapshot.models) row(m.id).snap = m
  for (const m of publicList?.models ?? []) row(m.id).pub = m
  for (const m of accountList?.models ?? []) row(m.id).acct = m

  const accountIds = accountList ? accountList.models.map((m) => m.id) : undefined
  const models: MergedModel[] = []
  for (const g of rows.values()) {
    const { snap, pub, acct } = g
    const disagreements: Disagreement[] = []
    const id = acct?.id ?? pub?.id ?? snap?.id ?? g.key

    // Display names differ in spelling between sources ("gpt-oss 120B" vs "GPT OSS 120B"); that is not a disagreement worth a note.
    const name = newest<string>(
      'name',
      [snap ? { value: snap.name, from: 'snapshot', asOf: snapAt } : null, pub ? { value: pub.name, from: 'public', asOf: pubAt } : null],
      [],
    ) ?? { value: id, from: acct ? 'account' : 'snapshot', asOf: acct ? acctAt : snapAt }

    const status = newest<ModelStatus>(
      'status',
      [snap ? { value: snap.status, from: 'snapshot', asOf: snapAt } : null, pub ? { value: publicStatus(pub), from: 'public', asOf: pubAt } : null],
      disagreements,
    )

    const deprecation = deprecationFor({ snap, pub, acct, status, now, snapAt, pubAt, acctAt, id, accountIds, snapshot, disagreements })

    const contextPaid = newest<number>(
      'contextLength.paid',
      [
        snap ? tierFact(snap.contextLength.paid, snapAt) : null,
        // The public catalog gives one figure without a key: the model's full window, which is the paid tier's.
        pub ? { value: pub.contextLength, from: 'public', asOf: pubAt } : null,
      ],
      disagreements,
    )
    const outputPaid = newest<number>(
      'maxOutput.paid',
      [snap ? tierFact(snap.maxOutputTokens.paid, snapAt) : null, pub ? { value: pub.maxCompletionTokens, from: 'public', asOf: pubAt } : null],
      disagreements,
    )

    const override = overrides[id] ?? overrides[g.key]
    const priceOf = (field: 'pricing.input' | 'pricing.output'): Fact<number> | null => {
      const snapValue = snap ? (field === 'pricing.input' ? snap.pricing.inputPer1M : snap.pricing.outputPer1M) : null
      const pubValue = pub ? (field === 'pricing.input' ? pub.promptPer1M : pub.completionPer1M) : null
      const published = newest<number>(
        field,
        [snap ? { value: snapValue, from: 'snapshot', asOf: snapAt } : null, pub ? { value: pubValue, from: 'public', asOf: pubAt } : null],
        disagreements,
      )
      const mine = override ? (field === 'pricing.input' ? override.inputPer1M : override.outputPer1M) : null
      return mine === null ? published : { value: mine, from: 'user', asOf: null }
    }
    const input = priceOf('pricing.input')
    const output = priceOf('pricing.output')

    const capabilities = newest<CapabilityFlag[]>(
      'capabilities',
      [
        snap ? { value: capabilityFlags(snap.capabilities), from: 'snapshot', asOf: snapAt } : null,
        // An empty public list means "not reported", not "can do nothing".
        pub && pub.capabilities.length ? { value: capabilityFlags(pub.capabilities), from: 'public', asOf: pubAt } : null,
      ],
      disagreements,
    )

    const listedBy: SourceId[] = []
    if (snap) listedBy.push('snapshot')
    if (pub) listedBy.push('public')
    if (acct) listedBy.push('account')

    models.push({
      id,
      canonicalId: g.key,
      name,
      status,
      deprecation,
      access: accountList ? (acct ? 'listed' : 'not-listed') : 'unknown',
      dedicatedOnly: snap?.dedicatedOnly ?? false,
      contextLength: { free: snap ? tierFact(snap.contextLength.free, snapAt) : null, paid: contextPaid },
      maxOutput: { free: snap ? tierFact(snap.maxOutputTokens.free, snapAt) : null, paid: outputPaid },
      speed: {
        published: snap?.speed.publishedTokensPerSec != null ? { value: snap.speed.publishedTokensPerSec, from: 'snapshot', asOf: snapAt } : null,
        independent:
          snap?.speed.measuredTokensPerSec != null ? { tokensPerSec: snap.speed.measuredTokensPerSec, by: snap.speed.measuredBy ?? 'independent' } : null,
      },
      pricing: {
        input,
        output,
        userOverride: input?.from === 'user' || output?.from === 'user',
        ...(override?.note ? { overrideNote: override.note } : {}),
      },
      capabilities,
      listedBy,
      disagreements,
      ...(snap?.note ? { note: snap.note } : {}),
    })
  }

  models.sort(compareForListing)
  return { sources, models }
}

const STATUS_ORDER: Record<ModelStatus, number> = { production: 0, preview: 1, deprecated: 2 }

/**
 * Callable models first (production, then preview), retired ones last; then by id, compared as plain strings (model
 * ids are lowercase ASCII): the renderer merges the catalog while it starts, and the first localeCompare of a page
 * builds ICU's collator, 13–30 ms of start-up (startup bench).
 */
function compareForListing(a: MergedModel, b: MergedModel): number {
  const rank = (m: MergedModel) => (m.deprecation?.state === 'retired' ? 3 : STATUS_ORDER[m.status?.value ?? 'production'])
  return rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

interface DeprecationContext {
  snap?: CatalogModel
  pub?: PublicModel
  acct?: AccessibleModel
  status: Fact<ModelStatus> | null
  now: number
  snapAt: number
  pubAt: number | null
  acctAt: number | null
  id: string
  accountIds?: string[]
  snapshot: CatalogSnapshot
  disagreements: Disagreement[]
}

/**
 * A warning when the model is (or will soon be) going away. The snapshot
 * knows dates and replacements; the live lists know whether the model is
 * still there. A retirement day in the past is contradicted by a newer list
 * that still has the model ("past-due", and the row records it); a live
 * "deprecated" flag without a known date is still a warning ("flagged").
 */
function deprecationFor(ctx: DeprecationContext): ModelDeprecation | null {
  const { snap, pub, acct, status, now, id } = ctx
  const planned = snap?.deprecation
  const retiresOn = planned?.retiresOn ?? null
  // `|| 0` turns the -0 of "later today" into 0.
  const daysLeft = retiresOn === null ? null : Math.ceil((dayStartUtc(retiresOn) - now) / DAY_MS) || 0
  const liveSaysDeprecated = status?.value === 'deprecated' && status.from !== 'snapshot'
  const scheduledAhead = daysLeft !== null && daysLeft > 0

  // The newest status says it is not deprecated, and no future date was announced: no warning.
  if (status?.value !== 'deprecated' && !scheduledAhead) return null
  if (!planned && !liveSaysDeprecated) return null

  const replacement = planned?.replacement ?? suggestReplacement(id, ctx.accountIds, ctx.snapshot) ?? null
  const instead = replacement ? `; use ${replacement} instead` : ''
  const moveTo = replacement ? `; move to ${replacement}` : ''

  if (scheduledAhead) {
    const soon = daysLeft! <= SOON_DAYS
    return {
      state: 'scheduled',
      retiresOn,
      daysLeft,
      soon,
      replacement,
      message: `${id} will be retired on ${retiresOn} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left)${moveTo}.`,
    }
  }

  if (!planned) {
    return {
      state: 'flagged',
      retiresOn: null,
      daysLeft: null,
      soon: true,
      replacement,
      message: `${id} is marked deprecated by the public catalog${instead}.`,
    }
  }

  // The retirement day has passed (or was never published). Does a list newer than the snapshot still have it?
  const stillListed: Fact<boolean>[] = []
  if (acct && (ctx.acctAt ?? 0) > ctx.snapAt) stillListed.push({ value: true, from: 'account', asOf: ctx.acctAt })
  else if (pub && (ctx.pubAt ?? 0) > ctx.snapAt) stillListed.push({ value: true, from: 'public', asOf: ctx.pubAt })
  if (stillListed.length) {
    ctx.disagreements.push({ field: 'availability', chosen: stillListed[0], others: [{ value: false, from: 'snapshot', asOf: ctx.snapAt }] })
    return {
      state: 'past-due',
      retiresOn,
      daysLeft,
      soon: true,
      replacement,
      message: `${id} was due to be retired${retiresOn ? ` on ${retiresOn}` : ''} but is still listed; it may stop answering at any time${instead}.`,
    }
  }
  return {
    state: 'retired',
    retiresOn,
    daysLeft,
    soon: false,
    replacement,
    message: `${id} was retired${retiresOn ? ` on ${retiresOn}` : ''} and answers 404${instead}.`,
  }
}

/** The merged row for an id or alias. */
export function findMerged(catalog: MergedCatalog, id: string, snapshot?: CatalogSnapshot): MergedModel | undefined {
  const want = id.trim().toLowerCase()
  const canonical = snapshot ? (findModel(want, snapshot)?.id ?? want) : want
  return catalog.models.find((m) => m.id === id || m.id === want || m.canonicalId === canonical)
}

/** USD for one call at the row's prices (the user's override first); null when a price is unknown. */
export function callCostUsd(model: Pick<MergedModel, 'pricing'>, promptTokens: number, completionTokens: number): number | null {
  const { input, output } = model.pricing
  if (!input || !output) return null
  return (promptTokens * input.value + completionTokens * output.value) / 1_000_000
}

/** "the public catalog (2026-11-21 14:02)" — for a disagreement or a source badge. */
export function describeFact(f: Fact<unknown>, sources: readonly SourceInfo[]): string {
  const label = sources.find((s) => s.id === f.from)?.label ?? f.from
  return f.asOf === null ? label : `${label}, ${new Date(f.asOf).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
