import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'

import { WaferError } from '@shared/ipc/errors'

import type { AuditMeta } from './schema'

/*
 * The key findings are hashed with lives beside the log, not in it: `audit.db.key`.
 * A keyed hash only protects a short value (a phone number, an SSN: about 10^9
 * candidates) while the key stays secret; kept inside the log, anyone holding
 * the file — a backup, a copy handed over as evidence — could try every
 * candidate. The log stores only the key's fingerprint, to tell a wrong key
 * file from the right one. Verifying the chain needs no key; recording
 * findings and searching for an exact value do.
 *
 * Logs of format 2 derive their MAC and signing keys from the same key (see
 * chain-keys.ts), and their key file says so on a second line, `chain: v2`:
 * a log that claims to be of format 1 beside such a key file was downgraded
 * to shed its MACs and signatures.
 */

/** Where a SQLite log keeps its key: beside it. (A PostgreSQL log's key file is named when it is opened; see pg-store.ts.) */
export const keyFilePath = (dbFile: string): string => `${dbFile}.key`

/** What the log keeps of its key: enough to recognise it, nothing to derive it. */
export const keyFingerprint = (keyHex: string): string => createHash('sha256').update(`wafer-audit-key-id-v1\n${keyHex}`).digest('hex')

const KEY = /^[0-9a-f]{64}$/
const CHAIN_MARK = 'chain: v2'

/** The key from `keyFile`; undefined when there is no such file. */
export function readKeyFile(keyFile: string): string | undefined {
  return readKeyFileFull(keyFile)?.key
}

/** The key and whether the file says its log keeps a MAC chain and signed checkpoints. */
export function readKeyFileFull(keyFile: string): { key: string; chain: boolean } | undefined {
  let text: string
  try {
    text = readFileSync(keyFile, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new WaferError('storage', `Cannot read the audit log's key file ${keyFile}: ${(err as Error).message}`)
  }
  const [first = '', ...rest] = text.split('\n').map((l) => l.trim())
  if (!KEY.test(first)) throw new WaferError('storage', `${keyFile} is not an audit log key (64 hex digits expected)`)
  return { key: first, chain: rest.includes(CHAIN_MARK) }
}

/**
 * The key for a log being created: a new random one, written readable by
 * this user only; or the one already there (another process creating the
 * same log at the same moment wrote it first, or, for a fleet, the operator
 * put the shared key in place before the first replica started).
 */
export function createKeyFile(keyFile: string): string {
  const key = randomBytes(32).toString('hex')
  try {
    writeFileSync(keyFile, `${key}\n${CHAIN_MARK}\n`, { flag: 'wx', mode: 0o600 })
    return key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new WaferError('storage', `Cannot write the audit log's key file ${keyFile}: ${(err as Error).message}`)
    }
    return readKeyFile(keyFile)!
  }
}

/**
 * The findings key for an opened log. A writer (`create`) needs it; a reader
 * without it can still browse, verify and export. A key file that is not this
 * log's key is refused either way.
 */
export function loadFindingsKey(keyFile: string, stored: AuditMeta['findingsKey'], writer: boolean): string | undefined {
  if (stored.kind === 'inline') return stored.keyHex
  const key = readKeyFile(keyFile)
  if (key === undefined) {
    if (!writer) return undefined
    throw new WaferError(
      'storage',
      `The audit log's key file ${keyFile} is missing. Findings cannot be recorded without it: restore it from your backup, or start a new log.`,
      { reason: 'key_missing', file: keyFile },
    )
  }
  if (keyFingerprint(key) !== stored.fingerprint) {
    throw new WaferError('storage', `${keyFile} is not the key of this audit log (its fingerprint differs)`, {
      reason: 'key_mismatch',
      file: keyFile,
    })
  }
  return key
}
