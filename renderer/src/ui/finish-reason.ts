/**
 * How an answer ended when it did not end normally, in words, from the
 * API's `finish_reason`. `stop` (and an unknown end) says nothing: only an
 * answer that was cut, filtered or handed to tools is marked.
 */

export interface FinishInfo {
  reason: string
  /** The badge's text. */
  label: string
  /** One sentence on what happened and what to do. */
  detail: string
  tone: 'warn' | 'danger' | 'info'
}

export function describeFinish(reason: string | null | undefined): FinishInfo | null {
  if (!reason || reason === 'stop') return null
  if (reason === 'length')
    return {
      reason,
      label: 'Cut off: token limit',
      detail: 'The answer reached max_completion_tokens (or the context length) and stopped mid-way.',
      tone: 'warn',
    }
  if (reason === 'content_filter')
    return { reason, label: 'Stopped by content filter', detail: 'The provider’s content filter stopped this answer.', tone: 'danger' }
  if (reason === 'tool_calls') return { reason, label: 'Waiting for tool results', detail: 'The model stopped to call tools.', tone: 'info' }
  return { reason, label: `Ended: ${reason}`, detail: `The API gave finish_reason "${reason}".`, tone: 'info' }
}
