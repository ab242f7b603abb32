import { applyChanges, contentText, toEngineRequest } from '@shared/policy/enforcement'
import type { ChainResult } from '@shared/policy/engine/types'

import type { Exchange } from './exchange'
import { GatewayHttpError } from './http-errors'
import type { GatewayPolicy } from './policy-port'
import type { GatewayRequest } from './request-body'
import { redactTexts, type SideText } from './text-redaction'

/**
 * The input policies, before anything goes upstream: a block answers 409;
 * otherwise the body to send, with the chain's changes applied (redacted
 * messages, a clamp in the client's own limit field), the side texts
 * redacted too, and no log probabilities when an output policy redacts.
 */
export async function inputStage(body: GatewayRequest, ex: Exchange, policy: GatewayPolicy): Promise<Record<string, unknown>> {
  const engineRequest = toEngineRequest(body)
  let input: ChainResult | null = null
  const trace = ex.telemetry.stage('input')
  try {
    input = await policy.checkInput(engineRequest)
    trace.end({ verdict: input.verdict, findings: input.findings.length, decidedBy: input.policy })
  } catch (err) {
    trace.end({ verdict: 'error', findings: 0 }, 'policy_failed')
    ex.policyFailed('input', err)
  }
  if (input) {
    ex.recordVerdicts('input', input.policies)
    const llm = input.policies.find((p) => p.llm)?.llm
    if (llm) ex.entry.llm = llm
    ex.addFindings(
      input.findings,
      (f) => engineRequest.messages[f.message_index]?.content ?? null,
      (f) => `input.messages[${f.message_index}].content`,
    )
    if (input.blocked) {
      ex.entry.verdict = 'block'
      throw new GatewayHttpError(409, 'policy_violation', input.blocked.message, input.blocked.code, { policy: input.blocked.policy })
    }
    ex.escalate(input.verdict)
  }
  // Redacted text replaces what the client sent, a clamp goes into the client's own field; the rest passes as it came.
  const upstreamBody: Record<string, unknown> = { ...(input ? applyChanges(body, input) : body) }
  delete upstreamBody.stream
  delete upstreamBody.stream_options
  upstreamBody.messages = [...(upstreamBody.messages as unknown[])]
  redactSideTexts(upstreamBody, ex, policy)
  if (policy.readsOutput) {
    // Log probabilities spell out the raw tokens, PII included: an answer the
    // output policies redact cannot carry them.
    delete upstreamBody.logprobs
    delete upstreamBody.top_logprobs
  }
  return upstreamBody
}

/**
 * Text that goes upstream outside the messages' content — `prediction.content`
 * and the arguments of earlier tool calls in the history — has its PII
 * redacted as the messages do (or blocks, when pii-detector blocks); else
 * it would be a way around the input policy.
 */
function redactSideTexts(upstreamBody: Record<string, unknown>, ex: Exchange, policy: GatewayPolicy): void {
  const texts: SideText[] = []
  const prediction = upstreamBody.prediction as { content?: unknown } | null | undefined
  const predicted = contentText(prediction?.content)
  if (predicted) texts.push({ text: predicted, location: 'input.prediction.content', put: (t) => (upstreamBody.prediction = { type: 'content', content: t }) })
  const messages = upstreamBody.messages as Array<Record<string, unknown>>
  messages.forEach((m, i) => {
    if (!Array.isArray(m.tool_calls)) return
    m.tool_calls.forEach((call: { function?: { arguments?: unknown } }, j: number) => {
      const args = call?.function?.arguments
      if (typeof args !== 'string' || !args) return
      texts.push({
        text: args,
        location: `input.messages[${i}].tool_calls[${j}].function.arguments`,
        put: (t) => {
          // Copies, so the client's parsed body is not changed under it.
          const calls = [...(messages[i].tool_calls as Array<Record<string, unknown>>)]
          calls[j] = { ...calls[j], function: { ...(calls[j].function as object), arguments: t } }
          messages[i] = { ...messages[i], tool_calls: calls }
        },
      })
    })
  })
  redactTexts(texts, 'input', ex, policy)
}
