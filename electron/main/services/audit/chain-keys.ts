import { createHmac, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'

/*
 * The keyed proofs of a format-2 log, all derived from the key in
 * `audit.db.key` (one secret to keep and back up, 0600 beside the log):
 *
 * - a MAC key: every record carries HMAC-SHA256(macKey, its seq and hash), and
 *   the head marker a seal in another domain. Whoever holds only the database
 *   cannot make either, so an edited record cannot be re-hashed into place,
 *   and the head cannot be moved back onto an earlier record.
 * - an Ed25519 signing key: checkpoints (seq, hash, time) are signed with it.
 *   Its public key is recorded in the log, so anyone can check the signatures
 *   without the secret; a witness file keeps copies of the signed heads
 *   outside the database.
 *
 * Deriving both from the findings key costs nothing to keep and changes no
 * guarantee: whoever holds that key can forge everything anyway, which is
 * exactly what the witness file is for.
 */

export interface ChainKeys {
  macKey: Buffer
  privateKey: KeyObject
  /** Raw 32-byte Ed25519 public key, hex. */
  publicKeyHex: string
}

const derive = (keyHex: string, label: string): Buffer => createHmac('sha256', Buffer.from(keyHex, 'hex')).update(label).digest()

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
/** SPKI wrapping of a raw Ed25519 public key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export function deriveChainKeys(keyHex: string): ChainKeys {
  const seed = derive(keyHex, 'wafer-audit-signing-key-v1')
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return { macKey: derive(keyHex, 'wafer-audit-chain-mac-v1'), privateKey, publicKeyHex: spki.subarray(ED25519_SPKI_PREFIX.length).toString('hex') }
}

const hmac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text).digest('hex')

/** The MAC a record carries: binds its seq and hash (which covers its content and its predecessor's hash). */
export function recordMac(macKey: Buffer, logId: string, seq: number, hash: string): string {
  return hmac(macKey, `wafer-audit-record-mac-v1\n${logId}\n${seq}\n${hash}`)
}

/** The head marker's seal: a different domain, so no record's MAC can serve as the seal of an earlier head. */
export function headSeal(macKey: Buffer, logId: string, seq: number, hash: string): string {
  return hmac(macKey, `wafer-audit-head-seal-v1\n${logId}\n${seq}\n${hash}`)
}

/** A checkpoint as signed: the log, its head at that moment, and when. */
export interface SignedHead {
  seq: number
  hash: string
  time: number
  /** Ed25519 signature, hex. */
  signature: string
}

const signedBytes = (logId: string, h: Omit<SignedHead, 'signature'>): Buffer =>
  Buffer.from(`wafer-audit-checkpoint-v2\n${logId}\n${h.seq}\n${h.hash}\n${h.time}`)

export function signHead(keys: ChainKeys, logId: string, h: Omit<SignedHead, 'signature'>): SignedHead {
  return { ...h, signature: sign(null, signedBytes(logId, h), keys.privateKey).toString('hex') }
}

/** Whether `h` was signed by the holder of the key whose raw public key is `publicKeyHex`. */
export function headSignatureValid(publicKeyHex: string, logId: string, h: SignedHead): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' })
    return verify(null, signedBytes(logId, h), key, Buffer.from(h.signature, 'hex'))
  } catch {
    return false
  }
}
