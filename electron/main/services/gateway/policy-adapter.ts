import { compileChain, type CompiledChain, OUTPUT_BLOCKED_MESSAGE, outputVerdict, type PolicyConfig, runChain } from '@shared/policy'
import type { ChatRequest } from '@shared/policy/engine/types'

import { checkWithJudge, type InjectionJudge, llmCheckSettings } from '../policies/llm-judge'
import type { PolicyPool } from './policy-pool'
import type { GatewayPolicy, OutputStream } from './policy-port'

export interface GatewayPolicyOptions {
  /**
   * The judge for prompt-injection's LLM check, asked as the app's
   * enforcement asks it (checkWithJudge): when the policy has llm_check, or
   * `llmModel` is set.
   */
  judge?: InjectionJudge
  /** --injection-llm-model: the judge's model, overriding the policy's llm_check.model (and turning the check on without one). */
  llmModel?: string
  /** Worker threads for the input policies of large requests. */
  pool?: PolicyPool
  /** Requests with more message text than this (characters) go to the pool. */
  offloadChars?: number
}

/**
 * Below this much message text a request is checked on the serving thread:
 * it takes ~20 ms or less there, and the round trip to a worker (JSON both
 * ways) would cost more than it saves for the small requests real clients send.
 */
export const DEFAULT_OFFLOAD_CHARS = 16_384

function messageChars(request: ChatRequest): number {
  let n = 0
  for (const m of request.messages) n += m.content?.length ?? 0
  return n
}

/**
 * The gateway's view of the compiled policy chain (shared/policy). The same
 * engine runs in the renderer's test bench, so what the bench shows is what
 * the gateway does; what its decisions mean for a request is
 * shared/policy/enforcement.ts, as for the app's own requests.
 */
export function createGatewayPolicy(config: PolicyConfig, opts: GatewayPolicyOptions = {}): GatewayPolicy {
  const chain: CompiledChain = compileChain(config)
  const llm = llmCheckSettings(config, opts.llmModel)
  let checks = 0
  const outputBlocked = (n: number) => (outputVerdict(chain, n) === 'block' ? { policy: 'pii-detector', message: OUTPUT_BLOCKED_MESSAGE } : undefined)

  return {
    chain: chain.kinds,
    readsOutput: chain.readsOutput,
    async checkInput(request) {
      const lexical =
        opts.pool && messageChars(request) > (opts.offloadChars ?? DEFAULT_OFFLOAD_CHARS) ? await opts.pool.run(request) : runChain(chain, request, 'enforce')
      if (!llm || !opts.judge) return lexical
      return checkWithJudge(chain, request, lexical, llm, opts.judge, `gw-llm-check-${++checks}`)
    },
    checkOutput(text) {
      const out = chain.checkOutput(text)
      const verdict = outputVerdict(chain, out.findings.length)
      const blocked = outputBlocked(out.findings.length)
      return {
        text: out.redacted,
        verdict,
        findings: out.findings,
        results: out.findings.length ? [{ policy: 'pii-detector', verdict, status: 'ran', findings: out.findings, time_ms: 0 }] : [],
        ...(blocked ? { blocked } : {}),
      }
    },
    outputStream(): OutputStream | null {
      // Release at least 64 characters at a time within a network read: a read
      // of many tiny events then costs a few scans instead of one per event.
      const r = chain.createOutputRedactor({ minRelease: 64 })
      if (!r) return null
      const checked = (text: string) => {
        const blocked = outputBlocked(r.findings.length)
        return blocked ? { text: '', blocked } : { text }
      }
      return {
        push: (chunk) => checked(r.push(chunk)),
        release: () => checked(r.release()),
        end: () => checked(r.flush()),
        findings: () => r.findings,
        verdict: () => outputVerdict(chain, r.findings.length),
      }
    },
  }
}
