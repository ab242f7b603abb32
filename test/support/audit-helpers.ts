import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'libsql'
import { openAuditLog, type AuditLog, type AuditLogOptions, type AuditEntryInput } from '../../electron/main/services/audit/index'

/** A fresh directory per test; removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wafer-audit-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A settable clock starting at a fixed instant. */
export function fakeClock(start = Date.UTC(2025, 0, 1)): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => (t += ms), set: (ms) => (t = ms) }
}

export function requestEntry(i: number, extra: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    kind: 'request',
    requestId: `req-${i}`,
    client: `127.0.0.1:${50000 + i}`,
    target: i % 2 ? 'cerebras-fast' : 'openai-fallback',
    model: 'llama3.3-70b',
    status: 200,
    verdicts: [{ policy: 'prompt-injection', verdict: 'allow' }],
    usage: { promptTokens: 10 + i, completionTokens: 5, totalTokens: 15 + i },
    latencyMs: 100 + i,
    ...extra,
  }
}

/** Opens a log in `dir` and commits `n` request records. */
export function filledLog(dir: string, n: number, opts: Partial<AuditLogOptions> = {}): AuditLog {
  const log = openAuditLog({ dir, ...opts })
  for (let i = 1; i <= n; i++) log.append(requestEntry(i))
  log.flush()
  return log
}

/** What an attacker with the file does: a plain SQLite connection, guard-rail triggers dropped first. */
export function tamper(file: string, sql: string): void {
  const db = new Database(file)
  try {
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`)
    db.exec(sql)
  } finally {
    db.close()
  }
}

/** Runs SQL without dropping anything, as code in the app would. */
export function rawExec(file: string, sql: string): void {
  const db = new Database(file)
  try {
    db.exec(sql)
  } finally {
    db.close()
  }
}

export function rawAll(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file)
  try {
    return db.prepare(sql).all() as Record<string, unknown>[]
  } finally {
    db.close()
  }
}
