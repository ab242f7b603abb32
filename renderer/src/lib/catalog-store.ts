import { CATALOG_SNAPSHOT } from '@shared/catalog'
import { findMerged, mergeCatalog, type MergedCatalog, type MergedModel } from '@shared/catalog/merge'
import type { PricingOverride, PricingOverrides } from '@shared/catalog/overrides'
import type { ModelList, PublicModelList } from '@shared/ipc/domains/models'
import { create } from 'zustand'

import { api } from '../api'
import { describeError } from '../lib/notify'
import { recordRateLimits } from '../stream/ratelimit-store'
import { isDemoActive } from './demo'
import { currentEndpointKey, type MeasuredByEndpoint, type MeasuredModel, measuredOn, summarizeMeasured } from './measured'
import { useAppStore } from './store'
import { setUserPriceLookup } from './tokens/cost'
import { zodWarmed } from './zod-warmed'

/**
 * The merged model catalog the Models and Compare screens (and any model
 * picker) read: the bundled snapshot at once, then the two live lists and
 * the user's pricing overrides and measured speeds as they arrive. Changes
 * a few times a session, so it is an ordinary React store.
 */

export interface CatalogState {
  publicList: PublicModelList | null
  publicError: string | null
  accountList: ModelList | null
  accountError: string | null
  overrides: PricingOverrides
  /** Stored overrides that no longer validated and were left out. */
  overridesDropped: string[]
  /** Every endpoint's measured models (see measured.ts). */
  measuredAll: MeasuredByEndpoint
  /** The endpoint requests go to now (endpointKey), whose figures `measured` holds. */
  measuredKey: string | null
  /** "Measured by you" on the endpoint in use, per model. */
  measured: Record<string, MeasuredModel>
  loading: boolean
  catalog: MergedCatalog
}

const merge = (s: Pick<CatalogState, 'publicList' | 'accountList' | 'overrides'>): MergedCatalog =>
  mergeCatalog({ snapshot: CATALOG_SNAPSHOT, publicList: s.publicList, accountList: s.accountList, overrides: s.overrides, now: Date.now() })

export const useCatalogStore = create<CatalogState>()(() => ({
  publicList: null,
  publicError: null,
  accountList: null,
  accountError: null,
  overrides: {},
  overridesDropped: [],
  measuredAll: {},
  measuredKey: null,
  measured: {},
  loading: false,
  catalog: merge({ publicList: null, accountList: null, overrides: {} }),
}))

function setAndMerge(patch: Partial<CatalogState>): void {
  const next = { ...useCatalogStore.getState(), ...patch }
  useCatalogStore.setState({ ...patch, catalog: merge(next) })
}

let started = false
let inflight: Promise<void> | null = null

/** Load everything once (later calls reuse it); events keep it current afterwards. */
export function ensureCatalogLoaded(): Promise<void> {
  if (!started) {
    started = true
    watchRateLimits()
    api.on('key:changed', () => void refreshCatalog(true))
    // The demo endpoint has its own model list, and its runs are measured apart from real ones.
    api.on('demo:changed', (s) => void refreshCatalog(true, s.active))
    let timer: ReturnType<typeof setTimeout> | null = null
    // Another base URL is another endpoint: its own measured figures.
    useAppStore.subscribe((s, prev) => {
      if (s.settings?.effectiveBaseUrl !== prev.settings?.effectiveBaseUrl) pickMeasured(isDemoActive())
    })
    api.on('history:changed', () => {
      // A batch saves runs in quick succession: re-read measured speeds once they settle.
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => void loadMeasured(), 1500)
    })
    inflight = refreshCatalog(false)
  }
  return inflight ?? Promise.resolve()
}

let watchingLimits = false

/**
 * Rate-limit states from main into the ratelimit store: read once, then
 * kept current by main's events. The status bar's gauges and the catalog
 * both need them; this is the one place they are asked for.
 */
export function watchRateLimits(): void {
  if (watchingLimits) return
  watchingLimits = true
  api.on('ratelimit:changed', (s) => recordRateLimits(s))
  void fetchRateLimits()
}

function fetchRateLimits(): Promise<void> {
  return api.ratelimitGet({}).then(
    ({ states }) => states.forEach(recordRateLimits),
    () => {},
  )
}

/**
 * The user's prices are checked with a zod schema (shared/catalog/overrides.ts), loaded with the catalog's other
 * reads after the first render rather than built while the app starts; zod first, in a task of its own.
 */
const loadOverrides = () => zodWarmed().then(() => import('@shared/catalog/overrides'))

/** Fetch both live lists (force: bypass main's 5-minute cache), overrides, measured speeds and rate limits. */
export async function refreshCatalog(force: boolean, demo = isDemoActive()): Promise<void> {
  useCatalogStore.setState({ loading: true })
  const pub = api.modelsPublic({ force }).then(
    (publicList) => setAndMerge({ publicList, publicError: null }),
    (err) => useCatalogStore.setState({ publicError: describeError(err) }),
  )
  const acct = api.modelsList({ force }).then(
    (accountList) => setAndMerge({ accountList, accountError: null }),
    // Without a key the list cannot be fetched; drop a stale one so "listed" is not claimed.
    (err) => setAndMerge({ accountList: null, accountError: describeError(err) }),
  )
  const overrides = loadOverrides()
    .then(async ({ parsePricingOverrides, PRICING_OVERRIDES_KEY }) => {
      const { value } = await api.stateGet({ key: PRICING_OVERRIDES_KEY })
      const parsed = parsePricingOverrides(value)
      setAndMerge({ overrides: parsed.overrides, overridesDropped: parsed.dropped })
    })
    .catch(() => {})
  // The first states come with watchRateLimits; a forced refresh (another key, the demo) reads them again.
  const limits = force ? fetchRateLimits() : Promise.resolve()
  await Promise.all([pub, acct, overrides, limits, loadMeasured(demo)])
  useCatalogStore.setState({ loading: false })
}

async function loadMeasured(demo = isDemoActive()): Promise<void> {
  try {
    const { points } = await api.historyMetrics({ limit: 5000 })
    useCatalogStore.setState({ measuredAll: summarizeMeasured(points) })
    pickMeasured(demo)
  } catch {
    // History is optional for this screen: no measured column rather than an error.
  }
}

/** Show the figures of the endpoint in use: the demo while it is on, else the configured base URL. */
function pickMeasured(demo: boolean): void {
  const key = currentEndpointKey(useAppStore.getState().settings?.effectiveBaseUrl, demo)
  useCatalogStore.setState((s) => ({ measuredKey: key, measured: measuredOn(s.measuredAll, key) }))
}

/** Save (or with null, remove) the user's price for a model. */
export async function setPricingOverride(model: string, override: Omit<PricingOverride, 'updatedAt'> | null): Promise<void> {
  const current = { ...useCatalogStore.getState().overrides }
  if (override) current[model] = { ...override, updatedAt: new Date().toISOString() }
  else delete current[model]
  const { PRICING_OVERRIDES_KEY } = await loadOverrides()
  await api.stateSet({ key: PRICING_OVERRIDES_KEY, value: current })
  setAndMerge({ overrides: current })
}

/** The merged row for a model id (or alias), if the catalog knows it. */
export function useMergedModel(id: string | null | undefined): MergedModel | undefined {
  return useCatalogStore((s) => (id ? findMerged(s.catalog, id, CATALOG_SNAPSHOT) : undefined))
}

export function mergedModel(id: string): MergedModel | undefined {
  return findMerged(useCatalogStore.getState().catalog, id, CATALOG_SNAPSHOT)
}

// Cost estimates elsewhere (playground, compare) use the user's own prices too.
setUserPriceLookup((id) => {
  const pricing = mergedModel(id)?.pricing
  const own = {
    ...(pricing?.input?.from === 'user' ? { inputPer1M: pricing.input.value } : {}),
    ...(pricing?.output?.from === 'user' ? { outputPer1M: pricing.output.value } : {}),
  }
  return Object.keys(own).length ? own : undefined
})
