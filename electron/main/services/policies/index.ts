import type { RedactedSearch } from '@shared/ipc/domains/history'
import type { ActivePolicyStatus } from '@shared/ipc/domains/policies'
import { redactedSearchTerms } from '@shared/policy'

import type { ChatPolicyGate } from '../cerebras/chat-policy'
import { ActivePolicyService } from './active-policy'
import { createPolicyGate, type PolicyGateDeps } from './chat-gate'
import { createInjectionJudge, type InjectionJudge } from './llm-judge'
import { PolicyFileService, type PolicyFs } from './policy-files'
import { VerdictLedger } from './verdict-ledger'

export { ActivePolicyService, defaultLintOptions, type LoadedPolicy } from './active-policy'
export { createPolicyGate } from './chat-gate'
export { PolicyFileService, type PolicyFs, type PolicyStat } from './policy-files'
export { outcomeToVerdicts, VerdictLedger } from './verdict-ledger'

/** UI-state key under which the chosen policy is kept. */
export const ACTIVE_POLICY_KEY = 'policies.active'

export interface PolicyServiceDeps {
  homeDir?: string
  /** Read and write a UI-state document (UiStateStore). */
  readState(key: string): unknown
  writeState(key: string, value: unknown): void
  /** Tell every window the active policy changed. */
  onActiveChanged?(status: ActivePolicyStatus): void
  fs?: PolicyFs
  clock?: () => number
  /** The audit log for chains with audit-logger (see PolicyGateDeps.audit). */
  audit?: PolicyGateDeps['audit']
}

export interface PolicyServices {
  files: PolicyFileService
  active: ActivePolicyService
  ledger: VerdictLedger
  /** Give this to the Cerebras services (CerebrasDeps.policy). */
  gate: ChatPolicyGate
  /** What of a History search the active policy redacts before runs are stored (null: nothing, or no usable policy). */
  redactedSearch(text: string): Promise<RedactedSearch | null>
  /** Give the semantic injection check (llm_check) main's Cerebras client and connection. */
  connectJudge(cerebras: Parameters<typeof createInjectionJudge>[0]): void
  /** The semantic injection check, once connected. */
  judge(): InjectionJudge | null
}

export function createPolicyServices(deps: PolicyServiceDeps): PolicyServices {
  const files = new PolicyFileService({ homeDir: deps.homeDir, fs: deps.fs })
  const active = new ActivePolicyService({
    files,
    store: { get: () => deps.readState(ACTIVE_POLICY_KEY), set: (v) => deps.writeState(ACTIVE_POLICY_KEY, v) },
    onChange: deps.onActiveChanged,
    clock: deps.clock,
  })
  const ledger = new VerdictLedger()
  const redactedSearch = async (text: string): Promise<RedactedSearch | null> => {
    // A chosen policy that cannot load redacts nothing (requests fail closed instead).
    const loaded = await active.current().catch(() => null)
    const terms = loaded ? redactedSearchTerms(loaded.chain, text) : []
    return loaded && terms.length ? { policy: loaded.name, terms } : null
  }
  let judge: InjectionJudge | null = null
  return {
    files,
    active,
    ledger,
    gate: createPolicyGate({ active, ledger, audit: deps.audit, judge: () => judge }),
    redactedSearch,
    connectJudge: (cerebras) => void (judge = createInjectionJudge(cerebras, deps.readState)),
    judge: () => judge,
  }
}
