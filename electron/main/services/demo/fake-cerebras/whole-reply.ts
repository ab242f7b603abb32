import type { ServerResponse } from 'node:http'

import { numberParam } from './faults'
import { type ReplyContext, timeInfo, tokenLogprob, usage } from './reply-shapes'
import { type Json, sendJson } from './responses'
import { sleep } from './sleep'

/**
 * A whole (non-streamed) chat answer: sent once the answer would have been
 * generated at its speed, or cut short by the request's fault.
 */
export async function wholeReply(res: ServerResponse, ctx: ReplyContext, firehose: boolean): Promise<void> {
  const { plan } = ctx
  const tokens = plan.reasoning.length + plan.content.length + (plan.toolCall?.argumentPieces.length ?? 0)
  const genMs = firehose ? 0 : ctx.ttftMs + (tokens * 1000) / ctx.tps
  const f = ctx.fault
  if (f?.kind === 'stall') return new Promise<void>((r) => res.once('close', () => r()))
  await sleep(f?.kind === 'slow_drip' ? genMs * 3 : genMs)
  if (f?.kind === 'drop' || f?.kind === 'end_early') {
    res.socket?.destroy()
    return
  }
  if (f?.kind === 'midstream_error') {
    return sendJson(res, numberParam(f, 'status', 500), { message: 'Error during generation: the model server failed', type: 'server_error' }, ctx.rl)
  }
  if (f?.kind === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json', ...ctx.rl })
    res.end(`{"id":"${ctx.id}","object":"chat.completion","choices":[{"index":0,"message":{"content":"brok`)
    return
  }
  const content = plan.content.join('')
  const reasoning = plan.reasoning.join('')
  const args = plan.toolCall?.argumentPieces.join('') ?? ''
  ctx.record.sent = { content, reasoning, toolArguments: args }
  const message: Json = { role: 'assistant', content: plan.toolCall ? null : content }
  if (reasoning) message.reasoning = reasoning
  if (plan.toolCall) {
    message.tool_calls = [{ id: plan.toolCall.id, type: 'function', function: { name: plan.toolCall.name, arguments: args } }]
  }
  sendJson(
    res,
    200,
    {
      id: ctx.id,
      object: 'chat.completion',
      created: Math.floor(ctx.startedAt / 1000),
      model: ctx.model,
      system_fingerprint: 'fp_fake0001',
      choices: Array.from({ length: ctx.choices }, (_, index) => ({
        index,
        finish_reason: plan.finishReason,
        message,
        logprobs: ctx.logprobs ? { content: plan.content.map((t) => tokenLogprob(t, ctx.topLogprobs)) } : null,
      })),
      usage: usage(plan),
      time_info: timeInfo(ctx, genMs / 1000),
    },
    ctx.rl,
  )
}
