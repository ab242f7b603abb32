/** A `wafer` subcommand. Each lives in electron/cli/commands/<name>.ts and is its module's default export. */
export interface Command {
  /** e.g. `policy lint`; words after `wafer`. Its one-line summary lives in registry.ts, the one place --help reads. */
  name: string
  usage: string
  /** Returns the process exit code. */
  run(argv: string[], io: CommandIO): Promise<number>
}

export interface CommandIO {
  stdout: (s: string) => void
  stderr: (s: string) => void
  env: NodeJS.ProcessEnv
  cwd: string
}
