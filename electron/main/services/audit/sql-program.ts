/*
 * The audit log's SQL, written once for both stores. A piece of work on the
 * log (extend the chain, sign a checkpoint, prune, read a page) is a
 * generator that yields the statements it needs and gets their results back:
 * SQLite runs it synchronously inside its write transaction (runSync, with
 * prepared statements), PostgreSQL awaits each statement inside its own
 * (pg-runner.ts). So the rules of the chain live in one place, and neither
 * store pays for the other's way of talking to its database.
 *
 * Statements use `?` placeholders and SQL both databases accept.
 */

export type SqlOp =
  /** `lock`: the row read is the one the transaction serialises on (PostgreSQL adds FOR UPDATE; SQLite's BEGIN IMMEDIATE already holds the lock). */
  | { kind: 'get' | 'all'; sql: string; params: readonly unknown[]; lock?: boolean }
  /**
   * `pipelined`: the program does not need the result (it gets undefined), so PostgreSQL may send the
   * statement without waiting for it, with the writes after it, in one round trip; they are all answered
   * before the next read, and before the transaction commits. SQLite runs it at once, as any other.
   */
  | { kind: 'run'; sql: string; params: readonly unknown[]; pipelined?: boolean }
  /** Rows into `table`: one statement per row in SQLite (prepared once), one statement for them all in PostgreSQL. */
  | { kind: 'insert'; table: string; columns: readonly string[]; rows: readonly (readonly unknown[])[]; pipelined?: boolean }

/** What a `run` or `insert` reports: rows changed. */
export interface RunResult {
  changes: number
}

export type Program<T> = Generator<SqlOp, T, unknown>

/** The first row the statement returns, or undefined. */
export function* get<T>(sql: string, ...params: unknown[]): Program<T | undefined> {
  return (yield { kind: 'get', sql, params }) as T | undefined
}

/** The row the transaction locks (the chain's head): read for update. */
export function* getLocked<T>(sql: string, ...params: unknown[]): Program<T | undefined> {
  return (yield { kind: 'get', sql, params, lock: true }) as T | undefined
}

export function* all<T>(sql: string, ...params: unknown[]): Program<T[]> {
  return (yield { kind: 'all', sql, params }) as T[]
}

export function* run(sql: string, ...params: unknown[]): Program<RunResult> {
  return (yield { kind: 'run', sql, params }) as RunResult
}

export function* insertRows(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Program<RunResult> {
  if (!rows.length) return { changes: 0 }
  return (yield { kind: 'insert', table, columns, rows }) as RunResult
}

/** A write whose result the program does not need: pipelined where the database allows (see SqlOp). */
export function* write(sql: string, ...params: unknown[]): Program<void> {
  yield { kind: 'run', sql, params, pipelined: true }
}

/** insertRows, pipelined. */
export function* writeRows(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Program<void> {
  if (rows.length) yield { kind: 'insert', table, columns, rows, pipelined: true }
}

/** The statement a SQLite `insert` op runs for each row. */
export const insertSql = (table: string, columns: readonly string[]): string =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`

/** Something that runs programs: the SQLite connection (synchronously) or a PostgreSQL transaction. */
export interface SyncRunner {
  run<T>(program: Program<T>): T
}

export interface AsyncRunner {
  run<T>(program: Program<T>): Promise<T>
}
