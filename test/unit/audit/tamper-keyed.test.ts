import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { deriveChainKeys, signHead } from '@main/services/audit/chain-keys'
import { openAuditLog } from '@main/services/audit/index'
import { readWitness } from '@main/services/audit/signed-heads'
import type { AuditVerifyResult } from '@shared/audit/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { checkpointedLog, rawAll, rawExec, rehashFrom, tamper, tempDir } from '../../support/audit-helpers'

// A log of 20 records with a signed checkpoint after every 5 (heads 5, 10, 15, 20), each also in a witness file.
let dir: string
let file: string
let witnessFile: string
let cleanup: () => void
let ownKey: string

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  file = join(dir, 'audit.db')
  witnessFile = join(dir, 'elsewhere-witness.jsonl')
  checkpointedLog(dir, 20, 5, witnessFile).close()
  ownKey = readFileSync(`${file}.key`, 'utf8').split('\n')[0]
})
afterEach(() => cleanup())

async function verify(opts: { witness?: boolean; withoutKey?: boolean } = {}): Promise<AuditVerifyResult> {
  if (opts.withoutKey) rmSync(`${file}.key`, { force: true })
  const log = openAuditLog({ file, create: false })
  try {
    return await log.verify(opts.witness ? { witness: readWitness(witnessFile).heads } : {})
  } finally {
    log.close()
  }
}

function expectBad(r: AuditVerifyResult, seq: number, reason: RegExp): void {
  expect(r).toMatchObject({ ok: false, firstBadSeq: seq })
  if (!r.ok) expect(r.reason).toMatch(reason)
}

const hashOf = (seq: number) => rawAll(file, `SELECT hash FROM audit_records WHERE seq = ${seq}`)[0].hash as string

describe('a format 2 log: MACs, sealed head, signed checkpoints, witness', () => {
  it('verifies untouched: every MAC, 4 signed checkpoints, 4 witnessed heads', async () => {
    expect(readWitness(witnessFile).heads.map((h) => h.seq)).toEqual([5, 10, 15, 20])
    expect(await verify({ witness: true })).toMatchObject({
      ok: true,
      records: 20,
      proofs: { mac: 'checked', signedCheckpoints: 4, witnessHeads: 4, notes: [] },
    })
  })

  it('without the key file: the plain chain and signatures are checked, and it says the MAC was not', async () => {
    const r = await verify({ withoutKey: true })
    expect(r).toMatchObject({ ok: true, proofs: { mac: 'not_checked', signedCheckpoints: 4 } })
    expect(r.proofs!.notes.join(' ')).toMatch(/MAC was not checked/)
  })

  it('edit: a record turned into an allow', async () => {
    tamper(file, `UPDATE audit_records SET verdict = 'allow', verdicts = '[{"policy":"prompt-injection","verdict":"allow"}]' WHERE seq = 7`)
    expectBad(await verify({ witness: true }), 7, /record 7 does not match its hash/)
  })

  it('delete: a record in the middle', async () => {
    tamper(file, 'DELETE FROM audit_records WHERE seq = 8; DELETE FROM audit_macs WHERE seq = 8')
    expectBad(await verify(), 8, /record 8 is missing/)
  })

  it('reorder: two records swapped', async () => {
    const cols = 'time, kind, request_id, client, target, model, status, verdict, verdicts, findings, usage, latency_ms, detail, prev_hash, hash'
    tamper(
      file,
      `CREATE TEMP TABLE a AS SELECT ${cols} FROM audit_records WHERE seq = 5;
       CREATE TEMP TABLE b AS SELECT ${cols} FROM audit_records WHERE seq = 6;
       DELETE FROM audit_records WHERE seq IN (5, 6);
       INSERT INTO audit_records (seq, ${cols}) SELECT 5, * FROM b;
       INSERT INTO audit_records (seq, ${cols}) SELECT 6, * FROM a;`,
    )
    expectBad(await verify(), 5, /record 5 does not link to record 4/)
  })

  it('truncate: the tail cut off, the head left', async () => {
    tamper(file, 'DELETE FROM audit_records WHERE seq > 16; DELETE FROM audit_macs WHERE seq > 16')
    expectBad(await verify(), 17, /records 17–20 were cut off/)
  })

  it('truncate and move the head back: the seal gives it away with the key, the witness without it', async () => {
    const h16 = hashOf(16)
    tamper(
      file,
      `DELETE FROM audit_records WHERE seq > 16; DELETE FROM audit_macs WHERE seq > 16; DELETE FROM audit_signed_heads WHERE seq > 16;
       UPDATE audit_head SET seq = 16, hash = '${h16}'; UPDATE audit_seal SET seq = 16, hash = '${h16}'`,
    )
    expectBad(await verify(), 17, /seal does not verify with the log's key: the log was cut back to record 16/)
    expectBad(await verify({ withoutKey: true, witness: true }), 17, /witness saw head 20:.* ends at record 16: it was truncated or rolled back/)
  })

  it('re-hash without the key: the chain links again, but the first edited record has no valid MAC', async () => {
    tamper(file, `UPDATE audit_records SET status = 200, verdict = 'allow' WHERE seq = 7`)
    await rehashFrom(file, 7)
    expectBad(await verify(), 7, /record 7's MAC does not verify/)
    // Without the key, the signed checkpoint at 10 no longer vouches for what the log holds.
    expectBad(await verify({ withoutKey: true }), 6, /record 10 is not the one its signed checkpoint vouches for: records 6–10 were rewritten/)
  })

  it('re-hash with the key: MACs, seal and signatures redone; only the witness, kept elsewhere, catches it', async () => {
    tamper(file, `UPDATE audit_records SET status = 200, verdict = 'allow' WHERE seq = 7`)
    await rehashFrom(file, 7, ownKey)
    expect(await verify()).toMatchObject({ ok: true })
    expectBad(await verify({ witness: true }), 6, /record 10 is not the head the witness saw .*records 6–10 were rewritten/)
  })

  it('swapped key, database only: the log names another public key and its checkpoints are re-signed', async () => {
    const theirs = deriveChainKeys(randomBytes(32).toString('hex'))
    const logId = rawAll(file, "SELECT value FROM audit_meta WHERE key = 'log_id'")[0].value as string
    const heads = rawAll(file, 'SELECT id, seq, hash, time FROM audit_signed_heads') as Array<{ id: number; seq: number; hash: string; time: number }>
    const resign = heads.map((h) => `UPDATE audit_signed_heads SET signature = '${signHead(theirs, logId, h).signature}' WHERE id = ${h.id};`).join('\n')
    tamper(file, `UPDATE audit_meta SET value = '${theirs.publicKeyHex}' WHERE key = 'signing_key';\n${resign}`)
    expectBad(await verify(), 1, /checkpoint at record 5 is not signed by this log's key \(the log's public key was swapped/)
  })

  it('swapped key with the key file too, and an edit re-hashed under it: the witness names where it went wrong', async () => {
    const theirKey = randomBytes(32).toString('hex')
    tamper(file, `UPDATE audit_records SET client = '10.0.0.1:1' WHERE seq = 12`)
    await rehashFrom(file, 12, theirKey)
    writeFileSync(`${file}.key`, `${theirKey}\nchain: v2\n`)
    const quiet = await verify()
    expect(quiet, JSON.stringify(quiet)).toMatchObject({ ok: true })
    expectBad(await verify({ witness: true }), 11, /records 11–15 were rewritten|signing key was swapped/)
  })
})

describe('older logs', () => {
  /** What today's log would be had it been written before format 2: no MACs, seal or signatures. */
  function asFormat1(keyFileMarked: boolean): void {
    // The chain's own triggers stay (a format 1 log has them); only the metadata's are lifted for the change.
    rawExec(
      file,
      `DROP TABLE audit_macs; DROP TABLE audit_seal; DROP TABLE audit_signed_heads;
       DROP TRIGGER audit_meta_no_update; DROP TRIGGER audit_meta_no_delete;
       UPDATE audit_meta SET value = '1' WHERE key = 'version'; DELETE FROM audit_meta WHERE key = 'signing_key';
       CREATE TRIGGER audit_meta_no_update BEFORE UPDATE ON audit_meta BEGIN SELECT RAISE(ABORT, 'audit log metadata is immutable'); END;
       CREATE TRIGGER audit_meta_no_delete BEFORE DELETE ON audit_meta BEGIN SELECT RAISE(ABORT, 'audit log metadata is immutable'); END;`,
    )
    if (!keyFileMarked) writeFileSync(`${file}.key`, `${ownKey}\n`)
  }

  it('a format 1 log verifies as before, with a note that it has no MAC or signatures, and can still be extended', async () => {
    asFormat1(false)
    const r = await verify()
    expect(r).toMatchObject({ ok: true, records: 20, proofs: { mac: 'absent', signedCheckpoints: 0 } })
    expect(r.proofs!.notes.join(' ')).toMatch(/no MAC chain and no signed checkpoints/)
    const log = openAuditLog({ file })
    log.append({ kind: 'lifecycle', detail: { event: 'start' } })
    log.close()
    const again = await verify()
    expect(again, JSON.stringify(again)).toMatchObject({ ok: true, records: 21 })
  })

  it('a format 2 log downgraded to look like format 1 (to shed its MACs) is caught by its key file', async () => {
    asFormat1(true)
    expectBad(await verify(), 1, /downgraded/)
  })
})
