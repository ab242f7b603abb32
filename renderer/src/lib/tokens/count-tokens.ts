import type { CountReply, CountRequest } from './count-request'
import type { TokenizerFamily } from './families'
import type { PromptPart } from './tokenizers'

/**
 * Prompt token counts from the token worker (token-worker.ts), so neither
 * loading a vocabulary nor counting ever blocks the page. The worker starts
 * on the first count; the tokenizers it loads are its own chunks, never on
 * the app's start-up path.
 */

let worker: Worker | null = null
let nextId = 1
const pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>()

function failAll(message: string): void {
  for (const p of pending.values()) p.reject(new Error(message))
  pending.clear()
  // The next count starts a new worker.
  worker?.terminate()
  worker = null
}

function tokenWorker(): Worker {
  if (worker) return worker
  // The URL form lets the bundler build the worker as its own module script, served from the app's origin (CSP 'self').
  const w = new Worker(new URL('./token-worker.ts', import.meta.url), { type: 'module', name: 'wafer-tokens' })
  w.onmessage = (e: MessageEvent<CountReply>) => {
    const p = pending.get(e.data.id)
    if (!p) return
    pending.delete(e.data.id)
    if ('error' in e.data) p.reject(new Error(e.data.error))
    else p.resolve(e.data.tokens)
  }
  w.onerror = (e) => {
    e.preventDefault()
    failAll(`The token counter stopped: ${e.message || 'it could not be loaded'}`)
  }
  w.onmessageerror = () => failAll('The token counter sent a message that could not be read')
  return (worker = w)
}

/**
 * Prompt tokens for the messages and extras with the chat template's
 * overhead (countPrompt), counted in the worker. Rejects with the reason
 * when the family's tokenizer cannot be loaded. `cancelled`, checked when
 * the answer arrives, turns a stale answer into null.
 */
export function countPromptTokens(family: TokenizerFamily, parts: readonly PromptPart[], cancelled: () => boolean = () => false): Promise<number | null> {
  const id = nextId++
  const request: CountRequest = { id, family, parts: parts.map((p) => ({ text: p.text, message: p.message })) }
  return new Promise<number>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    try {
      tokenWorker().postMessage(request)
    } catch (err) {
      pending.delete(id)
      reject(err instanceof Error ? err : new Error(String(err)))
    }
  }).then((n) => (cancelled() ? null : n))
}
