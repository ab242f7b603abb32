import type { ChatRequest } from '@shared/ipc/domains/chat'
import type { PolicyOutcome } from '@shared/ipc/domains/policies'
import { WaferError } from '@shared/ipc/errors'

import type { ChatPolicyRun } from '../cerebras/chat-policy'

/** Where a policy that cannot be used came from, for the outcome the run records. */
export interface Unavailable {
  /** What stood in the way: '(policy file)' when the chosen file would not load, '(policy check)' when the check itself threw. */
  policy: string
  /** Why, in a sentence. */
  reason: string
  file?: string
  pack?: string
}

/**
 * The stand-in for a policy that cannot be used: the request fails closed
 * with `error` before anything is sent (sending it unchecked would defeat the
 * point of choosing a policy), and its outcome says why.
 */
export function failClosedRun(request: ChatRequest, error: WaferError, why: Unavailable): ChatPolicyRun {
  const outcome: PolicyOutcome = {
    file: why.file ?? '',
    pack: why.pack ?? '',
    verdict: 'block',
    policy: null,
    input: { verdict: 'block', policies: [], redactions: [], time_ms: 0 },
    output: null,
    blocked: { stage: 'input', policy: why.policy, code: 'policy_unavailable', message: why.reason },
  }
  return {
    request,
    blocked: error,
    sentMessages: undefined,
    readsOutput: false,
    outputFilter: () => null,
    checkOutput: (text) => text,
    outcome: () => outcome,
    // No policy could be read, so none says to audit.
    settle: () => {},
  }
}

/** A policy check that threw: the request fails closed, naming why. */
export function policyCheckFailed(request: ChatRequest, err: unknown): ChatPolicyRun {
  const reason = err instanceof Error ? err.message : String(err)
  const error = new WaferError('policy_blocked', `The policy check failed (${reason}), so nothing was sent.`, {
    stage: 'input',
    code: 'policy_unavailable',
    policy: null,
  })
  return failClosedRun(request, error, { policy: '(policy check)', reason })
}
