import { CATALOG_SNAPSHOT } from '@shared/catalog/snapshot'
import type { CatalogModel } from '@shared/catalog/types'

/**
 * The models the fake server knows: the live part of the bundled catalog
 * (so the app sees realistic ids, limits and prices), two test models with
 * clearly different speeds for the compare screen, and every retired id,
 * which answers 404 model_not_found as Cerebras does.
 */

export interface FakeModel {
  id: string
  /** Output tokens per second when streaming (before --tps overrides). */
  tokensPerSecond: number
  contextLength: number
  maxCompletionTokens: number
  /** Streams `delta.reasoning` before the content. */
  reasoning: boolean
  /** Streams tool-call arguments in pieces (gpt-oss does; others send them whole). */
  piecewiseToolArgs: boolean
  preview: boolean
  deprecated: boolean
  /** USD per token, as strings, as /public/v1/models publishes them. */
  pricing: { prompt: string; completion: string } | null
  capabilities: Record<string, boolean>
  /** Test-only models keep their speed whatever --tps says. */
  fixedSpeed: boolean
  ownedBy: string
}

/** A fast and a slow model for side-by-side tests. */
export const FAKE_FAST_MODEL = 'fake-fast'
export const FAKE_SLOW_MODEL = 'fake-slow'
/** A retired id the seeds still name; answers 404 model_not_found. */
export const RETIRED_MODEL = 'llama3.1-8b'

const SNAPSHOT_TODAY = new Date(`${CATALOG_SNAPSHOT.date}T00:00:00Z`)

function perToken(per1M: number | null): string | null {
  return per1M === null ? null : (per1M / 1_000_000).toFixed(12).replace(/0+$/, '').replace(/\.$/, '')
}

function isRetired(m: CatalogModel): boolean {
  const d = m.deprecation
  if (!d) return false
  return d.retiresOn === null || Date.parse(`${d.retiresOn}T00:00:00Z`) <= SNAPSHOT_TODAY.getTime()
}

function fromCatalog(m: CatalogModel): FakeModel {
  const prompt = perToken(m.pricing.inputPer1M)
  const completion = perToken(m.pricing.outputPer1M)
  return {
    id: m.id,
    tokensPerSecond: m.speed.publishedTokensPerSec ?? 1500,
    contextLength: m.contextLength.paid ?? m.contextLength.free ?? 65_536,
    maxCompletionTokens: m.maxOutputTokens.paid ?? m.maxOutputTokens.free ?? 16_384,
    reasoning: m.capabilities.includes('reasoning'),
    piecewiseToolArgs: m.id.startsWith('gpt-oss'),
    preview: m.status === 'preview',
    deprecated: m.status === 'deprecated',
    pricing: prompt && completion ? { prompt, completion } : null,
    capabilities: Object.fromEntries(m.capabilities.map((c) => [c, true])),
    fixedSpeed: false,
    ownedBy: m.id.startsWith('gpt-oss') ? 'OpenAI' : m.id.startsWith('zai') ? 'Z.ai' : m.id.startsWith('gemma') ? 'Google' : 'Cerebras',
  }
}

const testModel = (id: string, tokensPerSecond: number): FakeModel => ({
  id,
  tokensPerSecond,
  contextLength: 32_768,
  maxCompletionTokens: 8_192,
  reasoning: false,
  piecewiseToolArgs: false,
  preview: false,
  deprecated: false,
  pricing: { prompt: '0.0000001', completion: '0.0000002' },
  capabilities: { chat: true, streaming: true, tools: true },
  fixedSpeed: true,
  ownedBy: 'Wafer Console tests',
})

export const FAKE_MODELS: FakeModel[] = [
  ...CATALOG_SNAPSHOT.models.filter((m) => !isRetired(m) && !m.dedicatedOnly).map(fromCatalog),
  testModel(FAKE_FAST_MODEL, 3000),
  testModel(FAKE_SLOW_MODEL, 600),
]

export const RETIRED_MODEL_IDS: string[] = CATALOG_SNAPSHOT.models.filter(isRetired).map((m) => m.id)

export function findFakeModel(id: string): FakeModel | undefined {
  return FAKE_MODELS.find((m) => m.id === id)
}
