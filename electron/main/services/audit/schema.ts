import { randomUUID } from 'node:crypto'

import { WaferError } from '@shared/ipc/errors'
import type Database from 'libsql'

import { deriveChainKeys, headSeal } from './chain-keys'
import { genesisHash } from './hashing'
import { createKeyFile, keyFingerprint } from './key-file'
import { all, get, insertRows, type Program, run, type SyncRunner } from './sql-program'

export const AUDIT_FORMAT = 'wafer-audit'
/** New logs are of format 2 (format 1 logs are still read and extended: they have no MACs or signatures). */
export const AUDIT_FORMAT_VERSION = '2'
const READABLE_VERSIONS = ['1', '2']

/**
 * The tables of audit.db (a file of its own, so the log's retention, backups
 * and permissions are independent of any other app data).
 *
 * - audit_records: the hash-chained records, seq = rowid.
 * - audit_head: one row, the seq and hash of the newest record. It is the
 *   tamper-evident end marker: cutting records off the tail leaves the head
 *   pointing past the last record. It lives in the same database rather than
 *   a side file because a side file cannot be written atomically with a
 *   SQLite commit: after kill -9 it could be ahead of the records, which
 *   would look exactly like truncation. Here a trigger moves it in the same
 *   statement as each insert, and it is itself chained (its hash is the last
 *   record's hash), so editing it is caught like editing a record. What no
 *   keyless scheme can catch is someone rewriting records, head and hashes
 *   together; for that, keep a copy of `head()` elsewhere and pass it to
 *   verify({ expectHead }) (the CLI's --expect-head).
 * - audit_segments: contiguous seq ranges, the unit retention removes.
 * - audit_checkpoints: what a prune leaves behind, chained to each other.
 * - audit_meta: format marker, log id, the findings key's fingerprint (the key
 *   itself is in `<file>.key`, see key-file.ts); never changes.
 * - audit_settings: the options the log was last opened with, so a reader
 *   such as the CLI honours log_all_access without the policy file.
 * - format 2 only (SCHEMA_V2): audit_macs, each record's keyed MAC;
 *   audit_seal, the head marker's keyed seal; audit_signed_heads, the signed
 *   checkpoints (see chain-keys.ts). audit_meta's signing_key holds the
 *   checkpoints' public key.
 *
 * The triggers are guard rails for code, not the evidence (anyone with the
 * file can drop them; the hashes are the evidence): records are never
 * updated, and deleted only once a checkpoint covers them; inserts must
 * extend the chain exactly; checkpoints and meta never change.
 */
const SCHEMA = `
CREATE TABLE audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE audit_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE audit_records (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  request_id TEXT,
  client TEXT,
  target TEXT,
  model TEXT,
  status INTEGER,
  verdict TEXT,
  verdicts TEXT NOT NULL,
  findings TEXT NOT NULL,
  usage TEXT,
  latency_ms REAL,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_records_time ON audit_records (time);
CREATE INDEX audit_records_request ON audit_records (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX audit_records_kind ON audit_records (kind);
CREATE INDEX audit_records_verdict ON audit_records (verdict) WHERE verdict IS NOT NULL;
CREATE TABLE audit_segments (
  id INTEGER PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  first_time INTEGER NOT NULL,
  last_time INTEGER NOT NULL
);
CREATE TABLE audit_checkpoints (
  id INTEGER PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  record_hash TEXT NOT NULL,
  records INTEGER NOT NULL,
  segments INTEGER NOT NULL,
  retention_days INTEGER NOT NULL,
  cutoff INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are immutable'); END;
CREATE TRIGGER audit_records_delete_only_pruned BEFORE DELETE ON audit_records
WHEN OLD.seq > coalesce((SELECT max(seq) FROM audit_checkpoints), 0)
BEGIN SELECT RAISE(ABORT, 'audit records are only removed by pruning behind a checkpoint'); END;
CREATE TRIGGER audit_records_extend_chain BEFORE INSERT ON audit_records
WHEN NEW.seq IS NOT (SELECT seq FROM audit_head) + 1 OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head)
BEGIN SELECT RAISE(ABORT, 'an audit record must extend the chain at its head'); END;
CREATE TRIGGER audit_records_move_head AFTER INSERT ON audit_records
BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END;

CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
WHEN NEW.seq IS NOT OLD.seq + 1
BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward with an appended record'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head cannot be removed'); END;

CREATE TRIGGER audit_segments_delete_only_pruned BEFORE DELETE ON audit_segments
WHEN OLD.last_seq > coalesce((SELECT max(seq) FROM audit_checkpoints), 0)
BEGIN SELECT RAISE(ABORT, 'audit segments are only removed by pruning behind a checkpoint'); END;

CREATE TRIGGER audit_checkpoints_contiguous BEFORE INSERT ON audit_checkpoints
WHEN NEW.first_seq IS NOT coalesce((SELECT max(seq) FROM audit_checkpoints), 0) + 1
  OR NEW.seq > (SELECT seq FROM audit_head) OR NEW.seq < NEW.first_seq
BEGIN SELECT RAISE(ABORT, 'a checkpoint must continue from the previous one'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable'); END;

CREATE TRIGGER audit_meta_no_update BEFORE UPDATE ON audit_meta
BEGIN SELECT RAISE(ABORT, 'audit log metadata is immutable'); END;
CREATE TRIGGER audit_meta_no_delete BEFORE DELETE ON audit_meta
BEGIN SELECT RAISE(ABORT, 'audit log metadata is immutable'); END;
`

const SCHEMA_V2 = `
CREATE TABLE audit_macs (seq INTEGER PRIMARY KEY, mac TEXT NOT NULL);
CREATE TABLE audit_seal (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE audit_signed_heads (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, time INTEGER NOT NULL, signature TEXT NOT NULL);
CREATE TRIGGER audit_macs_no_update BEFORE UPDATE ON audit_macs
BEGIN SELECT RAISE(ABORT, 'audit records are immutable'); END;
CREATE TRIGGER audit_macs_delete_only_pruned BEFORE DELETE ON audit_macs
WHEN OLD.seq > coalesce((SELECT max(seq) FROM audit_checkpoints), 0)
BEGIN SELECT RAISE(ABORT, 'audit records are only removed by pruning behind a checkpoint'); END;
CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal
BEGIN SELECT RAISE(ABORT, 'the audit head cannot be removed'); END;
CREATE TRIGGER audit_signed_heads_no_update BEFORE UPDATE ON audit_signed_heads
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable'); END;
CREATE TRIGGER audit_signed_heads_no_delete BEFORE DELETE ON audit_signed_heads
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable'); END;
`

export interface AuditMeta {
  logId: string
  /**
   * The findings key: in the log itself (`inline`, logs made before the key
   * moved out), or in `<file>.key` with only its fingerprint here (`file`).
   */
  findingsKey: { kind: 'inline'; keyHex: string } | { kind: 'file'; fingerprint: string }
  createdAt: number
  genesis: string
  /** 1: hash chain only; 2: also MACs, a sealed head and signed checkpoints. */
  version: 1 | 2
  /** Format 2: the raw Ed25519 public key (hex) the log says its checkpoints are signed with. */
  signingKey: string | null
}

type Db = Database.Database

/** Tables that exist in the file, or a storage error when it is not a SQLite database at all. */
function tableNames(db: Db, file: string): Set<string> {
  try {
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    return new Set(rows.map((r) => r.name))
  } catch (err) {
    throw notAnAuditLog(file, err instanceof Error ? err.message : String(err))
  }
}

export function notAnAuditLog(file: string, why: string): WaferError {
  return new WaferError('storage', `${file} is not a Wafer audit log (${why})`, { reason: 'not_audit_log', file })
}

/**
 * Reads the log's identity, creating the schema first when the file is a
 * brand-new empty database and `create` allows it (with the key in
 * `keyFile`, made when missing). Never touches a database that has other
 * tables in it.
 */
export function openSchema(db: Db, runner: SyncRunner, file: string, keyFile: string, create: boolean, now: number): AuditMeta {
  const tables = tableNames(db, file)
  if (tables.size === 0) {
    if (!create) throw notAnAuditLog(file, 'it is empty')
    const key = createKeyFile(keyFile)
    initialise(db, runner, now, key)
  } else if (!tables.has('audit_meta') || !tables.has('audit_records')) {
    throw notAnAuditLog(file, 'it holds other tables')
  }
  return runner.run(readMeta(file))
}

/** The log's identity from audit_meta (the same in every store). */
export function* readMeta(location: string): Program<AuditMeta> {
  const meta = new Map((yield* all<{ key: string; value: string }>('SELECT key, value FROM audit_meta')).map((r) => [r.key, r.value]))
  if (meta.get('format') !== AUDIT_FORMAT) throw notAnAuditLog(location, 'its format marker is missing')
  const version = meta.get('version')
  if (!version || !READABLE_VERSIONS.includes(version)) {
    throw new WaferError('storage', `${location} is an audit log of format version ${version}, which this Wafer cannot read`, {
      reason: 'unsupported_version',
      file: location,
    })
  }
  const logId = meta.get('log_id')
  const salt = meta.get('salt')
  const fingerprint = meta.get('key_fingerprint')
  const createdAt = Number(meta.get('created_at'))
  const findingsKey: AuditMeta['findingsKey'] | undefined =
    salt && HEX64.test(salt)
      ? { kind: 'inline', keyHex: salt }
      : salt === KEY_IN_FILE && fingerprint && HEX64.test(fingerprint)
        ? { kind: 'file', fingerprint }
        : undefined
  if (!logId || !findingsKey || !Number.isFinite(createdAt)) {
    throw notAnAuditLog(location, 'its identity rows are damaged')
  }
  return { logId, findingsKey, createdAt, genesis: genesisHash(logId), version: version === '2' ? 2 : 1, signingKey: meta.get('signing_key') ?? null }
}

const HEX64 = /^[0-9a-f]{64}$/
/** audit_meta's `salt` when the findings key lives in a key file. */
const KEY_IN_FILE = 'key-file'

/** The rows a new format-2 log starts with: its identity, and the head at genesis with its seal. Inside the transaction that made the tables. */
export function* initialRows(now: number, keyHex: string): Program<void> {
  const keys = deriveChainKeys(keyHex)
  const logId = randomUUID()
  const genesis = genesisHash(logId)
  yield* insertRows(
    'audit_meta',
    ['key', 'value'],
    [
      ['format', AUDIT_FORMAT],
      ['version', AUDIT_FORMAT_VERSION],
      ['log_id', logId],
      ['salt', KEY_IN_FILE],
      ['key_fingerprint', keyFingerprint(keyHex)],
      ['created_at', String(now)],
      ['signing_key', keys.publicKeyHex],
    ],
  )
  yield* run('INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)', genesis)
  yield* run('INSERT INTO audit_seal (id, seq, hash, mac) VALUES (1, 0, ?, ?)', genesis, headSeal(keys.macKey, logId, 0, genesis))
}

function initialise(db: Db, runner: SyncRunner, now: number, keyHex: string): void {
  // Must precede the first table: lets prune give freed pages back to the file system.
  db.exec('PRAGMA auto_vacuum = INCREMENTAL')
  db.exec('BEGIN IMMEDIATE')
  try {
    // Another process may have created the log between our look and our lock.
    const existing = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }
    if (existing.n > 0) {
      db.exec('ROLLBACK')
      return
    }
    db.exec(SCHEMA)
    db.exec(SCHEMA_V2)
    runner.run(initialRows(now, keyHex))
    db.exec('COMMIT')
  } catch (err) {
    db.exec('ROLLBACK')
    throw err
  }
}

export function* readSetting(key: string): Program<string | undefined> {
  return (yield* get<{ value: string }>('SELECT value FROM audit_settings WHERE key = ?', key))?.value
}

export function* writeSetting(key: string, value: string): Program<void> {
  if ((yield* readSetting(key)) === value) return
  yield* run('INSERT INTO audit_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value)
}
