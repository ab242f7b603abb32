import type { ChatCompletion, RequestBodyStats } from '@shared/ipc/domains/chat'
import { WaferError } from '@shared/ipc/errors'

import { abortedError } from './api-errors'
import { type Failure, toFailure } from './chat-errors'
import { type ChatPolicyRun, failedEnd } from './chat-policy'
import { beginPolicy, endClock, usageCounts, withPolicy } from './chat-policy-run'
import { RequestRetries } from './chat-retry'
import { type ChatCall, type ChatRunDeps, type CompletionSink, noteRateLimits } from './chat-run'
import { buildCompletion, completionMetrics } from './completion-parse'
import { ResponseTimings } from './response-metrics'

/**
 * One whole-answer (non-streamed) chat request: the policy's look at the
 * input, attempts with retries as RequestRetries says, then the answer
 * through the output policy. Throws a WaferError on failure.
 */
export async function completeRun(deps: ChatRunDeps, call: ChatCall, sink: CompletionSink): Promise<ChatCompletion> {
  const gate = deps.policy ? await beginPolicy(deps.policy, call.args.request, call.requestId) : null
  if (!gate) return attempts(deps, call, sink, null)
  const endBase = endClock(call, false, deps.clock)
  try {
    if (gate.blocked) throw gate.blocked
    const done = await attempts(deps, call, sink, gate)
    gate.settle({ ...endBase(), status: 200, usage: usageCounts(done.usage) })
    return done
  } catch (err) {
    gate.settle(failedEnd(endBase(), err))
    throw err
  }
}

/** The attempts of a whole-answer request (retries included), through the policy when there is one. */
async function attempts(deps: ChatRunDeps, call: ChatCall, sink: CompletionSink, gate: ChatPolicyRun | null): Promise<ChatCompletion> {
  const { clock } = deps
  const { requestId, controller } = call
  const model = call.args.request.model
  const retries = new RequestRetries(deps, call, sink)
  const request = gate?.request ?? call.args.request
  let attempt = 0
  let bodyStats: RequestBodyStats | null = null
  for (;;) {
    attempt++
    const timings = new ResponseTimings(clock.now())
    let failure: Failure | undefined
    let completion: ChatCompletion | undefined
    try {
      const result = await deps.client.complete(call.connection, request as Record<string, unknown>, {
        requestId,
        signal: controller.signal,
        onBodyStats: (s) => (bodyStats = s),
      })
      timings.end(clock.now())
      noteRateLimits(deps, model, result.headers, sink)
      completion = buildCompletion(requestId, model, result.data, completionMetrics(timings, result.data, bodyStats, attempt, retries.waitedMs))
    } catch (err) {
      failure = toFailure(err, controller.signal)
      if (failure.kind === 'http') noteRateLimits(deps, model, failure.headers, sink)
    }
    // Outside the try: an output block is the answer's fate, not a transport failure to retry.
    if (completion) return gate ? withPolicy(completion, gate) : completion
    if (!failure) throw new WaferError('internal', 'The request ended without an answer or an error.')
    if (failure.kind === 'aborted') throw abortedError()
    const next = await retries.next(failure)
    if (next !== true) throw next
  }
}
