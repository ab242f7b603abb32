import type { AsyncRunOptions, CompiledChain, RunOptions } from './engine/chain'
import type { ChainResult, ChatRequest as EngineRequest } from './engine/types'

/**
 * The policy chain applied to a real chat request: one behaviour for the
 * app's own requests (electron/main/services/policies) and for the local
 * gateway (electron/main/services/gateway). What the chain reads from a
 * request as it comes over the wire, how its decision changes what is sent,
 * and what verdict an answer's findings give. Browser-safe.
 */

export { type VerdictOrError, verdictSeverity, worseVerdict } from './engine/verdict'

/** What enforcement reads of an OpenAI-style chat body; every other field passes through untouched. */
export interface WireChatRequest {
  model: string
  messages: ReadonlyArray<{ role: string; content?: unknown }>
  max_tokens?: number | null
  max_completion_tokens?: number | null
}

/** The text the chain scans: string content, or the text of its parts joined; null when there is none. */
export function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String((p as { text: unknown }).text) : '')).join('')
  return null
}

/** The request as the chain sees it: each message's text, and the output limit the client asked for. */
export function toEngineRequest(request: WireChatRequest): EngineRequest {
  return {
    model: request.model,
    max_completion_tokens: requestedLimit(request),
    messages: request.messages.map((m) => ({ role: m.role, content: contentText(m.content) })),
  }
}

/**
 * The request as it goes out after the chain's decision: redacted messages
 * (as text) and a clamped output limit; the original object itself when
 * nothing changed. A clamp goes into the field the client used: max_tokens
 * stays max_tokens, max_completion_tokens stays max_completion_tokens (and
 * when the client sent both, neither is left above the clamp). A client that
 * gave no limit gets max_completion_tokens.
 */
export function applyChanges<R extends WireChatRequest>(original: R, result: ChainResult): R {
  const redacted = new Set(result.redactions.map((r) => r.message_index))
  const messages = redacted.size
    ? original.messages.map((m, i) => (redacted.has(i) ? { ...m, content: result.messages[i]?.content ?? '' } : m))
    : original.messages
  const clamped = result.request.max_completion_tokens
  const clamp = clamped !== undefined && clamped !== null && clamped !== requestedLimit(original)
  if (messages === original.messages && !clamp) return original
  const out: R = { ...original, messages }
  if (clamp) {
    if (original.max_completion_tokens == null && original.max_tokens != null) {
      out.max_tokens = clamped
    } else {
      out.max_completion_tokens = clamped
      if (original.max_tokens != null && original.max_tokens > clamped) out.max_tokens = clamped
    }
  }
  return out
}

/** The limit the client asked for: max_completion_tokens, else the older max_tokens. */
function requestedLimit(request: WireChatRequest): number | null {
  return request.max_completion_tokens ?? request.max_tokens ?? null
}

/** Why an answer stopped when pii-detector blocks output. */
export const OUTPUT_BLOCKED_MESSAGE = 'The model output contained personal data and pii-detector is set to block.'

/** The verdict on an answer (or one stream of it) in which the output policies found this many things. */
export function outputVerdict(chain: Pick<CompiledChain, 'blocksOutput'>, findings: number): 'allow' | 'redact' | 'block' {
  if (!findings) return 'allow'
  return chain.blocksOutput ? 'block' : 'redact'
}

/**
 * How a chain runs over a request. `enforce` is what the gateway and the
 * app's own requests do: once a policy blocks, the ones after it are skipped
 * (nothing will be sent). `report` is what the test bench does, as promptfoo
 * reports every assertion: every policy runs and reports its findings, and
 * the verdict, the policy that decided it, the block and the request as sent
 * are exactly those `enforce` gives (the first block decides either way).
 */
export type ChainMode = 'enforce' | 'report'

export function runChain(chain: Pick<CompiledChain, 'run'>, request: EngineRequest, mode: ChainMode, opts: Omit<RunOptions, 'stopOnBlock'> = {}): ChainResult {
  return chain.run(request, { ...opts, stopOnBlock: mode === 'enforce' })
}

export function runChainAsync(
  chain: Pick<CompiledChain, 'runAsync'>,
  request: EngineRequest,
  mode: ChainMode,
  opts: Omit<AsyncRunOptions, 'stopOnBlock'> = {},
): Promise<ChainResult> {
  return chain.runAsync(request, { ...opts, stopOnBlock: mode === 'enforce' })
}

/**
 * Where in `result.policies` the policy that decided the verdict is: the
 * first that ran with the chain's verdict (audit-logger only records it);
 * -1 when every policy allowed.
 */
export function decidingPolicyIndex(result: Pick<ChainResult, 'verdict' | 'policies'>): number {
  if (result.verdict === 'allow') return -1
  return result.policies.findIndex((p) => p.status === 'ran' && p.policy !== 'audit-logger' && p.verdict === result.verdict)
}

/** Policy `index` ran only for the report: it comes after the block that decided, where enforcement stops. */
export function ranAfterBlock(result: Pick<ChainResult, 'verdict' | 'policies'>, index: number): boolean {
  if (result.verdict !== 'block') return false
  const decided = decidingPolicyIndex(result)
  const p = result.policies[index]
  return decided >= 0 && index > decided && p?.status === 'ran' && p.policy !== 'audit-logger'
}
