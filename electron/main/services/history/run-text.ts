import type { ChatMessage } from '@shared/ipc/domains/chat'
import type { RunRecordData } from '@shared/ipc/domains/history'

/** The searchable text of a run and the short previews the list shows. */

export const PREVIEW_CHARS = 240

function contentText(content: ChatMessage['content']): string {
  if (content === null || content === undefined) return ''
  if (typeof content === 'string') return content
  return content.map((p) => p.text).join('\n')
}

function messagesText(messages: readonly ChatMessage[]): string {
  const parts: string[] = []
  for (const m of messages) {
    parts.push(contentText(m.content))
    if (m.role === 'assistant' && m.tool_calls) for (const c of m.tool_calls) parts.push(c.function.name, c.function.arguments)
  }
  return parts.filter(Boolean).join('\n\n')
}

/**
 * Where the run's own turn starts: after the last answer it sent back (a
 * chat's earlier turns end there). A first turn is all of the request,
 * system prompt included.
 */
export function ownTurnStart(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'assistant') return i + 1
  return 0
}

/** The run's own turn: what it asked (the messages after the last answer it sent back). */
export function turnText(run: RunRecordData): string {
  const messages = run.request.messages
  return messagesText(messages.slice(ownTurnStart(messages)))
}

/** The chat's earlier turns that the run sent again, up to and including the last answer. */
export function earlierText(run: RunRecordData): string {
  const messages = run.request.messages
  return messagesText(messages.slice(0, ownTurnStart(messages)))
}

/** The answer, its reasoning and tool calls, and the error message when it failed. */
export function outputText(run: RunRecordData): string {
  const parts = [run.response.content, run.response.reasoning ?? '']
  for (const c of run.response.toolCalls) parts.push(c.function.name, c.function.arguments)
  if (run.error) parts.push(run.error.message)
  return parts.filter(Boolean).join('\n\n')
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat
}

/** The last user turn: what this run asked. */
export function promptPreview(run: RunRecordData): string {
  const messages = run.request.messages
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m.role === 'user' || m.role === 'tool') return oneLine(contentText(m.content))
  }
  return oneLine(contentText(messages[messages.length - 1]?.content ?? ''))
}

export function outputPreview(run: RunRecordData): string {
  if (run.response.content) return oneLine(run.response.content)
  if (run.response.toolCalls.length) return oneLine(run.response.toolCalls.map((c) => `${c.function.name}(${c.function.arguments})`).join(', '))
  if (run.error) return oneLine(run.error.message)
  return oneLine(run.response.reasoning ?? '')
}
