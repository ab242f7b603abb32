/**
 * The shape of the bundled model catalog. Every figure is nullable on
 * purpose: when a fact is not known we store null and the UI shows "—",
 * never a guess.
 */

/** `production` and `preview` are callable; `deprecated` models have (or had) a retirement date. */
export type ModelStatus = 'production' | 'preview' | 'deprecated'

/** Where a fact comes from, so the UI can say how much to trust it. */
export type FactSource = 'official' | 'third-party' | 'seed'

export interface TierFigure {
  /** Free tier; null when not published. */
  free: number | null
  /** Paid (pay-as-you-go) tier; null when not published. */
  paid: number | null
}

export interface SpeedFigure {
  /** Output tokens per second the provider publishes, or the middle of a published range. */
  publishedTokensPerSec: number | null
  /** A published range (low, high) when the source gives one. */
  range?: readonly [number, number]
  /** An independent measurement, when one exists. */
  measuredTokensPerSec?: number
  measuredBy?: string
  source: FactSource
}

export interface Pricing {
  /** USD per 1M input tokens. */
  inputPer1M: number | null
  /** USD per 1M output tokens. */
  outputPer1M: number | null
  source: FactSource
}

export type Capability =
  | 'chat'
  | 'streaming'
  | 'tools'
  | 'json_schema'
  | 'reasoning'
  /** `reasoning_effort` low/medium/high. */
  | 'reasoning_effort'

export interface Deprecation {
  /** The day the model stops answering (ISO date, yyyy-mm-dd); null when retired on an unpublished date. */
  retiresOn: string | null
  /** The model to move to. */
  replacement: string
  source: FactSource
}

export interface CatalogModel {
  id: string
  /** Human name for lists. */
  name: string
  status: ModelStatus
  /** Set when status is `deprecated`. */
  deprecation?: Deprecation
  /** Served only on dedicated capacity, not on the shared endpoints. */
  dedicatedOnly?: boolean
  contextLength: TierFigure
  maxOutputTokens: TierFigure
  speed: SpeedFigure
  pricing: Pricing
  capabilities: readonly Capability[]
  /** Other spellings seen in configs and docs (e.g. `llama3.3-70b`). */
  aliases?: readonly string[]
  /** Anything the numbers above cannot say. */
  note?: string
}

export interface CatalogSnapshot {
  /** The day the facts were gathered (yyyy-mm-dd). */
  date: string
  /** What the snapshot was built from. */
  basis: string
  models: readonly CatalogModel[]
}
