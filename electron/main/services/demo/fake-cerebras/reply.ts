import type { FakeModel } from './fake-models'
import { type ChatBody, contentText } from './request-body'

/**
 * What the fake model "says": deterministic tokens built from the request,
 * including multi-byte characters so split network reads can cut a
 * character in half. Reasoning models think first (unless
 * reasoning_format hides it); requested tools get a call instead of text.
 */

export interface PlannedToolCall {
  id: string
  name: string
  /** The arguments JSON split into the pieces that will be streamed. */
  argumentPieces: string[]
}

export interface ReplyPlan {
  reasoning: string[]
  content: string[]
  toolCall: PlannedToolCall | null
  finishReason: 'stop' | 'length' | 'tool_calls'
  promptTokens: number
  /** Of the prompt tokens, those served from the prompt cache (prompt-cache.ts); 0 when none. */
  cachedTokens?: number
  /** Reasoning tokens billed, streamed or not. */
  reasoningTokens: number
}

const WORDS = (
  'Cerebras runs the whole model on one wafer so tokens stream at thousands per second ' +
  'and the answer arrives before you finish reading the question — naïve clients re-render ' +
  'every token, façade layers add latency, and a good console shows TTFT, tokens/s and ' +
  'server timings side by side 🚀 with nothing estimated or hidden'
).split(' ')

/** Deterministic tokens: words with a leading space, the first without. */
export function tokens(count: number, seed: string, offset = 0): string[] {
  let h = 0
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const word = WORDS[(h + i + offset) % WORDS.length]
    out.push(i === 0 && offset === 0 ? word : ` ${word}`)
  }
  return out
}

export const DEFAULT_REPLY_TOKENS = 120

/** A user message starting with this is echoed back verbatim. */
export const ECHO_PREFIX = 'echo: '
/** The same with the text base64-encoded, so it passes input filters untouched. */
export const ECHO_B64_PREFIX = 'echo-b64: '
/** Base64 text the model "thinks" (reasoning) and then says (content), for reasoning-channel tests. */
export const ECHO_REASONING_B64_PREFIX = 'echo-reasoning-b64: '

/**
 * A user message starting with `sample: NAME` gets that fixed answer, the
 * shapes real models send and a renderer must show as sent:
 * - `sample: latex`: gpt-oss style LaTeX, inline `\( … \)` and `$ … $`,
 *   display `\[ … \]` and `$$ … $$`, next to money (`$5`) and code;
 * - `sample: list`: a list sent with single line breaks (`one\ntwo\n…`).
 * The answer streams in pieces of four characters (one token each), so a
 * backslash or `$` often arrives apart from what follows it, and
 * max_completion_tokens cuts it with finish_reason `length` like any other.
 * A request whose last assistant message is a cut-off start of a sample (a
 * "continue" after `length`) gets the rest of that sample.
 */
export const SAMPLE_PREFIX = 'sample: '
export const SAMPLES: Record<string, string> = {
  latex: [
    'The roots of \\(ax^2 + bx + c = 0\\) are',
    '',
    '\\[',
    'x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}',
    '\\]',
    '',
    'and the sum of the first \\(n\\) integers is',
    '',
    '$$',
    '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
    '$$',
    '',
    'Euler: $e^{i\\pi} + 1 = 0$. Prices like $5 and $10 stay text, and `$x$` in code stays literal.',
  ].join('\n'),
  list: 'Three steps:\none: measure the baseline\ntwo: change one thing\nthree: measure again\nDone.',
}
const SAMPLE_PIECE = /[\s\S]{1,4}/g

function sampleReply(lastUserText: string, body: ChatBody): { pieces: string[] } | null {
  if (lastUserText.startsWith(SAMPLE_PREFIX)) {
    const name = lastUserText.slice(SAMPLE_PREFIX.length).trim().split(/\s/)[0]
    if (Object.hasOwn(SAMPLES, name)) return { pieces: SAMPLES[name].match(SAMPLE_PIECE) ?? [] }
  }
  const lastAssistant = [...body.messages].reverse().find((m) => m.role === 'assistant')
  const said = contentText(lastAssistant?.content)
  if (!said || body.messages.at(-1)?.role !== 'user') return null
  for (const text of Object.values(SAMPLES)) {
    if (text.length > said.length && text.startsWith(said)) return { pieces: text.slice(said.length).match(SAMPLE_PIECE) ?? [] }
  }
  return null
}

export function planReply(body: ChatBody, model: FakeModel, opts: { naturalTokens?: number; promptTokens: number }): ReplyPlan {
  const natural = opts.naturalTokens ?? DEFAULT_REPLY_TOKENS
  const cap = body.max_completion_tokens ?? body.max_tokens ?? model.maxCompletionTokens
  const total = Math.max(1, Math.min(natural, cap))
  const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')
  const seed = contentText(lastUser?.content).slice(0, 200)

  const showReasoning = model.reasoning && body.reasoning_format !== 'hidden' && body.reasoning_format !== 'none'
  const reasoningCount = model.reasoning ? Math.min(Math.max(1, Math.floor(total * 0.3)), total - 1) : 0
  const contentCount = total - reasoningCount
  const reasoning = showReasoning ? tokens(reasoningCount, `think:${seed}`) : []

  // `echo: TEXT` makes the model say TEXT back in small pieces, so tests can
  // put known text (PII, say) in the output and see how it is streamed.
  const lastUserText = contentText(lastUser?.content)
  const echoed = lastUserText.startsWith(ECHO_PREFIX)
    ? lastUserText.slice(ECHO_PREFIX.length)
    : lastUserText.startsWith(ECHO_B64_PREFIX)
      ? Buffer.from(lastUserText.slice(ECHO_B64_PREFIX.length).trim(), 'base64').toString('utf8')
      : undefined
  const wantsTool =
    Array.isArray(body.tools) &&
    body.tools.length > 0 &&
    (body.tool_choice === 'required' || (typeof body.tool_choice === 'object' && body.tool_choice !== null))
  if (wantsTool) {
    const named = (body.tool_choice as { function?: { name?: string } })?.function?.name
    const name = named ?? body.tools![0].function.name
    // An echoed text becomes the query whole, so tests can put known text (PII) in tool-call arguments.
    const args = JSON.stringify({ query: echoed ?? seed.slice(0, 40), limit: 3 })
    const pieces = model.piecewiseToolArgs ? (args.match(/.{1,8}/gs) ?? [args]) : [args]
    return {
      reasoning,
      content: [],
      toolCall: { id: `call_${Math.abs(hash(seed)).toString(36)}`, name, argumentPieces: pieces },
      finishReason: 'tool_calls',
      promptTokens: opts.promptTokens,
      reasoningTokens: reasoningCount,
    }
  }

  const sample = sampleReply(lastUserText, body)
  if (sample) {
    return {
      reasoning: [],
      content: sample.pieces.slice(0, cap),
      toolCall: null,
      finishReason: sample.pieces.length > cap ? 'length' : 'stop',
      promptTokens: opts.promptTokens,
      reasoningTokens: 0,
    }
  }

  if (lastUserText.startsWith(ECHO_REASONING_B64_PREFIX)) {
    const text = Buffer.from(lastUserText.slice(ECHO_REASONING_B64_PREFIX.length).trim(), 'base64').toString('utf8')
    const pieces = text.match(/.{1,5}/gs) ?? []
    const hidden = body.reasoning_format === 'hidden' || body.reasoning_format === 'none'
    return {
      reasoning: hidden ? [] : pieces,
      content: pieces,
      toolCall: null,
      finishReason: 'stop',
      promptTokens: opts.promptTokens,
      reasoningTokens: pieces.length,
    }
  }
  if (echoed !== undefined) {
    return {
      reasoning: [],
      content: echoed.match(/.{1,5}/gs) ?? [],
      toolCall: null,
      finishReason: 'stop',
      promptTokens: opts.promptTokens,
      reasoningTokens: 0,
    }
  }
  let content = tokens(contentCount, seed)
  // An injection classifier request (the policy engine's optional LLM check):
  // answer the strict verdict schema, judging by a plain keyword.
  const rf = body.response_format as { type?: string; json_schema?: { name?: string } } | undefined
  if (rf?.type === 'json_schema' && rf.json_schema?.name === 'injection_verdict') {
    const attack = /ignore (all )?(previous|prior)|system prompt|you are now/i.test(lastUserText)
    const verdict = {
      verdict: attack ? 'injection' : 'benign',
      confidence: attack ? 0.93 : 0.88,
      family: attack ? 'instruction_override' : 'none',
      message_index: 0,
    }
    return {
      reasoning: [],
      content: JSON.stringify(verdict).match(/.{1,6}/gs) ?? [],
      toolCall: null,
      finishReason: 'stop',
      promptTokens: opts.promptTokens,
      reasoningTokens: 0,
    }
  }
  if (body.response_format?.type === 'json_object' || body.response_format?.type === 'json_schema') {
    content = JSON.stringify({ answer: content.join('') }).match(/.{1,6}/gs) ?? []
  }
  return {
    reasoning,
    content,
    toolCall: null,
    finishReason: natural > cap ? 'length' : 'stop',
    promptTokens: opts.promptTokens,
    reasoningTokens: reasoningCount,
  }
}

function hash(s: string): number {
  let h = 7
  for (const ch of s) h = (h * 33) ^ ch.charCodeAt(0)
  return h | 0
}
