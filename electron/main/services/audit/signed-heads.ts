import { appendFileSync, readFileSync } from 'node:fs'

import type { AuditHead } from '@shared/audit/types'

import { type ChainKeys, type SignedHead, signHead } from './chain-keys'
import { get, type Program, write } from './sql-program'

/*
 * Signed checkpoints (Certificate Transparency's signed tree heads, for a
 * hash chain): every `everyRecords` records or `everyMs`, and when the log
 * closes, the writer signs the head (seq, hash, time) with the log's Ed25519
 * key and stores it in audit_signed_heads, inside the commit. After the
 * commit, the same head is appended to the witness file, if there is one: a
 * copy outside the database that whoever rewrites the database cannot
 * reach, so `wafer audit verify --witness FILE` can prove the log still
 * extends every head the witness has seen.
 */

export interface CheckpointPolicy {
  /** Sign after this many records since the last signed head (default 1000). */
  everyRecords: number
  /** Or once this long has passed with records unsigned (default 60 s). */
  everyMs: number
}

export const DEFAULT_CHECKPOINTS: CheckpointPolicy = { everyRecords: 1000, everyMs: 60_000 }

/** One line of a witness file. */
export interface WitnessLine extends SignedHead {
  log: string
  /** The raw Ed25519 public key (hex) the head was signed with. */
  publicKey: string
}

export interface SignedHeadRow {
  id: number
  seq: number
  hash: string
  time: number
  signature: string
}

export const SIGNED_HEAD_COLUMNS = 'id, seq, hash, time, signature'

export class SignedHeads {
  /** The newest signed head this process knows of: never ahead of the one stored, so "not due" by it is never wrong. */
  private last: { seq: number; time: number } | undefined

  constructor(
    private readonly logId: string,
    private readonly keys: ChainKeys,
    private readonly policy: CheckpointPolicy,
  ) {}

  private *readLast(): Program<{ seq: number; time: number }> {
    return (yield* get<{ seq: number; time: number }>('SELECT seq, time FROM audit_signed_heads ORDER BY id DESC LIMIT 1')) ?? { seq: 0, time: 0 }
  }

  private isDue(last: { seq: number; time: number }, head: AuditHead, now: number, force: boolean): boolean {
    if (head.seq <= last.seq) return false
    if (force || head.seq - last.seq >= this.policy.everyRecords) return true
    return now - last.time >= this.policy.everyMs
  }

  /**
   * Whether the head has records no signed checkpoint covers and the policy
   * says it is time (always, with `force`). Other writers to the same log
   * sign too: a "due" by what this process remembers is checked against the
   * newest stored head before anything is signed.
   */
  *due(head: AuditHead, now: number, force = false): Program<boolean> {
    this.last ??= yield* this.readLast()
    // The first records of a log start the clock rather than waiting a whole period from 1970.
    if (this.last.time === 0 && head.seq > this.last.seq) this.last = { seq: this.last.seq, time: now }
    if (!this.isDue(this.last, head, now, force)) return false
    const stored = yield* this.readLast()
    if (stored.seq > this.last.seq) this.last = stored
    return this.isDue(this.last, head, now, force)
  }

  /** Signs and stores the head; inside the caller's write transaction. */
  *sign(head: AuditHead, now: number): Program<WitnessLine> {
    const signed = signHead(this.keys, this.logId, { seq: head.seq, hash: head.hash, time: now })
    yield* write('INSERT INTO audit_signed_heads (seq, hash, time, signature) VALUES (?, ?, ?, ?)', signed.seq, signed.hash, signed.time, signed.signature)
    this.last = { seq: head.seq, time: now }
    return { log: this.logId, ...signed, publicKey: this.keys.publicKeyHex }
  }

  /** Forgets what it read, after a rolled-back transaction. */
  reset(): void {
    this.last = undefined
  }
}

/** Appends committed heads to the witness file (created readable by this user only); returns why it failed, or null. */
export function appendWitness(file: string, lines: readonly WitnessLine[]): string | null {
  if (!lines.length) return null
  try {
    appendFileSync(file, lines.map((l) => JSON.stringify(l) + '\n').join(''), { mode: 0o600 })
    return null
  } catch (err) {
    return `Appending to the witness file ${file} failed: ${(err as Error).message}`
  }
}

/** The heads a witness file holds, or why a line cannot be used (1-based line numbers). */
export function readWitness(file: string): { heads: WitnessLine[]; problems: string[] } {
  const text = readFileSync(file, 'utf8')
  const heads: WitnessLine[] = []
  const problems: string[] = []
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return
    try {
      const v = JSON.parse(line) as Partial<WitnessLine>
      const hex = (x: unknown, n?: number) => typeof x === 'string' && /^[0-9a-f]+$/.test(x) && (n === undefined || x.length === n)
      if (
        typeof v.log !== 'string' ||
        !Number.isInteger(v.seq) ||
        !hex(v.hash, 64) ||
        !Number.isInteger(v.time) ||
        !hex(v.signature, 128) ||
        !hex(v.publicKey, 64)
      ) {
        problems.push(`line ${i + 1} is not a checkpoint head`)
      } else heads.push(v as WitnessLine)
    } catch {
      problems.push(`line ${i + 1} is not JSON`)
    }
  })
  return { heads, problems }
}
