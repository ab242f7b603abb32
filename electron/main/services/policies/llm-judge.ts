import { createHash } from 'node:crypto'

import { findModel } from '@shared/catalog/lookup'
import { parsePricingOverrides, PRICING_OVERRIDES_KEY } from '@shared/catalog/overrides'
import { usageCostUsd } from '@shared/catalog/usage-cost'
import type { PolicyLlmCheck, PolicyLlmCheckArgs } from '@shared/ipc/domains/policies'
import {
  buildInjectionCheckRequest,
  type ChainResult,
  type ChatRequest as EngineRequest,
  type CompiledChain,
  type InjectionLlmCheck,
  type InjectionLlmInput,
  type InjectionLlmVerdict,
  parseInjectionVerdict,
  type PolicyConfig,
  type PromptInjectionConfig,
  runChainAsync,
} from '@shared/policy'

import type { CerebrasClient, ConnectionConfig } from '../cerebras/cerebras-client'

/**
 * The semantic layer of prompt-injection for the app's own requests: a
 * strict-JSON verdict from a fast Cerebras model (the gateway's
 * `--injection-llm-model` check), called from main with the app's key and
 * endpoint, never from the renderer. Verdicts are cached (LRU keyed by a
 * hash of the model and the checked text, bounded, with a TTL) so the same
 * prompt sent again costs no second call; failures are never cached. The
 * engine (shared/policy chain.runAsync) applies the timeout and on_error.
 * The gateway asks the same judge, through its first Cerebras target, with
 * the same settings (see checkWithJudge).
 */

export interface JudgeUsage {
  prompt_tokens: number
  completion_tokens: number
}

export interface JudgeAnswer {
  content: string
  usage: JudgeUsage | null
}

export interface InjectionJudgeDeps {
  /** One non-streamed completion (main's Cerebras client with the app's connection). */
  complete(body: Record<string, unknown>, signal: AbortSignal, requestId: string): Promise<JudgeAnswer>
  /** USD for the judge's tokens at the model's price; null when unknown. */
  costOf(model: string, usage: JudgeUsage): number | null
  now?: () => number
  /** Cached verdicts kept (default 500). */
  maxEntries?: number
  /** How long a cached verdict is trusted (default 10 minutes). */
  ttlMs?: number
}

interface CacheEntry {
  verdict: InjectionLlmVerdict
  at: number
}

/** A check for one request, and what it cost once it has run. */
export interface JudgeRun {
  check: InjectionLlmCheck
  /** The model, whether the verdict came from the cache, and the tokens and cost of the call (none when cached). */
  info(): Omit<PolicyLlmCheck, 'verdict' | 'latency_ms' | 'confidence' | 'error'> | null
}

export const DEFAULT_JUDGE_CACHE = 500
export const DEFAULT_JUDGE_TTL_MS = 10 * 60_000

export function judgeCacheKey(model: string, messages: InjectionLlmInput['messages']): string {
  const h = createHash('sha256')
  h.update(model)
  for (const m of messages) h.update(`\0${m.index}\0${m.role}\0${m.content}`)
  return h.digest('hex')
}

export class InjectionJudge {
  private readonly cache = new Map<string, CacheEntry>()
  private readonly now: () => number
  private readonly maxEntries: number
  private readonly ttlMs: number
  private calls = 0

  constructor(private readonly deps: InjectionJudgeDeps) {
    this.now = deps.now ?? (() => Date.now())
    this.maxEntries = Math.max(1, deps.maxEntries ?? DEFAULT_JUDGE_CACHE)
    this.ttlMs = deps.ttlMs ?? DEFAULT_JUDGE_TTL_MS
  }

  /** Calls made to the model so far (cache hits excluded). */
  get callCount(): number {
    return this.calls
  }

  get cacheSize(): number {
    return this.cache.size
  }

  private lookup(key: string): InjectionLlmVerdict | null {
    const e = this.cache.get(key)
    if (!e) return null
    this.cache.delete(key)
    if (this.now() - e.at > this.ttlMs) return null
    // Re-inserted: a Map keeps insertion order, so the oldest used is first.
    this.cache.set(key, e)
    return e.verdict
  }

  private store(key: string, verdict: InjectionLlmVerdict): void {
    this.cache.delete(key)
    this.cache.set(key, { verdict, at: this.now() })
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string)
  }

  run(model: string, requestId: string): JudgeRun {
    let info: ReturnType<JudgeRun['info']> = null
    const check: InjectionLlmCheck = async (input) => {
      const key = judgeCacheKey(model, input.messages)
      const hit = this.lookup(key)
      if (hit) {
        info = { model, cached: true, cost_usd: 0 }
        return hit
      }
      this.calls++
      info = { model, cached: false }
      const body = buildInjectionCheckRequest(input, model) as unknown as Record<string, unknown>
      const answer = await this.deps.complete(body, input.signal ?? new AbortController().signal, `${requestId}-llm-check`)
      if (answer.usage) {
        info = { model, cached: false, ...answer.usage, cost_usd: this.deps.costOf(model, answer.usage) }
      }
      const verdict = parseInjectionVerdict(answer.content)
      this.store(key, verdict)
      return verdict
    }
    return { check, info: () => info }
  }
}

/** A policy's llm_check settings (prompt-injection.llm_check in the policy file). */
export type LlmCheckSettings = NonNullable<PromptInjectionConfig['llm_check']>

/**
 * The llm_check that applies to a policy: its prompt-injection's, or none.
 * `model` (the gateway's --injection-llm-model) overrides the model, and
 * turns the check on with the default timeout and on_error when the policy
 * has none.
 */
export function llmCheckSettings(config: PolicyConfig, model?: string): LlmCheckSettings | null {
  const own = (config.policy?.['prompt-injection'] as PromptInjectionConfig | undefined)?.llm_check
  if (model) return { ...own, model }
  return own ?? null
}

/**
 * The semantic check after the lexical chain, for the app's requests and
 * the gateway's alike: when the policy has llm_check, prompt-injection ran
 * and nothing blocked, the chain runs again with the judge (cached, with the
 * policy's timeout and on_error); its verdict, latency, tokens and cost go
 * on the prompt-injection step. Otherwise the lexical result stands.
 */
export async function checkWithJudge(
  chain: CompiledChain,
  request: EngineRequest,
  lexical: ChainResult,
  settings: LlmCheckSettings | null,
  judge: InjectionJudge | null,
  requestId: string,
): Promise<ChainResult> {
  const ran = lexical.policies.some((p) => p.policy === 'prompt-injection' && p.status === 'ran')
  if (!settings || !judge || lexical.blocked || !ran) return lexical
  const onError = settings.on_error ?? 'allow'
  const run = judge.run(settings.model, requestId)
  const result = await runChainAsync(chain, request, 'enforce', {
    requestId,
    llmCheck: run.check,
    llmTimeoutMs: settings.timeout_ms ?? 3000,
    llmOnError: onError,
  })
  const step = result.policies.find((p) => p.policy === 'prompt-injection')
  if (step?.llm) Object.assign(step.llm, { model: settings.model, ...run.info(), on_error: onError })
  return result
}

/** The judge on a Cerebras client and connection (main's with the app's key, or the gateway's first target), priced at the user's override, else the catalog's price. */
export function createInjectionJudge(
  cerebras: { client: CerebrasClient; connection(): Promise<ConnectionConfig> },
  readState?: (key: string) => unknown,
): InjectionJudge {
  return new InjectionJudge({
    async complete(body, signal, requestId) {
      const r = await cerebras.client.complete(await cerebras.connection(), body, { requestId, signal })
      const data = r.data as { choices?: Array<{ message?: { content?: string } }>; usage?: { prompt_tokens?: number; completion_tokens?: number } }
      const u = data.usage
      return {
        content: data.choices?.[0]?.message?.content ?? '',
        usage: u && typeof u.prompt_tokens === 'number' ? { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens ?? 0 } : null,
      }
    },
    costOf(model, usage) {
      const override = readState ? parsePricingOverrides(readState(PRICING_OVERRIDES_KEY)).overrides[model] : undefined
      const catalog = findModel(model)
      return usageCostUsd(
        { inputPer1M: override?.inputPer1M ?? catalog?.pricing.inputPer1M ?? null, outputPer1M: override?.outputPer1M ?? catalog?.pricing.outputPer1M ?? null },
        usage,
      )
    },
  })
}

/**
 * One question from the test bench: the same judge, cache and timeout as
 * enforcement, answered as a record (a failure is a verdict of `error`, not
 * a thrown error), with the call's latency, tokens and cost.
 */
export async function askJudge(judge: InjectionJudge, args: PolicyLlmCheckArgs, requestId: string): Promise<PolicyLlmCheck> {
  const run = judge.run(args.model, requestId)
  const controller = new AbortController()
  const timeoutMs = args.timeout_ms ?? 3000
  const t0 = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const v = await Promise.race([
      run.check({ messages: args.messages, signal: controller.signal }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort()
          reject(new Error(`timed out after ${timeoutMs} ms`))
        }, timeoutMs)
      }),
    ])
    return { verdict: v.verdict, confidence: v.confidence, latency_ms: performance.now() - t0, model: args.model, ...run.info() }
  } catch (err) {
    return { verdict: 'error', latency_ms: performance.now() - t0, error: err instanceof Error ? err.message : String(err), model: args.model, ...run.info() }
  } finally {
    if (timer) clearTimeout(timer)
  }
}
