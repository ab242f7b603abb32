import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { openAuditLog } from '@main/services/audit/index'
import type { AuditVerifyResult } from '@shared/audit/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { filledLog, rawAll, tamper, tempDir } from '../../support/audit-helpers'

let dir: string
let file: string
let cleanup: () => void

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  file = join(dir, 'audit.db')
  filledLog(dir, 20).close()
})
afterEach(() => cleanup())

async function verifyFile(opts: Parameters<ReturnType<typeof openAuditLog>['verify']>[0] = {}): Promise<AuditVerifyResult> {
  const log = openAuditLog({ file, create: false })
  try {
    return await log.verify(opts)
  } finally {
    log.close()
  }
}

function expectBad(r: AuditVerifyResult, seq: number, reason: RegExp): void {
  expect(r).toMatchObject({ ok: false, firstBadSeq: seq })
  if (!r.ok) expect(r.reason).toMatch(reason)
}

describe('verify detects tampering and names the first bad record', () => {
  it('passes on the untouched log', async () => {
    expect(await verifyFile()).toMatchObject({ ok: true, records: 20 })
  })

  it('an edited column of one record', async () => {
    tamper(file, "UPDATE audit_records SET client = '10.9.9.9:1' WHERE seq = 7")
    expectBad(await verifyFile(), 7, /record 7 does not match its hash: its content was edited/)
  })

  it('an edited JSON column (a verdict turned from block to allow)', async () => {
    tamper(file, `UPDATE audit_records SET verdicts = '[{"policy":"prompt-injection","verdict":"block"}]' WHERE seq = 12`)
    expectBad(await verifyFile(), 12, /record 12 does not match its hash/)
  })

  it('an edited record whose hash was recomputed: its MAC fails, or without the key file, the next link', async () => {
    // Rewrite record 9's usage and give it a matching hash, as a careful attacker would.
    const log = openAuditLog({ file, create: false })
    const [rec] = log.query({ requestId: 'req-9' }).records
    log.close()
    const { recordHash } = await import('@main/services/audit/hashing')
    const { recordBody } = await import('@main/services/audit/record')
    const forged = { ...rec, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } }
    const h = recordHash(recordBody(forged))
    tamper(file, `UPDATE audit_records SET usage = '{"completionTokens":1,"promptTokens":1,"totalTokens":2}', hash = '${h}' WHERE seq = 9`)
    expectBad(await verifyFile(), 9, /record 9's MAC does not verify/)
    rmSync(join(dir, 'audit.db.key'))
    expectBad(await verifyFile(), 10, /record 10 does not link to record 9/)
  })

  it('an edit made to the file bytes, outside SQLite', async () => {
    const bytes = readFileSync(file)
    const needle = Buffer.from('127.0.0.1:50015')
    const at = bytes.indexOf(needle)
    expect(at).toBeGreaterThan(0)
    Buffer.from('127.0.0.1:50016').copy(bytes, at)
    writeFileSync(file, bytes)
    expectBad(await verifyFile(), 15, /record 15 does not match its hash/)
  })

  it('a deleted record in the middle', async () => {
    tamper(file, 'DELETE FROM audit_records WHERE seq = 8')
    expectBad(await verifyFile(), 8, /record 8 is missing .* jumps from 7 to 9/)
  })

  it('two records swapped in place', async () => {
    const cols = 'time, kind, request_id, client, target, model, status, verdict, verdicts, findings, usage, latency_ms, detail, prev_hash, hash'
    tamper(
      file,
      `CREATE TEMP TABLE a AS SELECT ${cols} FROM audit_records WHERE seq = 5;
       CREATE TEMP TABLE b AS SELECT ${cols} FROM audit_records WHERE seq = 6;
       DELETE FROM audit_records WHERE seq IN (5, 6);
       INSERT INTO audit_records SELECT 5, * FROM b;
       INSERT INTO audit_records SELECT 6, * FROM a;`,
    )
    expectBad(await verifyFile(), 5, /record 5 does not link to record 4 .*reordered/)
  })

  it('two records renumbered (seq values swapped)', async () => {
    tamper(
      file,
      'UPDATE audit_records SET seq = -1 WHERE seq = 14; UPDATE audit_records SET seq = 14 WHERE seq = 15; UPDATE audit_records SET seq = 15 WHERE seq = -1',
    )
    expectBad(await verifyFile(), 14, /record 14 does not link to record 13/)
  })

  it('the tail cut off', async () => {
    tamper(file, 'DELETE FROM audit_records WHERE seq > 16')
    expectBad(await verifyFile(), 17, /ends at record 16 but its head marker says 20: records 17–20 were cut off/)
  })

  it('the tail cut off and the head marker removed', async () => {
    tamper(file, 'DELETE FROM audit_records WHERE seq > 16; DELETE FROM audit_head')
    expectBad(await verifyFile(), 17, /head marker is missing/)
  })

  it('the head marker moved back without its hash', async () => {
    tamper(file, 'DELETE FROM audit_records WHERE seq > 16; UPDATE audit_head SET seq = 16')
    expectBad(await verifyFile(), 16, /head marker's hash does not match record 16/)
  })

  it('a record appended past the head by hand', async () => {
    tamper(
      file,
      `INSERT INTO audit_records SELECT 21, time, kind, request_id, client, target, model, status, verdict, verdicts, findings, usage, latency_ms, detail, hash, hash FROM audit_records WHERE seq = 20`,
    )
    expectBad(await verifyFile(), 21, /record 21 does not (link|match)/)
  })

  it('truncation with the head moved consistently: caught by the head seal, and against a head pinned elsewhere', async () => {
    const log = openAuditLog({ file, create: false })
    const pinned = log.head()
    log.close()
    // Truncate and fix the head up consistently: invisible without an outside anchor…
    const h16 = rawAll(file, 'SELECT hash FROM audit_records WHERE seq = 16')[0].hash as string
    tamper(file, `DELETE FROM audit_records WHERE seq > 16; UPDATE audit_head SET seq = 16, hash = '${h16}'`)
    expectBad(await verifyFile(), 17, /seal stands for record 20 but the head marker says 16/)
    // …and the pinned head exposes it too.
    expectBad(await verifyFile({ expectHead: pinned }), 17, /before the head pinned earlier \(20\)/)
  })

  it('reports a database it cannot read rather than throwing', async () => {
    tamper(file, 'ALTER TABLE audit_records DROP COLUMN usage')
    const r = await verifyFile()
    expect(r).toMatchObject({ ok: false, firstBadSeq: 1 })
    if (!r.ok) expect(r.reason).toMatch(/could not be read from record 1 on: .*usage/)
  })
})
