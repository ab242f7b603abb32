import { createHash, createHmac } from 'node:crypto'

import { canonicalJson } from './canonical'

/*
 * Every hash is SHA-256 over a domain prefix and a canonical serialisation.
 * The prefixes keep a record hash from ever equalling a checkpoint hash or a
 * genesis hash computed over the same bytes.
 */

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** The `prevHash` of record 1: binds the chain to this log, so records spliced in from another log do not link. */
export function genesisHash(logId: string): string {
  return sha256(`wafer-audit-genesis-v1\n${logId}`)
}

/** Hash of a record body: every stored field except `hash` itself. */
export function recordHash(body: Record<string, unknown>): string {
  return recordHashOfCanonical(canonicalJson(body))
}

/** The same, for a body already in canonical form (the append path builds it directly). */
export function recordHashOfCanonical(canonicalBody: string): string {
  return sha256(`wafer-audit-record-v1\n${canonicalBody}`)
}

/** Hash of a checkpoint body: every stored field except `hash` itself. */
export function checkpointHash(body: Record<string, unknown>): string {
  return sha256(`wafer-audit-checkpoint-v1\n${canonicalJson(body)}`)
}

/**
 * What a finding keeps of the matched text. Keyed by the log's salt, so the
 * digest of a short value (an SSN has about 10^9 possibilities) cannot be
 * looked up in a table precomputed for every log at once.
 */
export function matchHash(saltHex: string, text: string): string {
  if (saltHex !== cachedSaltHex) {
    cachedSaltHex = saltHex
    cachedSalt = Buffer.from(saltHex, 'hex')
  }
  return createHmac('sha256', cachedSalt).update(text, 'utf8').digest('hex')
}
let cachedSaltHex = ''
let cachedSalt = Buffer.alloc(0)
