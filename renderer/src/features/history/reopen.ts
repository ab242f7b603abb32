import type { ChatMessage, ChatRequest } from '@shared/ipc/domains/chat'
import type { PromptDoc, PromptMessage, RunRecord } from '@shared/ipc/domains/history'

import { defaultParams } from '../../lib/doc-defaults'

/**
 * A saved run as a playground prompt: the prompt as it was written (with
 * its variables) when the run kept it, else rebuilt from the exact request;
 * then the answer it got, so the conversation reads as it ended.
 */

function text(content: ChatMessage['content']): string {
  if (content === null || content === undefined) return ''
  return typeof content === 'string' ? content : content.map((p) => p.text).join('')
}

export function docFromRequest(request: ChatRequest): PromptDoc {
  const base = defaultParams(request.model)
  let system = ''
  const messages: PromptMessage[] = []
  request.messages.forEach((m, i) => {
    const id = `r${i}`
    if (m.role === 'system') system = system ? `${system}\n\n${text(m.content)}` : text(m.content)
    else if (m.role === 'user') messages.push({ id, role: 'user', content: text(m.content) })
    else if (m.role === 'tool') messages.push({ id, role: 'tool', content: text(m.content), toolCallId: m.tool_call_id })
    else messages.push({ id, role: 'assistant', content: text(m.content), ...(m.tool_calls?.length ? { toolCalls: m.tool_calls } : {}) })
  })
  const rf = request.response_format
  const stop = request.stop === null || request.stop === undefined ? [] : Array.isArray(request.stop) ? request.stop : [request.stop]
  return {
    system,
    messages,
    variables: {},
    params: {
      ...base,
      temperature: request.temperature ?? null,
      topP: request.top_p ?? null,
      maxCompletionTokens: request.max_completion_tokens ?? request.max_tokens ?? null,
      seed: request.seed ?? null,
      stop: stop.slice(0, 4),
      reasoningEffort: request.reasoning_effort ?? null,
      responseFormat: rf?.type ?? 'text',
      schemaName: rf?.type === 'json_schema' ? rf.json_schema.name : base.schemaName,
      schemaText: rf?.type === 'json_schema' && rf.json_schema.schema ? JSON.stringify(rf.json_schema.schema, null, 2) : '',
      schemaStrict: rf?.type === 'json_schema' ? (rf.json_schema.strict ?? false) : base.schemaStrict,
      toolsText: request.tools?.length ? JSON.stringify(request.tools, null, 2) : '',
      toolChoice: typeof request.tool_choice === 'string' ? request.tool_choice : null,
      logprobs: request.logprobs ?? false,
      topLogprobs: request.top_logprobs ?? null,
    },
  }
}

export function docFromRun(run: RunRecord): PromptDoc {
  const doc = run.prompt ?? docFromRequest(run.request)
  const r = run.response
  if (!r.content && !r.reasoning && !r.toolCalls.length) return doc
  const answer: PromptMessage = {
    id: run.id,
    role: 'assistant',
    content: r.content,
    ...(r.reasoning ? { reasoning: r.reasoning } : {}),
    ...(r.toolCalls.length ? { toolCalls: r.toolCalls } : {}),
    // A cut or filtered answer says so in the playground too (and a cut one can be continued).
    ...(r.finishReason && r.finishReason !== 'stop' ? { finishReason: r.finishReason } : {}),
  }
  return { ...doc, messages: [...doc.messages, answer] }
}
