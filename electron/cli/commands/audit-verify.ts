import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'

import type { AuditHead, AuditProofs } from '@shared/audit/types'

import { defaultAuditDbPath, defaultAuditKeyFile } from '../../main/paths'
import type { AuditStore } from '../../main/services/audit/audit-store'
import type { WitnessLine } from '../../main/services/audit/signed-heads'
import type { Command, CommandIO } from '../command'
import { parseFlags } from '../flags'

const USAGE = 'wafer audit verify [--db FILE|URL] [--key-file FILE] [--witness FILE] [--expect-head SEQ:HASH] [--json]'

const HELP = `${USAGE}

Checks the audit log's hash chain: every record intact, none missing,
reordered or cut off the end, checkpoints left by retention consistent.
With the log's key file (audit.db.key beside an SQLite log), also each
record's keyed MAC and the head's seal; without it, says the MAC was not
checked. Signed checkpoints are checked against the public key recorded in
the log.

  --db FILE|URL           the audit log: an SQLite file (or a directory holding audit.db),
                          or postgres://user:password@host:port/database;
                          default: $WAFER_AUDIT_DB, else <user data>/audit/audit.db
  --key-file FILE         a PostgreSQL log's key file (default: $WAFER_AUDIT_KEY_FILE, else
                          <user data>/audit/postgres-<host>-<port>-<database>.key)
  --witness FILE          a witness file (\`wafer gateway run --witness\`): the log must
                          still extend every checkpoint head in it
  --expect-head SEQ:HASH  a head kept outside the log earlier; the log must still hold it
  --json                  print the result as one JSON object

Exit codes: 0 intact, 1 tampered (names the first bad record), 2 no log / not an audit log / bad arguments.
If the log was opened with log_all_access, this check is itself recorded in it.`

interface Args {
  db?: string
  keyFile?: string
  witness?: string
  expectHead?: AuditHead
  json: boolean
}

function parseArgs(argv: string[]): Args | string {
  const flags = parseFlags(argv, { values: ['db', 'key-file', 'expect-head', 'witness'], booleans: ['json'] })
  if (flags.error) return flags.error
  const args: Args = { json: flags.booleans.has('json'), db: flags.values.db, keyFile: flags.values['key-file'], witness: flags.values.witness }
  const head = flags.values['expect-head']
  if (head !== undefined) {
    const m = /^(\d+):([0-9a-f]{64})$/i.exec(head)
    if (!m) return '--expect-head needs SEQ:HASH, e.g. 1042:3fa2… (64 hex digits)'
    args.expectHead = { seq: Number(m[1]), hash: m[2].toLowerCase() }
  }
  return args
}

function locate(args: Args, io: CommandIO, auditDbPath: (dir: string) => string): string {
  // Without --db, the log the app and `wafer gateway run` write: <user data>/audit/audit.db.
  const given = args.db ?? defaultAuditDbPath(io.env)
  // A PostgreSQL URL as it is; any other URL is refused when the log opens.
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(given.trim())) return given.trim()
  const path = resolve(io.cwd, given)
  return existsSync(path) && statSync(path).isDirectory() ? auditDbPath(path) : path
}

/** What was proven beyond the hash chain, and what was not, one line each. */
function describeProofs(p: AuditProofs | undefined): string {
  if (!p) return ''
  const lines = [
    p.mac === 'checked'
      ? 'MAC chain: checked with the key file'
      : p.mac === 'not_checked'
        ? "MAC chain: NOT checked (the log's key file is not at hand)"
        : 'MAC chain: none (format 1 log)',
    `signed checkpoints verified: ${p.signedCheckpoints}`,
    ...(p.witnessHeads === null ? [] : [`witness heads the log still extends: ${p.witnessHeads}`]),
    ...(p.unfinished
      ? [
          `started, not finished: ${p.unfinished} request${p.unfinished === 1 ? '' : 's'} (still running, or interrupted by a crash): ${p.unfinishedIds.join(', ')}${p.unfinished > p.unfinishedIds.length ? ', …' : ''}`,
        ]
      : []),
    ...p.notes.map((n) => `note: ${n}`),
  ]
  return lines.map((l) => `  ${l}\n`).join('')
}

const command: Command = {
  name: 'audit verify',
  usage: HELP,
  async run(argv, io) {
    const args = parseArgs(argv)
    if (typeof args === 'string') {
      io.stderr(`wafer audit verify: ${args}\nUsage: ${USAGE}\n`)
      return 2
    }
    // The log (libsql, or PostgreSQL's client) loads only now, not for --help or a bad flag.
    const [{ auditDbPath }, { openAuditStore }, { readWitness }, { auditLocation }] = await Promise.all([
      import('../../main/services/audit/index'),
      import('../../main/services/audit/open-store'),
      import('../../main/services/audit/signed-heads'),
      import('../../main/services/audit/postgres/url'),
    ])
    const given = locate(args, io, auditDbPath)
    let where: ReturnType<typeof auditLocation>
    try {
      where = auditLocation(given, '--db')
    } catch (err) {
      io.stderr(`wafer audit verify: ${(err as Error).message}\n`)
      return 2
    }
    const file = where.kind === 'postgres' ? where.display : given
    if (where.kind === 'sqlite' && !existsSync(file)) {
      io.stderr(
        `wafer audit verify: No audit log at ${file}. Pass --db FILE or set WAFER_AUDIT_DB ` +
          '(the app and `wafer gateway run` keep their log at <user data>/audit/audit.db).\n',
      )
      return 2
    }

    let witness: WitnessLine[] | undefined
    const witnessNotes: string[] = []
    if (args.witness) {
      const wfile = resolve(io.cwd, args.witness)
      try {
        const read = readWitness(wfile)
        witness = read.heads
        witnessNotes.push(...read.problems.map((p) => `witness file: ${p}`))
      } catch (err) {
        io.stderr(`wafer audit verify: cannot read the witness file ${wfile}: ${err instanceof Error ? err.message : String(err)}\n`)
        return 2
      }
    }

    let log: AuditStore
    try {
      log = await openAuditStore(given, {
        create: false,
        actor: 'cli',
        ...(where.kind === 'postgres' ? { keyFile: resolve(io.cwd, args.keyFile ?? defaultAuditKeyFile(where.url, io.env)) } : {}),
      })
    } catch (err) {
      io.stderr(`wafer audit verify: ${err instanceof Error ? err.message : String(err)}\n`)
      return 2
    }
    try {
      const result = await log.verify({ expectHead: args.expectHead, witness, actor: 'cli' })
      if (result.proofs) result.proofs.notes.push(...witnessNotes)
      if (args.json) io.stdout(JSON.stringify({ file, ...result }) + '\n')
      else if (result.ok) {
        io.stdout(
          `audit log intact: ${file}\n` +
            // Retention's checkpoints (where pruned segments were); the signed ones are counted with the proofs below.
            `  ${result.records} records, ${result.checkpoints} retention checkpoint${result.checkpoints === 1 ? '' : 's'}, ` +
            `head ${result.head.seq}:${result.head.hash}\n` +
            describeProofs(result.proofs),
        )
      } else {
        io.stdout(`audit log FAILED verification: ${file}\n  first bad record: ${result.firstBadSeq}\n  ${result.reason}\n` + describeProofs(result.proofs))
      }
      return result.ok ? 0 : 1
    } catch (err) {
      // Verification reports tampering as a result; a throw means the log could not be read or recorded at all.
      const msg = err instanceof Error ? err.message : String(err)
      io.stderr(`wafer audit verify: ${msg}\n`)
      return 2
    } finally {
      try {
        await log.close()
      } catch (err) {
        io.stderr(`wafer audit verify: closing the log: ${err instanceof Error ? err.message : String(err)}\n`)
      }
    }
  },
}

export default command
