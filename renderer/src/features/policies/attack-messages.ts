import type { PolicyConfig } from '@shared/policy'
import type { AttackSuiteReport } from '@shared/policy/attack-suite'

/** What the Policies screen asks the attack-suite worker, and what it answers. */
export interface AttackRequest {
  id: number
  config: PolicyConfig
  seed: number
}

export type AttackReply = { id: number; progress: { done: number; total: number } } | { id: number; report: AttackSuiteReport } | { id: number; error: string }
