import { z } from 'zod'
import { compileChain, PolicyCompileError, type CompiledChain } from '../../../shared/policy/engine/chain'
import type { ChatMessage, Finding, Verdict } from '../../../shared/policy/engine/types'
import { lintPolicyText } from '../../../shared/policy/lint'
import type { Command, CommandIO } from '../command'
import { parseFlags } from '../flags'
import { loadDeprecatedModelLookup, readUserFile } from './policy-lint'

const USAGE = 'wafer policy test --policy-config <policy-config.yaml> --input <prompts.jsonl> [--json]'

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
  const id = typeof json === 'object' && json !== null && 'id' in json && Id.safeParse((json as { id: unknown }).id).success ? (json as { id: string | number }).id : lineNo
  const parsed = InputLine.safeParse(json)
  if (!parsed.success) {
    return fail(id, `line ${lineNo}: expected {"id"?, "prompt": "…"} or {"id"?, "messages": [{"role", "content"}, …]}`)
  }
  const input = parsed.data
  const isPrompt = 'prompt' in input
  const messages: ChatMessage[] = isPrompt ? [{ role: 'user', content: input.prompt }] : input.messages
  try {
    const result = chain.run(
      { messages, ...(input.max_completion_tokens !== undefined ? { max_completion_tokens: input.max_completion_tokens } : {}), ...(input.model ? { model: input.model } : {}) },
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

function humanLine(r: PolicyTestLine): string {
  if (r.error) return `${String(r.id)}\tERROR\t${r.error}`
  const entities = [...new Set(r.findings.map((f) => f.entity))].join(',') || '-'
  const redacted = typeof r.redacted === 'string' ? r.redacted : JSON.stringify(r.redacted)
  const preview = redacted.length > 80 ? `${redacted.slice(0, 77)}…` : redacted
  return `${String(r.id)}\t${r.verdict}\t${r.policy ?? '-'}\t${entities}\t${r.time_ms?.toFixed(3)} ms\t${preview.replace(/\s+/g, ' ')}`
}

export function createPolicyTestCommand(): Command {
  return {
    name: 'policy test',
    summary: 'Run prompts (JSONL) through a policy chain and print verdicts, findings and redactions',
    usage: USAGE,
    async run(argv: string[], io: CommandIO): Promise<number> {
      const flags = parseFlags(argv, { values: ['policy-config', 'input'], booleans: ['json'] })
      if (flags.error || !flags.values['policy-config'] || !flags.values.input) {
        io.stderr(`wafer policy test: ${flags.error ?? (!flags.values['policy-config'] ? '--policy-config is required' : '--input is required')}\nUsage: ${USAGE}\n`)
        return 2
      }
      const json = flags.booleans.has('json')
      const configFile = flags.values['policy-config']
      const cfgText = await readUserFile(io.cwd, configFile)
      if (!cfgText.ok) {
        io.stderr(`wafer policy test: ${cfgText.error}\n`)
        return 2
      }
      const lint = lintPolicyText(cfgText.text, { deprecatedModel: await loadDeprecatedModelLookup() })
      if (!lint.ok || !lint.config) {
        for (const f of lint.findings.filter((x) => x.severity === 'error')) {
          io.stderr(`${configFile}:${f.line}:${f.column}: error ${f.code} ${f.message}\n`)
        }
        io.stderr(`wafer policy test: ${configFile} has errors; fix them first (wafer policy lint --file ${configFile})\n`)
        return 2
      }
      let chain: CompiledChain
      try {
        chain = compileChain(lint.config)
      } catch (err) {
        io.stderr(`wafer policy test: ${err instanceof PolicyCompileError ? err.message : String(err)}\n`)
        return 2
      }
      const input = await readUserFile(io.cwd, flags.values.input)
      if (!input.ok) {
        io.stderr(`wafer policy test: ${input.error}\n`)
        return 2
      }
      const lines = splitLines(input.text)
      let bad = 0
      const counts: Record<string, number> = {}
      lines.forEach((raw, i) => {
        const r = evaluateLine(chain, raw, i + 1)
        if (r.error) bad++
        else counts[r.verdict!] = (counts[r.verdict!] ?? 0) + 1
        if (json) {
          const { id, verdict, policy, findings, redacted, error } = r
          io.stdout(JSON.stringify(error ? { id, verdict, policy, findings, redacted, error } : { id, verdict, policy, findings, redacted }) + '\n')
        } else {
          io.stdout(humanLine(r) + '\n')
        }
      })
      if (!json) {
        const summary = Object.entries(counts).map(([v, n]) => `${n} ${v}`).join(', ')
        io.stdout(`${lines.length} prompt${lines.length === 1 ? '' : 's'}: ${summary || 'none evaluated'}${bad ? `, ${bad} bad line${bad === 1 ? '' : 's'}` : ''}\n`)
      }
      return bad ? 1 : 0
    },
  }
}

export default createPolicyTestCommand()
