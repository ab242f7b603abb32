import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'

import type { DeprecatedModelInfo, LintOptions } from '@shared/policy/lint'

import type { Command, CommandIO } from '../command'
import { parseFlags } from '../flags'

const USAGE = 'wafer policy lint --file <policy-config.yaml> [--json]'

/** Exit codes: 0 clean (warnings allowed), 2 errors in the file or in the arguments. */
export function createPolicyLintCommand(opts: { lintOptions?: () => Promise<LintOptions> } = {}): Command {
  return {
    name: 'policy lint',
    usage: USAGE,
    async run(argv: string[], io: CommandIO): Promise<number> {
      const flags = parseFlags(argv, { values: ['file'], booleans: ['json'] })
      if (flags.error || !flags.values.file) {
        io.stderr(`wafer policy lint: ${flags.error ?? '--file is required'}\nUsage: ${USAGE}\n`)
        return 2
      }
      const file = flags.values.file
      const json = flags.booleans.has('json')
      const read = await readPolicyUserFile(io.cwd, file)
      if (!read.ok) {
        if (json) io.stdout(JSON.stringify({ file, ok: false, errors: 1, warnings: 0, findings: [], error: read.error }) + '\n')
        else io.stderr(`wafer policy lint: ${read.error}\n`)
        return 2
      }
      const lintOptions = opts.lintOptions ? await opts.lintOptions() : { deprecatedModel: await loadDeprecatedModelLookup() }
      // The linter (zod, yaml) loads only now, not for --help or a bad flag.
      const { lintPolicyText } = await import('@shared/policy/lint')
      const result = lintPolicyText(read.text, lintOptions)
      if (json) {
        io.stdout(
          JSON.stringify({
            file,
            ok: result.ok,
            shape: result.shape,
            errors: result.errors,
            warnings: result.warnings,
            findings: result.findings.map(({ code, severity, message, line, column, endLine, endColumn, path }) => ({
              code,
              severity,
              message,
              line,
              column,
              endLine,
              endColumn,
              path,
            })),
          }) + '\n',
        )
      } else {
        for (const f of result.findings) io.stdout(`${file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`)
        io.stdout(
          result.findings.length === 0
            ? `${file}: OK\n`
            : `${file}: ${result.errors} error${result.errors === 1 ? '' : 's'}, ${result.warnings} warning${result.warnings === 1 ? '' : 's'}\n`,
        )
      }
      return result.ok ? 0 : 2
    },
  }
}

// ---- helpers shared with policy-test.ts

/** Flags shared by the `wafer policy …` commands: `--name value`, `--name=value` and boolean `--name`. */
export async function readUserFile(cwd: string, path: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  const full = isAbsolute(path) ? path : resolve(cwd, path)
  try {
    return { ok: true, text: await readFile(full, 'utf8') }
  } catch (err) {
    return { ok: false, error: readError(path, err) }
  }
}

function readError(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(err)
  return `cannot read ${path}: ${why}`
}

/** A policy file the user named, read with the app's size cap (a larger file is refused unread). */
export async function readPolicyUserFile(cwd: string, path: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  const { readPolicyFile, PolicyFileReadError } = await import('../../main/services/gateway/policy-file-read')
  try {
    return { ok: true, text: await readPolicyFile(isAbsolute(path) ? path : resolve(cwd, path)) }
  } catch (err) {
    return { ok: false, error: err instanceof PolicyFileReadError ? err.message : readError(path, err) }
  }
}

/**
 * The model catalog's deprecation lookup, for W002. Imported when a file is
 * linted (the catalog snapshot is large), so the policy code itself does not
 * depend on the catalog; without it lint simply skips W002.
 */
export async function loadDeprecatedModelLookup(): Promise<((id: string) => DeprecatedModelInfo | undefined) | undefined> {
  try {
    const mod = (await import('@shared/catalog/lookup')) as {
      deprecationInfo?: (id: string) => { retiresOn?: string | null; replacement?: string; message?: string } | undefined
    }
    const info = mod.deprecationInfo
    if (typeof info !== 'function') return undefined
    return (id) => {
      const d = info(id)
      return d ? { date: d.retiresOn ?? null, replacement: d.replacement, message: d.message } : undefined
    }
  } catch {
    return undefined
  }
}

export default createPolicyLintCommand()
