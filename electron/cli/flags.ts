import { parseArgs } from 'node:util'

/**
 * Command-line flags for every `wafer` subcommand, through Node's own
 * util.parseArgs (--flag value and --flag=value, repeats, strict about
 * unknown flags), with its errors said the way the CLI says things.
 */

export interface FlagSpec {
  /** Flags that take one value. */
  values?: readonly string[]
  /** Flags that take a value and may repeat (later ones after earlier ones). */
  lists?: readonly string[]
  booleans?: readonly string[]
}

export interface Flags {
  values: Record<string, string>
  lists: Record<string, string[]>
  booleans: Set<string>
  /** Set when the arguments could not be read; the rest is then empty. */
  error?: string
}

export function parseFlags(argv: string[], spec: FlagSpec): Flags {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {}
  for (const v of spec.values ?? []) options[v] = { type: 'string' }
  for (const l of spec.lists ?? []) options[l] = { type: 'string', multiple: true }
  for (const b of spec.booleans ?? []) options[b] = { type: 'boolean' }
  const empty = (error: string): Flags => ({ values: {}, lists: {}, booleans: new Set(), error })
  let parsed: Record<string, string | boolean | string[] | undefined>
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as typeof parsed
  } catch (err) {
    const e = err as Error & { code?: string }
    const quoted = /'(--?[^' <]+)/.exec(e.message)?.[1] ?? /'([^']+)'/.exec(e.message)?.[1] ?? ''
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return empty(`${quoted} needs a value`)
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return empty(`unknown argument '${quoted}'`)
    return empty(e.message)
  }
  const flags: Flags = { values: {}, lists: {}, booleans: new Set() }
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue
    if (typeof value === 'boolean') {
      if (value) flags.booleans.add(name)
    } else if (Array.isArray(value)) {
      if (value.some((v) => v === '')) return empty(`--${name} needs a value`)
      flags.lists[name] = value
    } else {
      if (value === '') return empty(`--${name} needs a value`)
      flags.values[name] = value
    }
  }
  return flags
}

/** A whole-number flag: its value, undefined when not given, or the error to print. */
export function intFlag(flags: Flags, name: string, min: number): number | undefined | string {
  const v = flags.values[name]
  if (v === undefined) return undefined
  const n = Number(v)
  return Number.isInteger(n) && n >= min ? n : `--${name} needs a whole number ≥ ${min}`
}
