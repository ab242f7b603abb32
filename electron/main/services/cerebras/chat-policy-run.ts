import type { ChatCompletion, ChatRequest, Usage } from '@shared/ipc/domains/chat'

import { policyCheckFailed } from '../policy-core/fail-closed'
import type { ChatPolicyGate, ChatPolicyRun, RunEnd } from './chat-policy'
import type { ChatCall } from './chat-run'
import type { Clock } from './clock'

/**
 * The active policy around one chat request, as both runs (streamed and
 * whole) use it: begun before anything is sent (a gate that throws fails
 * closed), a whole answer through its output check, and how the request
 * ended, for the audit log.
 */

/** The policy's view of a request; a gate that throws fails closed. */
export async function beginPolicy(gate: ChatPolicyGate, request: ChatRequest, requestId: string): Promise<ChatPolicyRun | null> {
  try {
    return await gate.begin(request, requestId)
  } catch (err) {
    return policyCheckFailed(request, err)
  }
}

/** A whole answer through the output policy (throws its block error). */
export function withPolicy(completion: ChatCompletion, gate: ChatPolicyRun): ChatCompletion {
  const message = {
    ...completion.message,
    content: completion.message.content === null ? null : gate.checkOutput(completion.message.content),
    reasoning: completion.message.reasoning === null ? null : gate.checkOutput(completion.message.reasoning),
    toolCalls: completion.message.toolCalls.map((c) =>
      c.function.arguments ? { ...c, function: { ...c.function, arguments: gate.checkOutput(c.function.arguments) } } : c,
    ),
  }
  // Log probabilities spell out the raw tokens: not past a policy that reads the output.
  const { logprobs, ...rest } = completion
  const keep = logprobs && !gate.readsOutput ? { logprobs } : {}
  return { ...rest, ...keep, message, policy: gate.outcome(0), ...(gate.sentMessages ? { sentMessages: gate.sentMessages } : {}) }
}

/** From now: what the audit log is told about the request when it ends, but for how it ended. */
export function endClock(call: Pick<ChatCall, 'args' | 'connection'>, stream: boolean, clock: Clock): () => Omit<RunEnd, 'status' | 'usage' | 'error'> {
  const startedAt = clock.now()
  const model = call.args.request.model
  const target = hostOf(call.connection.baseUrl)
  return () => ({ model, stream, target, latencyMs: Math.round((clock.now() - startedAt) * 100) / 100 })
}

export function usageCounts(u: Usage | null | undefined): RunEnd['usage'] {
  return u ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, totalTokens: u.total_tokens } : null
}

/** The API's host, as the audit log names where a request went. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host
  } catch {
    return baseUrl.slice(0, 200)
  }
}
