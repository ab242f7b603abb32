import type Database from 'libsql'

import type { Db } from './connection'
import { insertSql, type Program, type SqlOp, type SyncRunner } from './sql-program'

/** Statements kept prepared at most; past it the cache starts over (filters build many shapes of query). */
const MAX_PREPARED = 256

/** Runs audit programs on a SQLite connection, synchronously, each statement prepared once. */
export class SqliteRunner implements SyncRunner {
  private readonly prepared = new Map<string, Database.Statement>()

  constructor(private readonly db: Db) {}

  run<T>(program: Program<T>): T {
    let step = program.next()
    while (!step.done) step = program.next(this.exec(step.value))
    return step.value
  }

  private statement(sql: string): Database.Statement {
    let s = this.prepared.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      if (this.prepared.size >= MAX_PREPARED) this.prepared.clear()
      this.prepared.set(sql, s)
    }
    return s
  }

  private exec(op: SqlOp): unknown {
    switch (op.kind) {
      case 'get':
        return this.statement(op.sql).get(...op.params)
      case 'all':
        return this.statement(op.sql).all(...op.params)
      case 'run':
        return { changes: Number(this.statement(op.sql).run(...op.params).changes) }
      case 'insert': {
        const s = this.statement(insertSql(op.table, op.columns))
        let changes = 0
        for (const row of op.rows) changes += Number(s.run(...row).changes)
        return { changes }
      }
    }
  }
}
