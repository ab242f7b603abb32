import { findModel } from '@shared/catalog'
import type { ChatMessage, ChatRequest, ToolDefinition } from '@shared/ipc/domains/chat'
import type { PromptDoc } from '@shared/ipc/domains/history'

import { requestChecks } from './request-checks'
import { strictSchemaProblems } from './strict-schema'
import { findVariables, missingVariables, promptTexts, substitute } from './variables'

/**
 * The prompt document → the exact chat request, or the reasons it cannot be
 * sent. Errors block sending (the API would reject the request, or a
 * variable has no value); warnings are shown but do not. Turns whose run
 * failed stay on screen but are never sent. The request's schemas load
 * after the first frame (request-checks.ts): until they are in, nothing can
 * be sent, and callers that act wait for loadRequestChecks().
 */

/**
 * The user turn that asks for the rest of an answer cut at the token limit
 * (the API has no "continue": the partial answer goes back as the assistant
 * turn and this follows it). Not kept in the conversation; the continuation
 * is appended to the answer it continues.
 */
export const CONTINUE_PROMPT =
  'Your previous answer was cut off at the token limit. Continue it exactly where it stopped: do not repeat anything, do not add an introduction, start with the next character.'

export interface Issue {
  level: 'error' | 'warning'
  field: 'variables' | 'messages' | 'schema' | 'tools' | 'params'
  message: string
}

export interface Built {
  request: ChatRequest | null
  issues: Issue[]
}

export function modelSupports(model: string, capability: 'tools' | 'json_schema' | 'reasoning_effort' | 'reasoning'): boolean | null {
  const m = findModel(model)
  if (!m) return null
  return m.capabilities.includes(capability)
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
}

type Tool = ReturnType<typeof ToolDefinition.parse>

const STILL_LOADING: Issue = { level: 'error', field: 'params', message: 'The request checks are still loading; try again in a moment.' }

/** Tools as typed: an array of definitions, one definition, or the short `{name, parameters}` form. */
export function parseTools(text: string): { tools: Tool[]; issues: Issue[] } {
  if (!text.trim()) return { tools: [], issues: [] }
  const checks = requestChecks()
  if (!checks) return { tools: [], issues: [{ ...STILL_LOADING, field: 'tools' }] }
  const parsed = parseJson(text)
  if (!parsed.ok) return { tools: [], issues: [{ level: 'error', field: 'tools', message: `Tools are not valid JSON: ${parsed.error}` }] }
  const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value]
  const tools: Tool[] = []
  const issues: Issue[] = []
  list.forEach((raw, i) => {
    const candidate = raw && typeof raw === 'object' && !('type' in raw) && 'name' in raw ? { type: 'function', function: raw } : raw
    const r = checks.ToolDefinition.safeParse(candidate)
    if (!r.success) {
      const first = r.error.issues[0]
      issues.push({ level: 'error', field: 'tools', message: `Tool ${i + 1}: ${first.path.join('.') || 'definition'} ${first.message}` })
      return
    }
    tools.push(r.data)
    if (r.data.function.strict) {
      for (const p of strictSchemaProblems(r.data.function.parameters ?? {})) {
        issues.push({ level: 'error', field: 'tools', message: `Tool ${r.data.function.name} (strict) ${p.path}: ${p.message}` })
      }
    }
  })
  return { tools, issues }
}

/** The turns that are sent: every turn but those whose run failed. */
export function sentMessages(doc: PromptDoc): PromptDoc['messages'] {
  return doc.messages.some((m) => m.failed) ? doc.messages.filter((m) => !m.failed) : doc.messages
}

/** `continueAnswer`: the conversation ends with a cut-off answer; ask for the rest of it. */
export function buildRequest(doc: PromptDoc, opts: { continueAnswer?: boolean } = {}): Built {
  const issues: Issue[] = []
  const p = doc.params
  const values = doc.variables

  const sent = sentMessages(doc)
  const names = findVariables(promptTexts({ ...doc, messages: sent }))
  const missing = missingVariables(names, values)
  if (missing.length) {
    issues.push({
      level: 'error',
      field: 'variables',
      message: `Fill in ${missing.map((n) => `{{${n}}}`).join(', ')} in Variables before sending.`,
    })
  }

  if (!sent.length) issues.push({ level: 'error', field: 'messages', message: 'Write a message to send.' })
  if (opts.continueAnswer && sent.at(-1)?.role !== 'assistant') {
    issues.push({ level: 'error', field: 'messages', message: 'Only the last answer can be continued.' })
  }

  const messages: ChatMessage[] = []
  if (doc.system.trim()) messages.push({ role: 'system', content: substitute(doc.system, values) })
  const callIds = new Set<string>()
  for (const m of sent) {
    if (m.role === 'user') messages.push({ role: 'user', content: substitute(m.content, values) })
    else if (m.role === 'assistant') {
      const calls = m.toolCalls ?? []
      calls.forEach((c) => callIds.add(c.id))
      messages.push(calls.length ? { role: 'assistant', content: m.content || null, tool_calls: calls } : { role: 'assistant', content: m.content })
    } else {
      if (!m.toolCallId || !callIds.has(m.toolCallId)) {
        issues.push({ level: 'error', field: 'messages', message: 'A tool result must answer a tool call of an earlier assistant message.' })
      }
      messages.push({ role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? '' })
    }
  }
  if (opts.continueAnswer) messages.push({ role: 'user', content: CONTINUE_PROMPT })

  const request: Record<string, unknown> = { model: p.model, messages }
  if (p.temperature !== null) request.temperature = p.temperature
  if (p.topP !== null) request.top_p = p.topP
  if (p.maxCompletionTokens !== null) request.max_completion_tokens = p.maxCompletionTokens
  if (p.seed !== null) request.seed = p.seed
  const stop = p.stop.filter((s) => s !== '')
  if (stop.length > 4) issues.push({ level: 'error', field: 'params', message: 'At most 4 stop sequences.' })
  if (stop.length) request.stop = stop

  if (p.reasoningEffort !== null) {
    if (modelSupports(p.model, 'reasoning_effort') === false) {
      issues.push({ level: 'error', field: 'params', message: `reasoning_effort is not supported by ${p.model}; set it to "default".` })
    } else request.reasoning_effort = p.reasoningEffort
  }

  if (p.responseFormat === 'json_object') request.response_format = { type: 'json_object' }
  if (p.responseFormat === 'json_schema') {
    if (modelSupports(p.model, 'json_schema') === false) {
      issues.push({ level: 'warning', field: 'schema', message: `${p.model} is not listed as supporting json_schema.` })
    }
    const name = p.schemaName.trim()
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      issues.push({ level: 'error', field: 'schema', message: 'The schema name must be 1–64 letters, digits, _ or -.' })
    }
    const parsed = p.schemaText.trim() ? parseJson(p.schemaText) : { ok: false as const, error: 'the schema is empty' }
    if (!parsed.ok) issues.push({ level: 'error', field: 'schema', message: `The JSON schema is not valid JSON: ${parsed.error}` })
    else if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      issues.push({ level: 'error', field: 'schema', message: 'The JSON schema must be an object.' })
    } else {
      if (p.schemaStrict) {
        for (const problem of strictSchemaProblems(parsed.value)) {
          issues.push({ level: 'error', field: 'schema', message: `${problem.path}: ${problem.message}` })
        }
      }
      request.response_format = {
        type: 'json_schema',
        json_schema: { name, schema: parsed.value, strict: p.schemaStrict },
      }
    }
  }

  const tools = parseTools(p.toolsText)
  issues.push(...tools.issues)
  if (tools.tools.length) {
    if (modelSupports(p.model, 'tools') === false) {
      issues.push({ level: 'warning', field: 'tools', message: `${p.model} is not listed as supporting tools.` })
    }
    request.tools = tools.tools
    if (p.toolChoice !== null) request.tool_choice = p.toolChoice
  }

  if (p.logprobs) {
    request.logprobs = true
    if (p.topLogprobs !== null) request.top_logprobs = p.topLogprobs
  } else if (p.topLogprobs !== null) {
    issues.push({ level: 'error', field: 'params', message: 'top_logprobs needs logprobs turned on.' })
  }

  if (issues.some((i) => i.level === 'error')) return { request: null, issues }
  const checks = requestChecks()
  if (!checks) return { request: null, issues: [...issues, STILL_LOADING] }
  const checked = checks.ChatRequest.safeParse(request)
  if (!checked.success) {
    for (const i of checked.error.issues.slice(0, 5)) {
      issues.push({ level: 'error', field: 'params', message: `${i.path.join('.') || 'request'}: ${i.message}` })
    }
    return { request: null, issues }
  }
  return { request: checked.data, issues }
}
