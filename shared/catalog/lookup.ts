import { CATALOG_SNAPSHOT } from './snapshot'
import type { CatalogModel, CatalogSnapshot } from './types'

/** Browser-safe helpers over the bundled catalog (or any snapshot passed in). */

const DAY_MS = 86_400_000

function normalise(id: string): string {
  return id.trim().toLowerCase()
}

/** The catalog entry for an id or a known alias, or undefined. */
export function findModel(id: string, snapshot: CatalogSnapshot = CATALOG_SNAPSHOT): CatalogModel | undefined {
  const want = normalise(id)
  return snapshot.models.find((m) => m.id === want || m.aliases?.includes(want))
}

/** The canonical id for an alias (`llama3.3-70b` → `llama-3.3-70b`); unknown ids come back unchanged. */
export function canonicalModelId(id: string, snapshot: CatalogSnapshot = CATALOG_SNAPSHOT): string {
  return findModel(id, snapshot)?.id ?? id
}

export interface DeprecationInfo {
  id: string
  /** `scheduled`: still callable until the date; `retired`: gone. */
  state: 'scheduled' | 'retired'
  /** yyyy-mm-dd, or null when the retirement date was not published. */
  retiresOn: string | null
  /** Whole days until retirement (negative once past); null without a date. */
  daysLeft: number | null
  replacement: string
  /** One sentence for a banner or a lint message. */
  message: string
}

/** Start of a yyyy-mm-dd day in UTC. */
function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`)
}

/**
 * Whether a model is deprecated as of `today`, and what to use instead.
 * Undefined for models the catalog does not list as deprecated.
 */
export function deprecationInfo(id: string, today: Date = new Date(), snapshot: CatalogSnapshot = CATALOG_SNAPSHOT): DeprecationInfo | undefined {
  const model = findModel(id, snapshot)
  if (!model?.deprecation) return undefined
  const { retiresOn, replacement } = model.deprecation
  const daysLeft = retiresOn === null ? null : Math.ceil((dayStart(retiresOn) - today.getTime()) / DAY_MS)
  const retired = daysLeft === null || daysLeft <= 0
  const message = retired
    ? `${model.id} was retired${retiresOn ? ` on ${retiresOn}` : ''}; use ${replacement} instead.`
    : `${model.id} will be retired on ${retiresOn} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left); move to ${replacement}.`
  return { id: model.id, state: retired ? 'retired' : 'scheduled', retiresOn, daysLeft, replacement, message }
}

/**
 * The model to suggest instead of `id` (a retired, misspelt or inaccessible
 * one). Prefers the catalog's named replacement, following chains of
 * replacements; when `available` (the ids this key can call) is given, the
 * suggestion is one of them if at all possible.
 */
export function suggestReplacement(id: string, available?: readonly string[], snapshot: CatalogSnapshot = CATALOG_SNAPSHOT): string | undefined {
  const callable = available ? new Set(available.map(normalise)) : undefined
  const usable = (candidate: string) => (callable ? callable.has(candidate) : isCallable(candidate, snapshot))

  const seen = new Set<string>()
  let current = findModel(id, snapshot)
  if (current && current.id !== normalise(id) && usable(current.id) && current.status !== 'deprecated') return current.id
  while (current?.deprecation && !seen.has(current.id)) {
    seen.add(current.id)
    const next = current.deprecation.replacement
    if (usable(next)) return next
    current = findModel(next, snapshot)
  }
  // Nothing named fits: the fastest production model that can be called.
  const fallback = [...snapshot.models]
    .filter((m) => m.status === 'production' && !m.dedicatedOnly && m.id !== normalise(id) && usable(m.id))
    .sort((a, b) => (b.speed.publishedTokensPerSec ?? 0) - (a.speed.publishedTokensPerSec ?? 0))[0]
  if (fallback) return fallback.id
  return callable ? [...callable].find((c) => c !== normalise(id)) : undefined
}

function isCallable(id: string, snapshot: CatalogSnapshot): boolean {
  const m = findModel(id, snapshot)
  return !!m && m.status !== 'deprecated' && !m.dedicatedOnly
}

/** USD per token, for cost = tokens × price. Null when the price is not known. */
export function pricePerToken(model: CatalogModel): { input: number | null; output: number | null } {
  return {
    input: model.pricing.inputPer1M === null ? null : model.pricing.inputPer1M / 1_000_000,
    output: model.pricing.outputPer1M === null ? null : model.pricing.outputPer1M / 1_000_000,
  }
}

/** Cost in USD of one call, or null if either price is unknown. */
export function estimateCostUsd(model: CatalogModel, promptTokens: number, completionTokens: number): number | null {
  const p = pricePerToken(model)
  if (p.input === null || p.output === null) return null
  return promptTokens * p.input + completionTokens * p.output
}

/** The context window on a tier; null when that tier's figure is not published. */
export function contextLimit(model: CatalogModel, tier: 'free' | 'paid'): number | null {
  return model.contextLength[tier]
}

/** Models that can be called today (not retired, not dedicated-only), fastest first. */
export function callableModels(today: Date = new Date(), snapshot: CatalogSnapshot = CATALOG_SNAPSHOT): CatalogModel[] {
  return snapshot.models
    .filter((m) => !m.dedicatedOnly && deprecationInfo(m.id, today, snapshot)?.state !== 'retired')
    .sort((a, b) => (b.speed.publishedTokensPerSec ?? 0) - (a.speed.publishedTokensPerSec ?? 0))
}
