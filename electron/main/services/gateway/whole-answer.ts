import type { ServerResponse } from 'node:http'

import type { CerebrasClient } from '../cerebras/cerebras-client'
import type { Exchange } from './exchange'
import { bodyFor, type UpstreamFallback } from './fallback'
import { GatewayHttpError, sendJson } from './http-errors'
import type { GatewayPolicy } from './policy-port'
import { redactTexts, type SideText } from './text-redaction'

/** What the answering stages (whole and streamed) call on. */
export interface AnswerDeps {
  fallback: UpstreamFallback
  client: CerebrasClient
  policy: GatewayPolicy
}

/**
 * A non-streamed answer: through the fallback to a target, then the output
 * policies over every text in it, then to the client in one piece.
 */
export async function answerWhole(res: ServerResponse, ex: Exchange, body: Record<string, unknown>, deps: AnswerDeps): Promise<void> {
  const { target, result } = await deps.fallback.attempt(ex, body.model as string, async (t, conn, signal) => {
    const response = await deps.client.rawChat(conn, bodyFor(t, body), { requestId: ex.requestId, signal, stream: false })
    return { headers: response.headers, data: (await response.json()) as unknown }
  })
  ex.entry.target = target.id
  ex.telemetry.wholeAnswer(result.data)
  // Write-ahead: nothing leaves before the decision record is durable.
  await ex.decided()
  const data = result.data as { choices?: Array<{ index?: unknown; message?: Record<string, unknown> }>; usage?: Record<string, number> }
  const trace = deps.policy.readsOutput ? ex.telemetry.stage('output') : undefined
  const mark = ex.mark()
  try {
    redactAnswer(data, ex, deps.policy)
  } catch (err) {
    // A block is the policy doing its job; anything else thrown here is the policy failing.
    trace?.end(ex.stageOutcome(mark), err instanceof GatewayHttpError && err.status === 409 ? undefined : 'policy_failed')
    throw err
  }
  trace?.end(ex.stageOutcome(mark))
  ex.noteUsage(data.usage)
  ex.entry.status = 200
  sendJson(res, 200, data, ex.responseHeaders())
}

/** The output policies over every text of a whole answer, in place. */
function redactAnswer(data: { choices?: Array<{ index?: unknown; message?: Record<string, unknown> }> }, ex: Exchange, policy: GatewayPolicy): void {
  // Every choice (n > 1), its content, reasoning and tool-call arguments: no answer gets past the output policies.
  for (const [i, choice] of (Array.isArray(data.choices) ? data.choices : []).entries()) {
    if (policy.readsOutput && choice && 'logprobs' in choice) (choice as Record<string, unknown>).logprobs = null
    const message = choice?.message
    if (!message || typeof message !== 'object') continue
    const index = typeof choice.index === 'number' ? choice.index : i
    const texts: SideText[] = [
      { text: message.content, location: index === 0 ? 'output.content' : `output.choices[${index}].content`, put: (t) => (message.content = t) },
      { text: message.reasoning, location: `output.choices[${index}].reasoning`, put: (t) => (message.reasoning = t) },
    ]
    if (Array.isArray(message.tool_calls)) {
      message.tool_calls.forEach((call: { function?: { arguments?: unknown } }, k: number) => {
        const fn = call?.function
        if (fn) texts.push({ text: fn.arguments, location: `output.choices[${index}].tool_calls[${k}].function.arguments`, put: (t) => (fn.arguments = t) })
      })
    }
    redactTexts(texts, 'output', ex, policy)
  }
}
