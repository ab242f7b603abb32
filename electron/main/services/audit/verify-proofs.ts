import type { AuditCheckpoint } from '@shared/audit/types'

import { headSeal, headSignatureValid, recordMac, type SignedHead } from './chain-keys'
import type { WitnessLine } from './signed-heads'

/*
 * What verification checks beyond the plain hash chain (verify.ts walks the
 * chain and calls in here): each record's keyed MAC and the head's seal
 * (with the key file), the signed checkpoints (with the public key the log
 * records, and the one the key file derives), and the heads a witness file
 * kept outside the database.
 */

export interface ProofInputs {
  logId: string
  version: 1 | 2
  /** Format 2 with the key file at hand. */
  macKey?: Buffer
  /** The public key the log says it signs with (format 2). */
  loggedSigningKey: string | null
  /** The public key the key file derives, when it is at hand. */
  keyFileSigningKey?: string
  /** The key file says its log was created with MACs and signatures. */
  keyFileSaysChain: boolean
  signedHeads: SignedHead[]
  /** The head marker's seal row (format 2); undefined when it is missing. */
  seal: { seq: number; hash: string; mac: string } | undefined
  witness?: WitnessLine[]
}

export interface Failure {
  firstBadSeq: number
  reason: string
}

/** A record's MAC, checked once its hash and link are known good. Returns why it fails, or null. */
export function checkRecordMac(p: ProofInputs, seq: number, hash: string, mac: string | null | undefined): string | null {
  if (p.version !== 2 || !p.macKey) return null
  if (!mac) return `record ${seq} has no MAC: it was inserted by something that does not hold the log's key`
  if (mac !== recordMac(p.macKey, p.logId, seq, hash)) {
    return `record ${seq}'s MAC does not verify with the log's key: it was edited and re-hashed by someone without the key`
  }
  return null
}

/** The seqs whose record hashes the post-walk checks compare against. */
export function seqsOfInterest(p: ProofInputs): Set<number> {
  return new Set([...p.signedHeads.map((h) => h.seq), ...(p.witness ?? []).map((h) => h.seq)])
}

/** What the walk learnt that the post-walk checks need. */
export interface WalkFacts {
  lastSeq: number
  head: { seq: number; hash: string }
  /** Seq of the first record still stored (lastSeq + 1 when none). */
  firstStored: number
  /** Hash of each record at a seq of interest that is still stored. */
  hashAt: Map<number, string>
  checkpoints: AuditCheckpoint[]
}

const short = (h: string) => h.slice(0, 12)

/** The hash the log holds for record `seq`: stored, or kept by a retention checkpoint; undefined when it cannot be known. */
function knownHash(f: WalkFacts, seq: number): string | undefined {
  if (seq === 0) return undefined
  const stored = f.hashAt.get(seq)
  if (stored) return stored
  return f.checkpoints.find((c) => c.seq === seq)?.recordHash
}

/**
 * Checks done once the chain itself walked clean. Returns every failure
 * found (the caller reports the one with the lowest seq) and notes on what
 * could not be checked.
 */
export function checkProofs(p: ProofInputs, f: WalkFacts): { failures: Failure[]; notes: string[]; signed: number; witnessed: number | null } {
  const failures: Failure[] = []
  const notes: string[] = []
  let signed = 0
  if (p.version === 1) {
    if (p.keyFileSaysChain) {
      failures.push({
        firstBadSeq: 1,
        reason: 'the log says it is of format 1 (no MACs or signatures), but its key file says it was created with them: it was downgraded to hide a rewrite',
      })
    } else
      notes.push(
        'This log was created before format 2: it has no MAC chain and no signed checkpoints, so only the plain hash chain was checked. Start a new log to get them.',
      )
  } else {
    if (!p.macKey) notes.push("The MAC was not checked: the log's key file is not at hand. The plain hash chain and the signatures were checked.")
    // The seal moves with the head; with the key, an earlier head cannot be given a seal.
    if (!p.seal) failures.push({ firstBadSeq: f.lastSeq + 1, reason: "the head marker's seal is missing, so truncation cannot be ruled out" })
    else if (p.seal.seq !== f.head.seq || p.seal.hash !== f.head.hash) {
      const from = Math.min(p.seal.seq, f.head.seq) + 1
      failures.push({
        firstBadSeq: from,
        reason: `the head's seal stands for record ${p.seal.seq} but the head marker says ${f.head.seq}: the head was moved and records after ${from - 1} were cut off`,
      })
    } else if (p.macKey && p.seal.mac !== headSeal(p.macKey, p.logId, p.seal.seq, p.seal.hash)) {
      failures.push({
        firstBadSeq: f.head.seq + 1,
        reason: `the head's seal does not verify with the log's key: the log was cut back to record ${f.head.seq} and its head moved onto it`,
      })
    }
    // Signed checkpoints: under the key the log names, which must be the key file's (when at hand).
    const trusted = p.keyFileSigningKey ?? p.loggedSigningKey
    if (p.keyFileSigningKey && p.loggedSigningKey !== p.keyFileSigningKey)
      notes.push("The log's recorded public key is not the one its key file derives: it was replaced.")
    let lastGood = 0
    for (const h of [...p.signedHeads].sort((a, b) => a.seq - b.seq)) {
      if (!trusted || !headSignatureValid(trusted, p.logId, h)) {
        failures.push({
          firstBadSeq: lastGood + 1,
          reason: `the checkpoint at record ${h.seq} is not signed by this log's key${p.keyFileSigningKey && p.loggedSigningKey !== p.keyFileSigningKey ? " (the log's public key was swapped and its checkpoints re-signed)" : ''}`,
        })
        break
      }
      if (h.seq > f.lastSeq) {
        failures.push({
          firstBadSeq: f.lastSeq + 1,
          reason: `a signed checkpoint vouches for record ${h.seq}, but the log ends at ${f.lastSeq}: records were cut off`,
        })
        break
      }
      const have = knownHash(f, h.seq)
      if (have !== undefined && have !== h.hash) {
        failures.push({
          firstBadSeq: lastGood + 1,
          reason: `record ${h.seq} is not the one its signed checkpoint vouches for: records ${lastGood + 1}–${h.seq} were rewritten`,
        })
        break
      }
      if (have !== undefined) lastGood = h.seq
      signed++
    }
  }
  const witnessed = p.witness ? checkWitness(p, f, failures, notes) : null
  return { failures, notes, signed, witnessed }
}

/** The log must still extend every head the witness saw, under the key it saw them signed with. */
function checkWitness(p: ProofInputs, f: WalkFacts, failures: Failure[], notes: string[]): number {
  const mine = p.witness!.filter((h) => h.log === p.logId).sort((a, b) => a.seq - b.seq)
  const others = p.witness!.length - mine.length
  if (others) notes.push(`${others} head${others === 1 ? '' : 's'} in the witness file belong to another log and were skipped.`)
  if (!mine.length) {
    notes.push('The witness file holds no head of this log.')
    return 0
  }
  let lastGood = 0
  let proven = 0
  let swappedFrom: string | undefined
  for (const h of mine) {
    if (!headSignatureValid(h.publicKey, p.logId, h)) {
      notes.push(`The witness's head at record ${h.seq} has a bad signature and was skipped.`)
      continue
    }
    if (p.loggedSigningKey && h.publicKey !== p.loggedSigningKey) swappedFrom ??= h.publicKey
    if (h.seq > f.lastSeq) {
      failures.push({
        firstBadSeq: f.lastSeq + 1,
        reason: `the witness saw head ${h.seq}:${short(h.hash)}…, but the log ends at record ${f.lastSeq}: it was truncated or rolled back`,
      })
      break
    }
    const have = knownHash(f, h.seq)
    if (have === undefined) {
      if (h.seq < f.firstStored) notes.push(`The witness's head at record ${h.seq} lies in a pruned range and could not be compared.`)
      continue
    }
    if (have !== h.hash) {
      failures.push({
        firstBadSeq: lastGood + 1,
        reason: `record ${h.seq} is not the head the witness saw (${short(h.hash)}…): records ${lastGood + 1}–${h.seq} were rewritten`,
      })
      break
    }
    lastGood = h.seq
    proven++
  }
  if (swappedFrom) {
    failures.push({
      firstBadSeq: lastGood + 1,
      reason: `the witness saw this log's heads signed by key ${short(swappedFrom)}…, but the log now names key ${short(p.loggedSigningKey!)}…: its signing key was swapped, and nothing after record ${lastGood} is vouched for`,
    })
  }
  return proven
}
