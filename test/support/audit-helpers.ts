import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import Database from 'libsql'

import { type AuditEntryInput, type AuditLog, type AuditLogOptions, openAuditLog } from '../../electron/main/services/audit/index'

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

/**
 * What an attacker does after editing a record: recomputes every hash from
 * `fromSeq` on so the plain chain links again, and moves the head onto the
 * result. With `keyHex` (an attacker who also holds a key: the log's own, or
 * one swapped in), the MACs, the head's seal and the signed checkpoints are
 * redone with it too, and the log's public key and fingerprint are set to it.
 */
export async function rehashFrom(file: string, fromSeq: number, keyHex?: string): Promise<void> {
  const { recordHash } = await import('../../electron/main/services/audit/hashing')
  const { recordBody, recordFromRow, RECORD_COLUMNS } = await import('../../electron/main/services/audit/record')
  const { deriveChainKeys, headSeal, recordMac, signHead } = await import('../../electron/main/services/audit/chain-keys')
  const { keyFingerprint } = await import('../../electron/main/services/audit/key-file')
  const db = new Database(file)
  try {
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER ${t.name}`)
    const logId = (db.prepare("SELECT value FROM audit_meta WHERE key = 'log_id'").get() as { value: string }).value
    const rows = db.prepare(`SELECT ${RECORD_COLUMNS} FROM audit_records ORDER BY seq`).all() as Parameters<typeof recordFromRow>[0][]
    const keys = keyHex ? deriveChainKeys(keyHex) : undefined
    let prev = rows.find((r) => r.seq === fromSeq)!.prev_hash
    const hashes = new Map<number, string>()
    for (const row of rows) {
      if (row.seq < fromSeq) {
        hashes.set(row.seq, row.hash)
        if (keys) db.prepare('UPDATE audit_macs SET mac = ? WHERE seq = ?').run(recordMac(keys.macKey, logId, row.seq, row.hash), row.seq)
        continue
      }
      const rec = { ...recordFromRow(row), prevHash: prev }
      const hash = recordHash(recordBody(rec))
      db.prepare('UPDATE audit_records SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq)
      if (keys) db.prepare('UPDATE audit_macs SET mac = ? WHERE seq = ?').run(recordMac(keys.macKey, logId, row.seq, hash), row.seq)
      hashes.set(row.seq, hash)
      prev = hash
    }
    const last = rows.at(-1)!.seq
    db.prepare('UPDATE audit_head SET seq = ?, hash = ?').run(last, prev)
    db.prepare('UPDATE audit_seal SET seq = ?, hash = ?' + (keys ? ', mac = ?' : '')).run(
      last,
      prev,
      ...(keys ? [headSeal(keys.macKey, logId, last, prev)] : []),
    )
    if (keys) {
      for (const h of db.prepare('SELECT id, seq, time FROM audit_signed_heads').all() as { id: number; seq: number; time: number }[]) {
        const s = signHead(keys, logId, { seq: h.seq, hash: hashes.get(h.seq)!, time: h.time })
        db.prepare('UPDATE audit_signed_heads SET hash = ?, signature = ? WHERE id = ?').run(s.hash, s.signature, h.id)
      }
      db.prepare("UPDATE audit_meta SET value = ? WHERE key = 'signing_key'").run(keys.publicKeyHex)
      db.prepare("UPDATE audit_meta SET value = ? WHERE key = 'key_fingerprint'").run(keyFingerprint(keyHex!))
    }
  } finally {
    db.close()
  }
}

/** A log of request records (every 7th blocked) written in batches of `every` records, a signed checkpoint after each batch, heads witnessed in `witness`. */
export function checkpointedLog(dir: string, n: number, every: number, witness: string): AuditLog {
  const log = openAuditLog({ dir, checkpointEveryRecords: every, witnessFile: witness })
  for (let i = 1; i <= n; i++) {
    // Every 7th request was blocked: worth turning into an allow, for an attacker.
    log.append(requestEntry(i, i % 7 === 0 ? { status: 409, verdicts: [{ policy: 'prompt-injection', verdict: 'block', code: 'input_blocked' }] } : {}))
    if (i % every === 0) log.flush()
  }
  log.flush()
  return log
}
