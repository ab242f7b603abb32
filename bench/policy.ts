// npm run bench -- policy [--json]: speed of the policy chain (wall time, and process CPU
// time since the machine is shared), and PII detection side by side with the npm
// package redact-pii on the same texts in the same run.
import redactPii from 'redact-pii'

import { compileChain, type CompiledChain } from '../shared/policy/engine/chain'
import { lintPolicyText } from '../shared/policy/lint'
import { ADVERSARIAL_SHAPES, adversarial1mb, adversarialShape, prompt10k } from '../test/fixtures/policy/bench-data'
import { loadPiiCases, scoreSpans, spansFromRedaction } from '../test/fixtures/policy/scoring'
import { type BenchOptions, type BenchRow, row } from './types'

const SUITE = 'policy'

/** Every enforced kind, so the figures cover the whole engine. */
const BENCH_CONFIG = `
pack: {name: bench, version: 1.0.0}
policies:
  chain: [token-budget, allow-patterns, deny-patterns, prompt-injection, pii-detector, audit-logger]
policy:
  token-budget: {max_completion_tokens: 1024}
  allow-patterns: {patterns: ["[\\\\s\\\\S]"]}
  deny-patterns: {patterns: ["(?i)drop\\\\s+table", "(?i)rm\\\\s+-rf\\\\s+/"]}
  prompt-injection: {detection: {attack_patterns: ["ignore.*previous.*instructions"]}}
  pii-detector: {detect_patterns: [{name: EMPLOYEE_ID, pattern: "EMP-\\\\d{6}"}]}
  audit-logger: {log_all_access: true}
`

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

function compile(): CompiledChain {
  const lint = lintPolicyText(BENCH_CONFIG)
  if (!lint.ok || !lint.config) throw new Error(`bench config does not lint: ${lint.findings.map((f) => f.message).join('; ')}`)
  return compileChain(lint.config)
}

export default async function policyBench(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const chain = compile()
  // Every policy runs even after a block, so the figures include all detectors.
  const runAll = { stopOnBlock: false }

  // ---- 10 KB prompt, p50 over many runs after warm-up
  const prompt = prompt10k()
  const req = {
    messages: [
      { role: 'system', content: 'You are a careful analyst.' },
      { role: 'user', content: prompt },
    ],
  }
  for (let i = 0; i < 300; i++) chain.run(req, runAll)
  const times: number[] = []
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now()
    chain.run(req, runAll)
    times.push(performance.now() - t0)
  }
  const cpu = process.cpuUsage(cpu0)
  // CPU time is context for a shared machine: wall time includes waiting for a core. (It is the
  // process's: garbage collection and compilation on helper threads count too.)
  const cpu10k = (cpu.user + cpu.system) / 1000 / times.length
  opts.log(
    `10 KB prompt: p50 ${quantile(times, 0.5).toFixed(3)} ms, p90 ${quantile(times, 0.9).toFixed(3)} ms over ${times.length} runs; ` +
      `process CPU ${cpu10k.toFixed(3)} ms per run`,
  )
  rows.push(row(SUITE, 'policy.chain_10kb_p50_ms', quantile(times, 0.5), 'ms'))
  rows.push(row(SUITE, 'policy.chain_10kb_cpu_ms', cpu10k, 'ms'))

  // ---- 1 MB adversarial input, median of 7 runs after 5 warm-up runs (the first few run
  // while the JIT is still compiling the scanners for this kind of input)
  const adversarial = { messages: [{ role: 'user', content: adversarial1mb() }] }
  let last = chain.run(adversarial, runAll)
  for (let i = 0; i < 4; i++) last = chain.run(adversarial, runAll)
  const advTimes: number[] = []
  const advCpu0 = process.cpuUsage()
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now()
    last = chain.run(adversarial, runAll)
    advTimes.push(performance.now() - t0)
  }
  const advCpu = process.cpuUsage(advCpu0)
  const cpu1mb = (advCpu.user + advCpu.system) / 1000 / advTimes.length
  opts.log(
    `1 MB adversarial: median ${quantile(advTimes, 0.5).toFixed(1)} ms (${advTimes.map((t) => t.toFixed(1)).join(', ')}); ` +
      `process CPU ${cpu1mb.toFixed(1)} ms per run; ` +
      `per policy ${last.policies.map((p) => `${p.policy} ${p.time_ms.toFixed(1)}`).join(', ')}; verdict ${last.verdict}`,
  )
  rows.push(row(SUITE, 'policy.chain_1mb_adversarial_ms', quantile(advTimes, 0.5), 'ms'))
  rows.push(row(SUITE, 'policy.chain_1mb_adversarial_cpu_ms', cpu1mb, 'ms'))

  // ---- 1 MB of one shape each (cues everywhere, so windowing cannot help): the slowest
  // shape's median of 3 runs after 2 warm-ups. A check that no shape is far off the mixed input.
  const shapeTimes: Array<[string, number]> = []
  for (const [name, unit] of ADVERSARIAL_SHAPES) {
    const r = { messages: [{ role: 'user', content: adversarialShape(unit) }] }
    chain.run(r, runAll)
    chain.run(r, runAll)
    const ts: number[] = []
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now()
      chain.run(r, runAll)
      ts.push(performance.now() - t0)
    }
    shapeTimes.push([name, quantile(ts, 0.5)])
  }
  const worst = shapeTimes.reduce((a, b) => (b[1] > a[1] ? b : a))
  opts.log(`1 MB single shapes: ${shapeTimes.map(([n, t]) => `${n} ${t.toFixed(1)}`).join(', ')} ms; slowest: ${worst[0]}`)
  rows.push(row(SUITE, 'policy.chain_1mb_worst_shape_ms', worst[1], 'ms'))

  // ---- PII: ours vs redact-pii on the same labelled texts
  const cases = loadPiiCases()
  const texts = [...cases.handwritten, ...cases.generated, ...cases.review, ...cases.holdout]
  const pii = compileChain({ pack: { name: 'bench', version: '1' }, policies: { chain: ['pii-detector'] } })
  const MARK = '\u0000'
  const theirs = new redactPii.SyncRedactor({ globalReplaceWith: MARK })
  const oursPredict = (text: string) =>
    pii.run({ messages: [{ role: 'user', content: text }] }).findings.map((f) => ({ type: f.entity, start: f.start, end: f.end }))
  const theirsPredict = (text: string) => spansFromRedaction(text, theirs.redact(text), MARK).map((s) => ({ type: 'ANY', ...s }))

  // Same texts, same process, alternating rounds so neither gets a warmer machine.
  const timeAll = (f: (t: string) => unknown) => {
    const t0 = performance.now()
    for (const c of texts) f(c.text)
    return performance.now() - t0
  }
  for (let i = 0; i < 10; i++) {
    timeAll(oursPredict)
    timeAll(theirsPredict)
  }
  const oursMs: number[] = []
  const theirsMs: number[] = []
  for (let i = 0; i < 15; i++) {
    oursMs.push(timeAll(oursPredict))
    theirsMs.push(timeAll(theirsPredict))
  }
  const ours = quantile(oursMs, 0.5)
  const theirsMedian = quantile(theirsMs, 0.5)
  opts.log(`PII on ${texts.length} texts: ours ${ours.toFixed(2)} ms, redact-pii ${theirsMedian.toFixed(2)} ms per pass (median of 15)`)
  rows.push(row(SUITE, 'policy.vs_redact_pii.speed_ratio', ours, 'ms', theirsMedian))

  // redact-pii has no entity types for IBAN, secrets or dates of birth and
  // returns text only, so both are scored type-agnostically: did a labelled
  // span get redacted, and was anything else redacted?
  const oursF1 = scoreSpans(texts, oursPredict, false).micro
  const theirsF1 = scoreSpans(texts, theirsPredict, false).micro
  opts.log(
    `PII F1 (entity-level, type-agnostic): ours ${oursF1.f1.toFixed(3)} (P ${oursF1.precision.toFixed(3)} R ${oursF1.recall.toFixed(3)}), ` +
      `redact-pii ${theirsF1.f1.toFixed(3)} (P ${theirsF1.precision.toFixed(3)} R ${theirsF1.recall.toFixed(3)})`,
  )
  rows.push(row(SUITE, 'policy.vs_redact_pii.f1', oursF1.f1, 'f1', theirsF1.f1))
  return rows
}
