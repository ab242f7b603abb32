import type { CompiledChain } from '@shared/policy/engine/chain'

import type { Command, CommandIO } from '../command'
import { parseFlags } from '../flags'
import { loadDeprecatedModelLookup, readPolicyUserFile, readUserFile } from './policy-lint'

const USAGE = 'wafer policy test --policy-config <policy-config.yaml> --input <prompts.jsonl> [--json]'

export function createPolicyTestCommand(): Command {
  return {
    name: 'policy test',
    usage: USAGE,
    async run(argv: string[], io: CommandIO): Promise<number> {
      const flags = parseFlags(argv, { values: ['policy-config', 'input'], booleans: ['json'] })
      if (flags.error || !flags.values['policy-config'] || !flags.values.input) {
        io.stderr(
          `wafer policy test: ${flags.error ?? (!flags.values['policy-config'] ? '--policy-config is required' : '--input is required')}\nUsage: ${USAGE}\n`,
        )
        return 2
      }
      const json = flags.booleans.has('json')
      const configFile = flags.values['policy-config']
      const cfgText = await readPolicyUserFile(io.cwd, configFile)
      if (!cfgText.ok) {
        io.stderr(`wafer policy test: ${cfgText.error}\n`)
        return 2
      }
      // The linter, the engine and zod load only now, not for --help or a bad flag.
      const [{ lintPolicyText }, { compileChain, PolicyCompileError }, { evaluateLine, humanLine, splitLines }] = await Promise.all([
        import('@shared/policy/lint'),
        import('@shared/policy/engine/chain'),
        import('./policy-test-lines'),
      ])
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
        const summary = Object.entries(counts)
          .map(([v, n]) => `${n} ${v}`)
          .join(', ')
        io.stdout(
          `${lines.length} prompt${lines.length === 1 ? '' : 's'}: ${summary || 'none evaluated'}${bad ? `, ${bad} bad line${bad === 1 ? '' : 's'}` : ''}\n`,
        )
      }
      return bad ? 1 : 0
    },
  }
}

export default createPolicyTestCommand()
