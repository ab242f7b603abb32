import { createHash } from 'node:crypto'

import type { AccessibleModel, ModelList, PublicModel, PublicModelList } from '@shared/ipc/domains/models'
import { WaferError } from '@shared/ipc/errors'

import { errorFromHttp, networkError, parseErrorBody } from './api-errors'
import type { CerebrasClient, ConnectionConfig } from './cerebras-client'
import { TransportError } from './cerebras-client'
import type { Clock } from './clock'

/**
 * The two live model lists, each cached with the time it was fetched:
 * GET /v1/models (what this key can call; needs the key) and
 * GET /public/v1/models (limits, prices, deprecated/preview; no key).
 */

export const MODEL_LIST_TTL_MS = 5 * 60 * 1000

interface Cached<T> {
  value: T
  fetchedAt: number
}

export interface ModelsServiceDeps {
  client: CerebrasClient
  fetch: typeof fetch
  clock: Pick<Clock, 'wallNow'>
  ttlMs?: number
}

/** `https://api.cerebras.ai/v1` → `https://api.cerebras.ai/public/v1/models`. */
export function publicModelsUrl(baseUrl: string): string {
  const url = new URL(baseUrl.replace(/\/+$/, ''))
  const prefix = url.pathname.replace(/\/v1$/, '')
  url.pathname = `${prefix}/public/v1/models`.replace(/\/{2,}/g, '/')
  url.search = ''
  return url.toString()
}

/** Keys are cached by a fingerprint that is neither the key nor reversible to it. */
function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16)
}

export class ModelsService {
  private readonly accessible = new Map<string, Cached<AccessibleModel[]>>()
  private readonly publicLists = new Map<string, Cached<PublicModel[]>>()
  private readonly inflight = new Map<string, Promise<unknown>>()
  private readonly ttlMs: number

  constructor(private readonly deps: ModelsServiceDeps) {
    this.ttlMs = deps.ttlMs ?? MODEL_LIST_TTL_MS
  }

  async listAccessible(config: ConnectionConfig, opts: { force?: boolean; signal?: AbortSignal } = {}): Promise<ModelList> {
    const source = config.baseUrl.replace(/\/+$/, '')
    const cacheKey = `${source}\n${keyFingerprint(config.apiKey)}`
    const cached = this.accessible.get(cacheKey)
    if (cached && !opts.force && this.fresh(cached)) {
      return { source, fetchedAt: cached.fetchedAt, fromCache: true, models: cached.value }
    }
    const entry = await this.once(`a:${cacheKey}`, async () => {
      let raw: Record<string, unknown>[]
      try {
        raw = await this.deps.client.listModels(config, opts.signal)
      } catch (err) {
        throw toWafer(err, 'the model list')
      }
      const models: AccessibleModel[] = raw
        .filter((m) => typeof m.id === 'string')
        .map((m) => ({
          id: m.id as string,
          created: typeof m.created === 'number' ? m.created : null,
          ownedBy: typeof m.owned_by === 'string' ? m.owned_by : null,
        }))
      const value = { value: models, fetchedAt: this.deps.clock.wallNow() }
      this.accessible.set(cacheKey, value)
      return value
    })
    return { source, fetchedAt: entry.fetchedAt, fromCache: false, models: entry.value }
  }

  /** The cached accessible list, if any, without a request. */
  cachedAccessible(config: ConnectionConfig): AccessibleModel[] | undefined {
    const source = config.baseUrl.replace(/\/+$/, '')
    return this.accessible.get(`${source}\n${keyFingerprint(config.apiKey)}`)?.value
  }

  async listPublic(baseUrl: string, opts: { force?: boolean; signal?: AbortSignal } = {}): Promise<PublicModelList> {
    const source = publicModelsUrl(baseUrl)
    const cached = this.publicLists.get(source)
    if (cached && !opts.force && this.fresh(cached)) {
      return { source, fetchedAt: cached.fetchedAt, fromCache: true, models: cached.value }
    }
    const entry = await this.once(`p:${source}`, async () => {
      let response: Response
      try {
        response = await this.deps.fetch(source, { headers: { accept: 'application/json' }, signal: opts.signal })
      } catch (err) {
        throw networkError(err, 'connect')
      }
      const text = await response.text()
      if (!response.ok) throw errorFromHttp({ status: response.status, body: parseErrorBody(text), model: '(catalog)' })
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        throw new WaferError('upstream', `The public model list at ${source} is not JSON.`)
      }
      const value = { value: parsePublicModels(json), fetchedAt: this.deps.clock.wallNow() }
      this.publicLists.set(source, value)
      return value
    })
    return { source, fetchedAt: entry.fetchedAt, fromCache: false, models: entry.value }
  }

  private fresh(c: Cached<unknown>): boolean {
    return this.deps.clock.wallNow() - c.fetchedAt < this.ttlMs
  }

  /** Concurrent callers share one request. */
  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined
    if (running) return running
    const p = run().finally(() => this.inflight.delete(key))
    this.inflight.set(key, p)
    return p
  }
}

function toWafer(err: unknown, what: string): WaferError {
  if (err instanceof WaferError) return err
  if (err instanceof TransportError) {
    const f = err.failure
    if (f.kind === 'http') return errorFromHttp({ status: f.status, body: f.body, model: '(models)' })
    if (f.kind === 'aborted') return new WaferError('aborted', `Fetching ${what} was stopped.`)
    return networkError(f.cause, 'connect')
  }
  return new WaferError('internal', `Fetching ${what} failed: ${err instanceof Error ? err.message : String(err)}`)
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function per1M(perToken: string | null): number | null {
  if (perToken === null) return null
  const n = Number(perToken)
  return Number.isFinite(n) ? Number((n * 1_000_000).toFixed(6)) : null
}

/** Accepts `{data: [...]}`, `{models: [...]}` or a bare array; skips entries without an id. */
export function parsePublicModels(json: unknown): PublicModel[] {
  const list = Array.isArray(json)
    ? json
    : json && typeof json === 'object'
      ? ((json as Record<string, unknown>).data ?? (json as Record<string, unknown>).models)
      : undefined
  if (!Array.isArray(list)) throw new WaferError('upstream', 'The public model list has no data array.')
  const out: PublicModel[] = []
  for (const item of list) {
    if (!item || typeof item !== 'object') continue
    const m = item as Record<string, unknown>
    if (typeof m.id !== 'string') continue
    const limits = (m.limits ?? {}) as Record<string, unknown>
    const pricing = (m.pricing ?? {}) as Record<string, unknown>
    const prompt = str(pricing.prompt)
    const completion = str(pricing.completion)
    const caps = m.capabilities
    const capabilities = Array.isArray(caps)
      ? caps.filter((c): c is string => typeof c === 'string')
      : caps && typeof caps === 'object'
        ? Object.entries(caps as Record<string, unknown>)
            .filter(([, v]) => v === true)
            .map(([k]) => k)
        : []
    out.push({
      id: m.id,
      name: str(m.name),
      contextLength: num(limits.max_context_length) ?? num(m.context_length),
      maxCompletionTokens: num(limits.max_completion_tokens) ?? num(m.max_output_length),
      pricing: { prompt, completion },
      promptPer1M: per1M(prompt),
      completionPer1M: per1M(completion),
      capabilities,
      deprecated: m.deprecated === true,
      preview: m.preview === true,
    })
  }
  return out
}
