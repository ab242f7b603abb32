import type { PromptDoc, PromptParams } from '@shared/ipc/domains/history'
import { diffWords } from 'diff'

/**
 * Two prompt versions side by side: the system prompt and each message
 * aligned by position with word-level changes, and every parameter and
 * variable whose value differs.
 */

export interface Segment {
  text: string
  kind: 'same' | 'added' | 'removed'
}

export interface TextDiff {
  label: string
  left: Segment[] | null
  right: Segment[] | null
  changed: boolean
}

export interface ValueDiff {
  name: string
  left: string
  right: string
  changed: boolean
}

function textDiff(label: string, a: string | null, b: string | null): TextDiff {
  if (a === null || b === null) {
    return {
      label,
      left: a === null ? null : [{ text: a, kind: 'removed' }],
      right: b === null ? null : [{ text: b, kind: 'added' }],
      changed: true,
    }
  }
  const changes = diffWords(a, b)
  return {
    label,
    left: changes.filter((c) => !c.added).map((c) => ({ text: c.value, kind: c.removed ? 'removed' : 'same' })),
    right: changes.filter((c) => !c.removed).map((c) => ({ text: c.value, kind: c.added ? 'added' : 'same' })),
    changed: a !== b,
  }
}

/**
 * Each prompt parameter under the name the API gives it in the request body
 * the playground builds (features/playground/build-request.ts), so a diff
 * reads `top_p` and `tools`, not the editor's `topP` and `toolsText`.
 */
export const API_PARAM_NAMES: Record<keyof PromptParams, string> = {
  model: 'model',
  temperature: 'temperature',
  topP: 'top_p',
  maxCompletionTokens: 'max_completion_tokens',
  seed: 'seed',
  stop: 'stop',
  reasoningEffort: 'reasoning_effort',
  responseFormat: 'response_format.type',
  schemaName: 'response_format.json_schema.name',
  schemaText: 'response_format.json_schema.schema',
  schemaStrict: 'response_format.json_schema.strict',
  toolsText: 'tools',
  toolChoice: 'tool_choice',
  logprobs: 'logprobs',
  topLogprobs: 'top_logprobs',
}

/** An internal key not in the table (a field added later) is shown as the API would spell it: snake_case. */
const apiName = (key: string): string => API_PARAM_NAMES[key as keyof PromptParams] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? (v.length ? v.join(' | ') : '—') : String(v))

export function diffVersions(a: PromptDoc, b: PromptDoc): { texts: TextDiff[]; params: ValueDiff[]; variables: ValueDiff[] } {
  const texts: TextDiff[] = [textDiff('System', a.system, b.system)]
  const n = Math.max(a.messages.length, b.messages.length)
  for (let i = 0; i < n; i++) {
    const ma = a.messages[i]
    const mb = b.messages[i]
    const role = ma?.role === mb?.role || !mb ? ma?.role : !ma ? mb.role : `${ma.role} → ${mb.role}`
    texts.push(textDiff(`Message ${i + 1} (${role})`, ma ? ma.content : null, mb ? mb.content : null))
  }
  const keys = Object.keys({ ...a.params, ...b.params }) as (keyof PromptParams)[]
  const params = keys.map((k) => ({
    name: apiName(k),
    left: show(a.params[k]),
    right: show(b.params[k]),
    changed: JSON.stringify(a.params[k]) !== JSON.stringify(b.params[k]),
  }))
  const names = [...new Set([...Object.keys(a.variables), ...Object.keys(b.variables)])]
  const variables = names.map((k) => ({ name: k, left: show(a.variables[k]), right: show(b.variables[k]), changed: a.variables[k] !== b.variables[k] }))
  return { texts, params, variables }
}
