// `wafer policy test`: one JSONL line through a compiled chain, and how it is printed.
// Imported by policy-test.ts when the command runs (zod and the engine are not needed for --help).
import type { CompiledChain } from '@shared/policy/engine/chain'
import type { ChatMessage, Finding, Verdict } from '@shared/policy/engine/types'
import { z } from 'zod'

const Id = z.union([z.string(), z.number()])
const Message = z.object({ role: z.string().min(1), content: z.string().nullable() })
const InputLine = z.union([
  z.object({ id: Id.optional(), prompt: z.string(), max_completion_tokens: z.number().int().positive().optional(), model: z.string().optional() }),
  z.object({
    id: Id.optional(),
    messages: z.array(Message).min(1),
    max_completion_tokens: z.number().int().positive().optional(),
    model: z.string().optional(),
  }),
])

/** One output line per input line. Bad lines carry `error` and null results. */
export interface PolicyTestLine {
  id: string | number
  verdict: Verdict | null
  policy: string | null
  findings: Finding[]
  /** The redacted prompt (for `prompt` input) or messages (for `messages` input). */
  redacted: string | ChatMessage[] | null
  time_ms?: number
  error?: string
}

/** Evaluate one JSONL line; never throws. */
export function evaluateLine(chain: CompiledChain, raw: string, lineNo: number): PolicyTestLine {
  const fail = (id: string | number, error: string): PolicyTestLine => ({ id, verdict: null, policy: null, findings: [], redacted: null, error })
  if (raw.trim() === '') return fail(lineNo, `line ${lineNo}: empty line`)
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (err) {
    return fail(lineNo, `line ${lineNo}: not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  const id =
    typeof json === 'object' && json !== null && 'id' in json && Id.safeParse((json as { id: unknown }).id).success
      ? (json as { id: string | number }).id
      : lineNo
  const parsed = InputLine.safeParse(json)
  if (!parsed.success) {
    return fail(id, `line ${lineNo}: expected {"id"?, "prompt": "…"} or {"id"?, "messages": [{"role", "content"}, …]}`)
  }
  const input = parsed.data
  const isPrompt = 'prompt' in input
  const messages: ChatMessage[] = isPrompt ? [{ role: 'user', content: input.prompt }] : input.messages
  try {
    const result = chain.run(
      {
        messages,
        ...(input.max_completion_tokens !== undefined ? { max_completion_tokens: input.max_completion_tokens } : {}),
        ...(input.model ? { model: input.model } : {}),
      },
      { requestId: String(id) },
    )
    return {
      id,
      verdict: result.verdict,
      policy: result.policy,
      findings: result.findings,
      redacted: isPrompt ? (result.messages[0].content ?? '') : result.messages,
      time_ms: Math.round(result.time_ms * 1000) / 1000,
    }
  } catch (err) {
    return fail(id, `line ${lineNo}: evaluation failed: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** Lines of a JSONL file; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/)
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

export function humanLine(r: PolicyTestLine): string {
  if (r.error) return `${String(r.id)}\tERROR\t${r.error}`
  const entities = [...new Set(r.findings.map((f) => f.entity))].join(',') || '-'
  const redacted = typeof r.redacted === 'string' ? r.redacted : JSON.stringify(r.redacted)
  const preview = redacted.length > 80 ? `${redacted.slice(0, 77)}…` : redacted
  return `${String(r.id)}\t${r.verdict}\t${r.policy ?? '-'}\t${entities}\t${r.time_ms?.toFixed(3)} ms\t${preview.replace(/\s+/g, ' ')}`
}
