import { fileURLToPath } from 'node:url'

// Only the version: the build inlines this one string, not package.json.
import { version as packageVersion } from '../../package.json'
import type { CommandIO } from './command'
import { commandLoaders } from './registry'

// This module and registry.ts are all that `wafer --version` and `--help` load:
// each command, and whatever it needs, is imported when it is run.

function help(): string {
  const names = Object.keys(commandLoaders).sort()
  const width = Math.max(12, ...names.map((n) => n.length)) + 2
  const lines = [
    'wafer — Wafer Console command line',
    '',
    'Usage: wafer <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}${commandLoaders[n].summary}`),
    '',
    'Options:',
    `  ${'--help, -h'.padEnd(width)}Show this help (or a command's help: wafer <command> --help)`,
    `  ${'--version, -v'.padEnd(width)}Print the version`,
  ]
  return lines.join('\n') + '\n'
}

/** Find the longest registered command name that prefixes argv. */
function resolve(argv: string[]): { name: string; rest: string[] } | undefined {
  for (let n = Math.min(3, argv.length); n > 0; n--) {
    const name = argv.slice(0, n).join(' ')
    if (commandLoaders[name]) return { name, rest: argv.slice(n) }
  }
  return undefined
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(help())
    return 0
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(packageVersion + '\n')
    return 0
  }
  const found = resolve(argv)
  if (!found) {
    const group = Object.keys(commandLoaders).filter((n) => n.startsWith(argv[0] + ' '))
    io.stderr(
      group.length ? `wafer ${argv[0]}: choose one of: ${group.join(', ')}\n` : `wafer: unknown command '${argv[0]}'. Run 'wafer --help' for the list.\n`,
    )
    return 2
  }
  const cmd = await commandLoaders[found.name].load()
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout(`${commandLoaders[found.name].summary}\n\nUsage: ${cmd.usage}\n`)
    return 0
  }
  return cmd.run(found.rest, io)
}

/** Run as the `wafer` process: argv, stdio and the exit code of this process. */
export function runAsProcess(argv: string[] = process.argv.slice(2)): Promise<void> {
  return main(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`wafer: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = 1
    },
  )
}

// bin/wafer.mjs imports the built file and calls runAsProcess; run directly
// (node --import tsx electron/cli/main.ts …) it runs itself.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void runAsProcess()
