import { callableModels } from '@shared/catalog'
import type { PromptDoc, PromptParams } from '@shared/ipc/domains/history'

/** A fresh prompt document, and ids for messages and requests. */

export const DEFAULT_MODEL = callableModels()[0]?.id ?? 'gpt-oss-120b'

export function defaultParams(model = DEFAULT_MODEL): PromptParams {
  return {
    model,
    temperature: null,
    topP: null,
    // A bounded default: Cerebras reserves this much of the per-minute token quota up front.
    maxCompletionTokens: 4096,
    seed: null,
    stop: [],
    reasoningEffort: null,
    responseFormat: 'text',
    schemaName: 'response',
    schemaText: '',
    schemaStrict: true,
    toolsText: '',
    toolChoice: null,
    logprobs: false,
    topLogprobs: null,
  }
}

export function emptyDoc(params: PromptParams = defaultParams()): PromptDoc {
  return { system: '', messages: [], params, variables: {} }
}

let counter = 0
/** Unique enough for a message or a request id (letters, digits, `-`). */
export function newId(prefix: string): string {
  counter = (counter + 1) % 1_000_000
  const rand = Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}${rand}`
}
