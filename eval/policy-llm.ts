// The semantic layer of `npm run eval -- policy --llm-model M`: every labelled
// injection case through the engine with the optional LLM check (the judge
// request and strict verdict of shared/policy/engine/llm-check.ts, the same
// the gateway's --injection-llm-model sends), scored as the judge alone and as
// the lexical layer and the judge together. Real when CEREBRAS_API_KEY is set;
// CI points CEREBRAS_BASE_URL at the fake server, which answers the judge's
// schema.
import { compileChain } from '../shared/policy/engine/chain'
import { buildInjectionCheckRequest, type InjectionLlmCheck, parseInjectionVerdict } from '../shared/policy/engine/llm-check'
import type { PolicyConfig } from '../shared/policy/schema'

export interface LlmLayerCase {
  text: string
  /** True for an attack. */
  attack: boolean
}

export interface LlmLayerOptions {
  baseUrl: string
  apiKey: string
  model: string
  /** Requests in flight at once (default 8). */
  concurrency?: number
  timeoutMs?: number
}

export interface LayerFigures {
  recall: number
  falsePositiveRate: number
  caught: number
  attacks: number
  flagged: number
  benign: number
}

export interface LlmLayerResult {
  model: string
  lexical: LayerFigures
  llm: LayerFigures
  combined: LayerFigures
  /** Cases whose check failed (timeout, HTTP error, a reply not in the schema): the lexical verdict stood. */
  errors: number
  firstError: string | null
  latencyMsP50: number | null
  promptTokens: number
  completionTokens: number
}

const config: PolicyConfig = { pack: { name: 'eval-llm', version: '1' }, policies: { chain: ['prompt-injection'] } }

/** One judge call over HTTP (OpenAI-compatible, not streamed), counting the tokens it used. */
function judgeVia(opts: LlmLayerOptions, usage: { prompt: number; completion: number }): InjectionLlmCheck {
  return async (input) => {
    const res = await fetch(`${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey}` },
      body: JSON.stringify(buildInjectionCheckRequest(input, opts.model)),
      signal: input.signal,
    })
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 120)}`)
    const body = (await res.json()) as { choices?: Array<{ message?: { content?: string } }>; usage?: { prompt_tokens?: number; completion_tokens?: number } }
    usage.prompt += body.usage?.prompt_tokens ?? 0
    usage.completion += body.usage?.completion_tokens ?? 0
    return parseInjectionVerdict(body.choices?.[0]?.message?.content ?? '')
  }
}

const figures = (cases: LlmLayerCase[], hit: boolean[]): LayerFigures => {
  let caught = 0
  let attacks = 0
  let flagged = 0
  let benign = 0
  cases.forEach((c, i) => {
    if (c.attack) {
      attacks++
      if (hit[i]) caught++
    } else {
      benign++
      if (hit[i]) flagged++
    }
  })
  return { recall: attacks ? caught / attacks : 0, falsePositiveRate: benign ? flagged / benign : 0, caught, attacks, flagged, benign }
}

export async function evalLlmLayer(cases: LlmLayerCase[], opts: LlmLayerOptions): Promise<LlmLayerResult> {
  const chain = compileChain(config)
  const usage = { prompt: 0, completion: 0 }
  const llmCheck = judgeVia(opts, usage)
  const lexical: boolean[] = []
  const llm: boolean[] = []
  const combined: boolean[] = []
  const latencies: number[] = []
  let errors = 0
  let firstError: string | null = null
  let next = 0
  const worker = async () => {
    while (next < cases.length) {
      const i = next++
      const request = { messages: [{ role: 'user', content: cases[i].text }] }
      lexical[i] = chain.run(request).verdict === 'block'
      const r = await chain.runAsync(request, { llmCheck, llmTimeoutMs: opts.timeoutMs ?? 10_000 })
      const record = r.policies.find((p) => p.policy === 'prompt-injection')?.llm
      if (record?.verdict === 'error') {
        errors++
        firstError ??= record.error ?? 'error'
      } else if (record) latencies.push(record.latency_ms)
      llm[i] = record?.verdict === 'injection'
      combined[i] = r.verdict === 'block'
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker))
  latencies.sort((a, b) => a - b)
  return {
    model: opts.model,
    lexical: figures(cases, lexical),
    llm: figures(cases, llm),
    combined: figures(cases, combined),
    errors,
    firstError,
    latencyMsP50: latencies.length ? latencies[Math.floor(latencies.length / 2)] : null,
    promptTokens: usage.prompt,
    completionTokens: usage.completion,
  }
}

/** The lines `npm run eval -- policy --llm-model M` prints. */
export function llmLayerLines(r: LlmLayerResult): string[] {
  const line = (name: string, f: LayerFigures) =>
    `${name.padEnd(24)} recall ${(f.recall * 100).toFixed(1).padStart(5)}% (${f.caught}/${f.attacks}), false positives ${(f.falsePositiveRate * 100).toFixed(1).padStart(5)}% (${f.flagged}/${f.benign})`
  return [
    '',
    `Semantic layer: LLM judge ${r.model}`,
    line('lexical layer', r.lexical),
    line('LLM judge alone', r.llm),
    line('lexical + LLM judge', r.combined),
    `judge calls failed: ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ''}; latency p50 ${r.latencyMsP50 === null ? '—' : `${Math.round(r.latencyMsP50)} ms`}; tokens ${r.promptTokens} in, ${r.completionTokens} out`,
  ]
}
