/** A `wafer` subcommand. Each lives in electron/cli/commands/<name>.ts. */
export interface Command {
  /** e.g. `policy lint`; words after `wafer`. */
  name: string
  summary: string
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
