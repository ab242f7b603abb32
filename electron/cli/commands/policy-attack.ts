import type { CompiledChain } from '@shared/policy/engine/chain'

import type { Command, CommandIO } from '../command'
import { intFlag, parseFlags } from '../flags'
import { loadDeprecatedModelLookup, readPolicyUserFile } from './policy-lint'

const USAGE = 'wafer policy attack --policy-config <policy-config.yaml> [--json] [--seed N] [--show N] [--min-recall R]'

/** Misses printed in the human report unless --show says otherwise (--json carries them all). */
const DEFAULT_SHOWN = 100

const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`)

/**
 * `wafer policy attack`: the generated attack suite (shared/policy/attack-suite)
 * through a policy chain, reported per family, language and encoding, with the
 * misses and the benign prompts wrongly flagged. A report, not a gate: exit 0,
 * unless --min-recall is given and the chain catches less than that share.
 */
export function createPolicyAttackCommand(): Command {
  return {
    name: 'policy attack',
    usage: USAGE,
    async run(argv: string[], io: CommandIO): Promise<number> {
      const flags = parseFlags(argv, { values: ['policy-config', 'seed', 'show', 'min-recall'], booleans: ['json'] })
      const usage = (msg: string) => {
        io.stderr(`wafer policy attack: ${msg}\nUsage: ${USAGE}\n`)
        return 2
      }
      if (flags.error) return usage(flags.error)
      const configFile = flags.values['policy-config']
      if (!configFile) return usage('--policy-config is required')
      const seed = intFlag(flags, 'seed', 0)
      if (typeof seed === 'string') return usage(seed)
      const show = intFlag(flags, 'show', 0)
      if (typeof show === 'string') return usage(show)
      let minRecall: number | undefined
      if (flags.values['min-recall'] !== undefined) {
        minRecall = Number(flags.values['min-recall'])
        if (!Number.isFinite(minRecall) || minRecall < 0 || minRecall > 1) return usage('--min-recall needs a number from 0 to 1 (0.8 is 80%)')
      }
      const json = flags.booleans.has('json')
      const cfgText = await readPolicyUserFile(io.cwd, configFile)
      if (!cfgText.ok) {
        io.stderr(`wafer policy attack: ${cfgText.error}\n`)
        return 2
      }
      const [{ lintPolicyText }, { compileChain, PolicyCompileError }, suite] = await Promise.all([
        import('@shared/policy/lint'),
        import('@shared/policy/engine/chain'),
        import('@shared/policy/attack-suite'),
      ])
      const lint = lintPolicyText(cfgText.text, { deprecatedModel: await loadDeprecatedModelLookup() })
      if (!lint.ok || !lint.config) {
        for (const f of lint.findings.filter((x) => x.severity === 'error')) io.stderr(`${configFile}:${f.line}:${f.column}: error ${f.code} ${f.message}\n`)
        io.stderr(`wafer policy attack: ${configFile} has errors; fix them first (wafer policy lint --file ${configFile})\n`)
        return 2
      }
      let chain: CompiledChain
      try {
        chain = compileChain(lint.config)
      } catch (err) {
        io.stderr(`wafer policy attack: ${err instanceof PolicyCompileError ? err.message : String(err)}\n`)
        return 2
      }
      const report = suite.runAttackSuite(chain, suite.generateAttackLibrary(seed ?? suite.DEFAULT_ATTACK_SEED))
      const recall = suite.recall(report.total) ?? 0
      if (json) {
        io.stdout(
          JSON.stringify({ file: configFile, pack: lint.config.pack?.name ?? null, recall, falseBlockRate: suite.falseBlockRate(report.total), ...report }) +
            '\n',
        )
      } else {
        const row = (label: string, t: (typeof report)['total']) =>
          `${label.padEnd(18)}${`${t.caught}/${t.attacks}`.padStart(11)}${pct(suite.recall(t)).padStart(8)}${`${t.falseBlocks}/${t.benign}`.padStart(11)}${pct(suite.falseBlockRate(t)).padStart(8)}\n`
        const head = `${'caught'.padStart(29)}${'benign flagged'.padStart(19)}\n`
        io.stdout(`Attack suite (seed ${report.seed}) against ${configFile}\n\n`)
        io.stdout(`By family${head.slice(9)}`)
        for (const t of report.byFamily) io.stdout(row(t.family, t))
        io.stdout(`\nBy language${head.slice(11)}`)
        for (const t of report.byLanguage) io.stdout(row(t.language, t))
        io.stdout(`\nBy encoding${head.slice(11)}`)
        for (const t of report.byEncoding) io.stdout(row(t.encoding, t))
        io.stdout(`\n${row('All', report.total)}`)
        const limit = show ?? DEFAULT_SHOWN
        const list = (title: string, cases: typeof report.misses) => {
          if (!cases.length) return
          io.stdout(`\n${title} (${cases.length}${cases.length > limit ? `, first ${limit} shown; --json lists all` : ''}):\n`)
          for (const c of cases.slice(0, limit)) {
            const text = c.text.replace(/\s+/g, ' ')
            io.stdout(
              `${c.id}\t${c.family}\t${c.language}\t${c.encoding}\t${c.policies.join(',') || '-'}\t${text.length > 140 ? `${text.slice(0, 139)}…` : text}\n`,
            )
          }
        }
        list('Missed attacks', report.misses)
        list('Benign prompts flagged', report.falseBlocks)
      }
      if (minRecall !== undefined && recall < minRecall) {
        io.stderr(`wafer policy attack: caught ${pct(recall)} of attacks, below --min-recall ${pct(minRecall)}\n`)
        return 1
      }
      return 0
    },
  }
}

export default createPolicyAttackCommand()
