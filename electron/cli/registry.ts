import type { Command } from './command'

/**
 * Every subcommand of `wafer`. Add a command by writing
 * electron/cli/commands/<name>.ts and listing it here; --help lists it.
 * Commands are loaded lazily so `wafer --version` stays instant.
 */
export const commandLoaders: Record<string, { summary: string; load: () => Promise<Command> }> = {
  'policy lint': {
    summary: 'Check a policy-config.yaml: schema, kinds, patterns (exit 2 on errors)',
    load: async () => (await import('./commands/policy-lint')).default,
  },
  'policy test': {
    summary: 'Run prompts (JSONL) through a policy chain: verdicts, findings, redactions',
    load: async () => (await import('./commands/policy-test')).default,
  },
  'policy attack': {
    summary: 'Run a generated suite of attacks and benign look-alikes through a policy chain: caught, missed, wrongly flagged',
    load: async () => (await import('./commands/policy-attack')).default,
  },
  'gateway run': {
    summary: 'Run a local OpenAI-compatible gateway that enforces a policy-config.yaml',
    load: async () => (await import('./commands/gateway-run')).default,
  },
  'audit verify': {
    summary: 'Check the audit log for edited, deleted, reordered or truncated records',
    load: async () => (await import('./commands/audit-verify')).default,
  },
}
