import { rmSync } from 'node:fs'
import { join } from 'node:path'

import { main } from '@cli/main'
import { openAuditLog } from '@main/services/audit/index'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { checkpointedLog, rawAll, tamper, tempDir } from '../../support/audit-helpers'

let dir: string
let file: string
let witness: string
let cleanup: () => void

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  file = join(dir, 'audit.db')
  witness = join(dir, 'witness.jsonl')
  checkpointedLog(dir, 12, 4, witness).close()
})
afterEach(() => cleanup())

async function wafer(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { HOME: dir }, cwd: dir })
  return { code, out, err }
}

describe('wafer audit verify --witness', () => {
  it('says what it proved: MACs, signed checkpoints, witness heads, and requests started but not finished', async () => {
    const log = openAuditLog({ file })
    log.append({ kind: 'request_started', requestId: 'gw-cut-short', client: '127.0.0.1:1', model: 'llama3.1-8b' })
    log.close()
    const r = await wafer(['audit', 'verify', '--db', file, '--witness', 'witness.jsonl'])
    expect(r.code, r.err + r.out).toBe(0)
    expect(r.out).toMatch(/MAC chain: checked with the key file/)
    // 3 from the witnessed run (heads 4, 8, 12), 1 at the close of the run that added record 13 (no witness then)
    expect(r.out).toMatch(/signed checkpoints verified: 4/)
    expect(r.out).toMatch(/witness heads the log still extends: 3/)
    expect(r.out).toMatch(/started, not finished: 1 request .*gw-cut-short/)
  })

  it('exits 1 when the log was rolled back behind a head the witness saw', async () => {
    const h8 = rawAll(file, 'SELECT hash FROM audit_records WHERE seq = 8')[0].hash as string
    tamper(
      file,
      `DELETE FROM audit_records WHERE seq > 8; DELETE FROM audit_signed_heads WHERE seq > 8; UPDATE audit_head SET seq = 8, hash = '${h8}'; UPDATE audit_seal SET seq = 8, hash = '${h8}'`,
    )
    rmSync(`${file}.key`)
    const r = await wafer(['audit', 'verify', '--db', file, '--witness', witness, '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, firstBadSeq: 9, proofs: { mac: 'not_checked' } })
  })

  it('exits 2 with a clear message for a witness file that is not there', async () => {
    const r = await wafer(['audit', 'verify', '--db', file, '--witness', 'nope.jsonl'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/cannot read the witness file .*nope\.jsonl/)
  })
})
