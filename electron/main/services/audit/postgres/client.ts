import { WaferError } from '@shared/ipc/errors'
import postgres, { type Sql, type TransactionSql } from 'postgres'

import type { Program, SqlOp } from '../sql-program'

/*
 * The PostgreSQL side of the audit log's SQL: a client (Postgres.js) set up
 * for it, and the runner that carries a program's statements to it.
 */

export type PgSql = Sql
export type PgTx = TransactionSql | Sql

export interface PgClientOptions {
  /** Connections at most (default 4: one writes at a time, the rest read). */
  maxConnections?: number
  /** How long connecting may take before the commit fails (default 5 s). */
  connectTimeoutMs?: number
  /** How long a commit waits for the chain's head, held by another replica, before it fails (default 5 s). */
  lockTimeoutMs?: number
}

/** Epoch ms, seqs and counts are bigint: read them as numbers (exact up to 2^53). */
const int8 = {
  to: 20,
  from: [20],
  serialize: (x: number) => String(x),
  parse: (x: string) => Number(x),
}

export function pgClient(url: string, opts: PgClientOptions = {}): PgSql {
  return postgres(url, {
    max: opts.maxConnections ?? 4,
    connect_timeout: Math.max(1, Math.ceil((opts.connectTimeoutMs ?? 5000) / 1000)),
    idle_timeout: 60,
    onnotice: () => {},
    types: { int8 },
    connection: {
      application_name: 'wafer-audit',
      lock_timeout: opts.lockTimeoutMs ?? 5000,
      statement_timeout: 120_000,
    },
  })
}

/** `?` placeholders as `$1, $2…` (outside quoted strings), remembered per statement. */
const numbered = new Map<string, string>()
function dollarPlaceholders(sql: string): string {
  let out = numbered.get(sql)
  if (out !== undefined) return out
  let n = 0
  let quoted = false
  out = ''
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted
    out += ch === '?' && !quoted ? `$${++n}` : ch
  }
  if (numbered.size > 512) numbered.clear()
  numbered.set(sql, out)
  return out
}

/** Parameters per statement at most (PostgreSQL allows 65 535). */
const MAX_PARAMS = 16_000

/** The statements an op becomes: text and parameters. */
function statements(op: SqlOp): Array<{ text: string; params: unknown[]; prepare: boolean }> {
  switch (op.kind) {
    case 'get':
    case 'all':
      return [{ text: dollarPlaceholders(op.lock ? `${op.sql} FOR UPDATE` : op.sql), params: [...op.params], prepare: true }]
    case 'run':
      return [{ text: dollarPlaceholders(op.sql), params: [...op.params], prepare: true }]
    case 'insert': {
      const perStatement = Math.max(1, Math.floor(MAX_PARAMS / op.columns.length))
      const out: Array<{ text: string; params: unknown[]; prepare: boolean }> = []
      for (let i = 0; i < op.rows.length; i += perStatement) {
        const chunk = op.rows.slice(i, i + perStatement)
        let p = 0
        const values = chunk.map(() => `(${op.columns.map(() => `$${++p}`).join(', ')})`).join(', ')
        out.push({ text: `INSERT INTO ${op.table} (${op.columns.join(', ')}) VALUES ${values}`, params: chunk.flat(), prepare: chunk.length === 1 })
      }
      return out
    }
  }
}

/**
 * Runs a program's statements on `tx` (a transaction, or the pool for a lone
 * read). Pipelined writes are sent without waiting; they are all answered
 * before the next statement whose result the program needs, and before this
 * returns (so before the transaction commits). The first failure fails the run.
 */
export async function runOnPostgres<T>(tx: PgTx, program: Program<T>): Promise<T> {
  let sent: Array<Promise<unknown>> = []
  const settle = async () => {
    if (!sent.length) return
    const waiting = sent
    sent = []
    const results = await Promise.allSettled(waiting)
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
  }
  let step = program.next()
  while (!step.done) {
    const op = step.value
    const parts = statements(op)
    if ('pipelined' in op && op.pipelined) {
      // then() sends the query now (Postgres.js queries are lazy): they go out back to back on the transaction's connection.
      for (const s of parts) sent.push(Promise.resolve(tx.unsafe(s.text, s.params as never[], { prepare: s.prepare })))
      step = program.next(undefined)
      continue
    }
    await settle()
    let result: unknown
    if (op.kind === 'get' || op.kind === 'all') {
      const rows = await tx.unsafe(parts[0].text, parts[0].params as never[], { prepare: true })
      result = op.kind === 'get' ? rows[0] : [...rows]
    } else {
      let changes = 0
      for (const s of parts) changes += (await tx.unsafe(s.text, s.params as never[], { prepare: s.prepare })).count
      result = { changes }
    }
    step = program.next(result)
  }
  await settle()
  return step.value
}

/** PostgreSQL's error codes that mean "the server is not there" rather than "it refused this". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  '57P01',
  '57P02',
  '57P03',
])

/** Whether an error says the database could not be reached (as opposed to a refusal by it). */
export function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && UNREACHABLE.has(code)
}

/** A storage error that names the database and says what went wrong, without the password. */
export function pgError(what: string, display: string, err: unknown): WaferError {
  if (err instanceof WaferError) return err
  const msg = err instanceof Error ? err.message : String(err)
  const why = isUnreachable(err) ? `PostgreSQL at ${display} cannot be reached (${msg})` : msg
  return new WaferError('storage', `${what}: ${why}`, { reason: isUnreachable(err) ? 'unreachable' : 'database' })
}
