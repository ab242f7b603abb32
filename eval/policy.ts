// npm run eval -- policy [--json] [--show-held-out | --hide-held-out] [--llm-model M]: accuracy of the policy engine's detectors on
// the labelled sets in test/fixtures/policy (handwritten and generated, with
// hard negatives). Exits 1 when a target is missed.
import { compileChain } from '../shared/policy/engine/chain'
import type { PolicyConfig } from '../shared/policy/schema'
import type { InjectionCase } from '../test/fixtures/policy/generate'
import { loadInjectionCases, loadPiiCases, type Prf, prf, scoreSpans } from '../test/fixtures/policy/scoring'
import { evalLlmLayer, llmLayerLines, type LlmLayerResult } from './policy-llm'

export const TARGETS = {
  piiF1: 0.95,
  injectionRecall: 0.85,
  benignFalsePositiveRate: 0.02,
}

const config = (chain: string[]): PolicyConfig => ({ pack: { name: 'eval', version: '1' }, policies: { chain } })

const pct = (x: number) => (x * 100).toFixed(1).padStart(6)
const row = (name: string, p: Prf) =>
  `${name.padEnd(24)} ${String(p.tp).padStart(5)} ${String(p.fp).padStart(5)} ${String(p.fn).padStart(5)} ${pct(p.precision)} ${pct(p.recall)} ${pct(p.f1)}`
const header = `${'entity / family'.padEnd(24)} ${'tp'.padStart(5)} ${'fp'.padStart(5)} ${'fn'.padStart(5)} ${'prec%'.padStart(6)} ${'rec%'.padStart(6)} ${'f1%'.padStart(6)}`

export default async function evalPolicy(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const out: string[] = []

  // ---------------------------------------------------------------- PII
  const pii = compileChain(config(['pii-detector']))
  const predictPii = (text: string) =>
    pii.run({ messages: [{ role: 'user', content: text }] }).findings.map((f) => ({ type: f.entity, start: f.start, end: f.end }))
  const piiCases = loadPiiCases()
  const all = [...piiCases.handwritten, ...piiCases.generated, ...piiCases.review, ...piiCases.holdout, ...piiCases.wide, ...piiCases.holdout3]
  const piiScore = scoreSpans(all, predictPii)
  const piiHoldout = scoreSpans(piiCases.holdout, predictPii)
  const piiWide = scoreSpans(piiCases.wide, predictPii)
  const piiHoldout3 = scoreSpans(piiCases.holdout3, predictPii)
  const invalidChecksumFlags = all
    .filter((c) => c.tags.includes('invalid-checksum'))
    .flatMap((c) =>
      predictPii(c.text)
        .filter((p) => p.type === 'CREDIT_CARD' || p.type === 'IBAN_CODE')
        .map((p) => ({ id: c.id, type: p.type })),
    )
  const hardNegatives = all.filter((c) => c.tags.includes('hard-negative'))
  const hardNegativeFlags = hardNegatives.filter((c) => predictPii(c.text).some((p) => !c.entities.some((g) => g.start < p.end && p.start < g.end)))

  out.push(
    `PII (${all.length} texts: ${piiCases.handwritten.length} handwritten, ${piiCases.generated.length} generated, ${piiCases.review.length} review, ` +
      `${piiCases.wide.length} wide, ${piiCases.holdout.length} + ${piiCases.holdout3.length} held out; ${hardNegatives.length} hard negatives)`,
  )
  out.push(header)
  for (const [type, p] of piiScore.perType) out.push(row(type, p))
  out.push(row('micro (all entities)', piiScore.micro))
  if (piiCases.holdout.length) out.push(row('micro, held-out only', piiHoldout.micro))
  out.push('wide set (issuer ranges, national phone formats, IBANs in any case; tuned on):')
  for (const [type, p] of piiWide.perType) out.push(row(`  ${type}`, p))
  out.push(row('  micro', piiWide.micro))
  if (!argv.includes('--hide-held-out')) {
    out.push('held-out 3 (written with the wide set, never tuned against):')
    for (const [type, p] of piiHoldout3.perType) out.push(row(`  ${type}`, p))
    out.push(row('  micro', piiHoldout3.micro))
  }
  out.push(
    `hard negatives with any false flag: ${hardNegativeFlags.length}/${hardNegatives.length}; invalid-checksum card/IBAN flagged: ${invalidChecksumFlags.length}`,
  )
  // (Held-out 3's mistakes stay out of sight with --hide-held-out, like the injection sets'.)
  const heldOut3 = new Set(piiCases.holdout3.map((c) => c.id))
  const shownFalsePositives = piiScore.falsePositives.filter((f) => !argv.includes('--hide-held-out') || !heldOut3.has(f.id))
  if (shownFalsePositives.length) {
    out.push(
      `false positives: ${shownFalsePositives
        .slice(0, 20)
        .map((f) => `${f.id} ${f.type} ${JSON.stringify(f.text)}`)
        .join('; ')}`,
    )
  }

  // ---------------------------------------------------------------- injection
  const inj = compileChain(config(['prompt-injection']))
  const families = (text: string) => {
    const r = inj.run({ messages: [{ role: 'user', content: text }] })
    return { blocked: r.verdict === 'block', entities: new Set(r.findings.map((f) => f.entity)) }
  }
  const FAMILY_ENTITY: Record<string, string> = {
    instruction_override: 'INSTRUCTION_OVERRIDE',
    role_manipulation: 'ROLE_MANIPULATION',
    system_prompt_leak: 'SYSTEM_PROMPT_LEAK',
    fake_boundary: 'FAKE_BOUNDARY',
  }
  const sets = loadInjectionCases()
  const tunedAttacks = [...sets.attacks.handwritten, ...sets.attacks.generated, ...sets.attacks.review, ...sets.attacks.dev, ...sets.attacks.wide]
  const tunedBenign = [...sets.benign.handwritten, ...sets.benign.generated, ...sets.benign.review, ...sets.benign.dev, ...sets.benign.wide]
  const attacks = [...tunedAttacks, ...sets.attacks.holdout, ...sets.attacks.holdout2, ...sets.attacks.holdout3]
  const benign = [...tunedBenign, ...sets.benign.holdout, ...sets.benign.holdout2, ...sets.benign.holdout3]
  const results = new Map<InjectionCase, ReturnType<typeof families>>()
  for (const c of [...attacks, ...benign]) results.set(c, families(c.text))

  const perFamily = new Map<string, Prf>()
  for (const [family, entity] of Object.entries(FAMILY_ENTITY)) {
    let tp = 0
    let fp = 0
    let fn = 0
    for (const [c, r] of results) {
      const predicted = r.entities.has(entity)
      if (c.family === family) {
        if (predicted) tp++
        else fn++
      } else if (predicted) fp++
    }
    perFamily.set(family, prf({ tp, fp, fn }))
  }
  const detected = (cs: InjectionCase[]) => cs.filter((c) => results.get(c)!.blocked).length
  const rate = (cs: InjectionCase[]) => (cs.length ? detected(cs) / cs.length : 0)
  const recall = rate(attacks)
  const fpRate = rate(benign)
  const binary = prf({ tp: detected(attacks), fp: detected(benign), fn: attacks.length - detected(attacks) })
  const setLine = (name: string, a: InjectionCase[], b: InjectionCase[]) =>
    `${name}: recall ${pct(rate(a))}% (${detected(a)}/${a.length}), false positives ${pct(rate(b))}% (${detected(b)}/${b.length})`
  // Attacks caught and benign prompts flagged per language or kind (the wide sets' tags: de, persona, edit, roleplay …).
  const byTags = (a: InjectionCase[], b: InjectionCase[]) => {
    const counts = new Map<string, [number, number]>()
    const bump = (cs: InjectionCase[], kind: string) => {
      for (const c of cs)
        for (const t of c.tags.slice(1)) {
          const key = `${kind} ${t}`
          const [d, n] = counts.get(key) ?? [0, 0]
          counts.set(key, [d + (results.get(c)!.blocked ? 1 : 0), n + 1])
        }
    }
    bump(a, 'caught')
    bump(b, 'flagged')
    return [...counts].map(([k, [d, n]]) => `${k} ${d}/${n}`).join(', ')
  }
  const familyRecall = (cs: InjectionCase[]) =>
    Object.keys(FAMILY_ENTITY)
      .map((f) => {
        const of = cs.filter((c) => c.family === f)
        return `${f} ${detected(of)}/${of.length}`
      })
      .join(', ')
  out.push('')
  out.push(
    `Prompt injection (${attacks.length} attacks: ${sets.attacks.handwritten.length} handwritten, ${sets.attacks.generated.length} generated, ${sets.attacks.review.length} review, ${sets.attacks.dev.length} dev, ` +
      `${sets.attacks.wide.length} wide, ${sets.attacks.holdout.length} + ${sets.attacks.holdout2.length} + ${sets.attacks.holdout3.length} held out; ` +
      `${benign.length} benign prompts with trigger words, ${sets.benign.holdout.length} + ${sets.benign.holdout2.length} + ${sets.benign.holdout3.length} of them held out)`,
  )
  // While tuning, --hide-held-out keeps every figure that includes the held-out sets out of sight.
  const hideHeldOut = argv.includes('--hide-held-out')
  if (!hideHeldOut) {
    out.push(header)
    for (const [f, p] of perFamily) out.push(row(f, p))
    out.push(row('any family (blocked)', binary))
    out.push(setLine('all sets', attacks, benign))
  }
  out.push(setLine('tuned on (handwritten, generated, review, dev, wide)', tunedAttacks, tunedBenign))
  for (const name of ['handwritten', 'generated', 'review', 'dev', 'wide'] as const) out.push(`  ${setLine(name, sets.attacks[name], sets.benign[name])}`)
  out.push(`  wide by tag: ${byTags(sets.attacks.wide, sets.benign.wide)}`)
  if (!hideHeldOut) {
    out.push(setLine('held-out 1 (never tuned against)', sets.attacks.holdout, sets.benign.holdout))
    out.push(`  by family: ${familyRecall(sets.attacks.holdout)}`)
    out.push(setLine('held-out 2 (never tuned against)', sets.attacks.holdout2, sets.benign.holdout2))
    out.push(`  by family: ${familyRecall(sets.attacks.holdout2)}`)
    out.push(setLine('held-out 3 (written with the wide set, never tuned against)', sets.attacks.holdout3, sets.benign.holdout3))
    out.push(`  by family: ${familyRecall(sets.attacks.holdout3)}`)
    out.push(`  by tag: ${byTags(sets.attacks.holdout3, sets.benign.holdout3)}`)
  }
  const byTag = new Map<string, [number, number]>()
  for (const c of sets.attacks.generated) {
    const tag = c.tags.find((t) => t !== 'generated') ?? 'plain'
    const [d, n] = byTag.get(tag) ?? [0, 0]
    byTag.set(tag, [d + (results.get(c)!.blocked ? 1 : 0), n + 1])
  }
  out.push(`recall by obfuscation: ${[...byTag].map(([t, [d, n]]) => `${t} ${d}/${n}`).join(', ')}`)
  // Held-out mistakes stay hidden unless asked for: reading them while changing the detector would be tuning on them.
  const showHeldOut = argv.includes('--show-held-out')
  const listed = (a: InjectionCase[], b: InjectionCase[]) => {
    const missed = a.filter((c) => !results.get(c)!.blocked)
    const flagged = b.filter((c) => results.get(c)!.blocked)
    if (missed.length)
      out.push(
        `  missed attacks: ${missed
          .slice(0, 30)
          .map((c) => `${c.id} ${JSON.stringify(c.text.slice(0, 70))}`)
          .join('; ')}`,
      )
    if (flagged.length) out.push(`  flagged benign: ${flagged.map((c) => `${c.id} ${JSON.stringify(c.text.slice(0, 70))}`).join('; ')}`)
  }
  out.push('mistakes on the tuned sets:')
  listed(tunedAttacks, tunedBenign)
  if (showHeldOut) {
    out.push('mistakes on the held-out sets:')
    listed(
      [...sets.attacks.holdout, ...sets.attacks.holdout2, ...sets.attacks.holdout3],
      [...sets.benign.holdout, ...sets.benign.holdout2, ...sets.benign.holdout3],
    )
  }

  // ---------------------------------------------------------------- targets
  const checks = [
    { name: `PII micro F1 >= ${TARGETS.piiF1}`, ok: piiScore.micro.f1 >= TARGETS.piiF1, value: piiScore.micro.f1 },
    { name: 'no invalid-checksum card or IBAN flagged', ok: invalidChecksumFlags.length === 0, value: invalidChecksumFlags.length },
    { name: `injection recall >= ${TARGETS.injectionRecall}`, ok: recall >= TARGETS.injectionRecall, value: recall },
    { name: `benign false-positive rate <= ${TARGETS.benignFalsePositiveRate}`, ok: fpRate <= TARGETS.benignFalsePositiveRate, value: fpRate },
  ]
  out.push('')
  for (const c of hideHeldOut ? checks.slice(0, 2) : checks)
    out.push(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}  (${Number.isInteger(c.value) ? c.value : c.value.toFixed(4)})`)

  // ---------------------------------------------------------------- semantic layer (--llm-model M)
  const llmModelAt = argv.indexOf('--llm-model')
  const llmModel = llmModelAt >= 0 ? argv[llmModelAt + 1] : undefined
  let llmLayer: LlmLayerResult | { skipped: string } | undefined
  if (llmModelAt >= 0 && (!llmModel || llmModel.startsWith('--'))) {
    console.error('--llm-model needs a model id, e.g. --llm-model gpt-oss-120b')
    return 2
  }
  if (llmModel) {
    const apiKey = process.env.CEREBRAS_API_KEY
    if (!apiKey) {
      llmLayer = { skipped: 'set CEREBRAS_API_KEY (and CEREBRAS_BASE_URL for another endpoint) to run the LLM judge' }
      out.push('', `Semantic layer: skipped; ${llmLayer.skipped}`)
    } else {
      // --hide-held-out keeps the held-out sets out of these figures too.
      const [a, b] = hideHeldOut ? [tunedAttacks, tunedBenign] : [attacks, benign]
      const cases = [...a.map((c) => ({ text: c.text, attack: true })), ...b.map((c) => ({ text: c.text, attack: false }))]
      llmLayer = await evalLlmLayer(cases, { baseUrl: process.env.CEREBRAS_BASE_URL || 'https://api.cerebras.ai/v1', apiKey, model: llmModel })
      out.push(...llmLayerLines(llmLayer))
    }
  }

  if (json) {
    console.log(
      JSON.stringify({
        pii: {
          micro: piiScore.micro,
          holdout: piiHoldout.micro,
          wide: { micro: piiWide.micro, perType: Object.fromEntries(piiWide.perType) },
          holdout3: { micro: piiHoldout3.micro, perType: Object.fromEntries(piiHoldout3.perType) },
          perType: Object.fromEntries(piiScore.perType),
          invalidChecksumFlags: invalidChecksumFlags.length,
        },
        injection: {
          recall,
          falsePositiveRate: fpRate,
          holdout: { recall: rate(sets.attacks.holdout), falsePositiveRate: rate(sets.benign.holdout) },
          holdout2: { recall: rate(sets.attacks.holdout2), falsePositiveRate: rate(sets.benign.holdout2) },
          wide: { recall: rate(sets.attacks.wide), falsePositiveRate: rate(sets.benign.wide) },
          holdout3: { recall: rate(sets.attacks.holdout3), falsePositiveRate: rate(sets.benign.holdout3) },
          perFamily: Object.fromEntries(perFamily),
        },
        checks,
        ...(llmLayer ? { llmLayer } : {}),
      }),
    )
  } else {
    console.log(out.join('\n'))
  }
  return checks.every((c) => c.ok) ? 0 : 1
}
