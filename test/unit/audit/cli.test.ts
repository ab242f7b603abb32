import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { main } from '@cli/main'
import { defaultAuditDbPath } from '@main/paths'
import { openAuditLog } from '@main/services/audit/index'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { filledLog, rawExec, tamper, tempDir } from '../../support/audit-helpers'

let dir: string
let file: string
let cleanup: () => void

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  file = join(dir, 'audit.db')
})
afterEach(() => cleanup())

/** Each run gets a home of its own (the temp folder), so the machine's real user data is never read. */
async function wafer(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const env = { HOME: dir, ...extraEnv }
  let out = ''
  let err = ''
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), env, cwd: dir })
  return { code, out, err }
}

describe('wafer audit verify', () => {
  it('exits 0 on an intact log and says what it checked', async () => {
    filledLog(dir, 12).close()
    const r = await wafer(['audit', 'verify', '--db', file])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/audit log intact: .*audit\.db\n\s+12 records, 0 retention checkpoints, head 12:[0-9a-f]{64}/)
  })

  it('exits 1 naming the first bad record', async () => {
    filledLog(dir, 12).close()
    tamper(file, 'DELETE FROM audit_records WHERE seq = 4')
    const r = await wafer(['audit', 'verify', '--db', file])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/FAILED verification[\s\S]*first bad record: 4\n\s+record 4 is missing/)
  })

  it('reads WAFER_AUDIT_DB, accepts a directory, and prints JSON on request', async () => {
    filledLog(dir, 3).close()
    tamper(file, "UPDATE audit_records SET model = 'gpt-4o' WHERE seq = 2")
    const r = await wafer(['audit', 'verify', '--json'], { WAFER_AUDIT_DB: dir })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toMatchObject({ file, ok: false, firstBadSeq: 2 })
  })

  it('checks a pinned head', async () => {
    const log = filledLog(dir, 5)
    const { seq, hash } = log.head()
    log.close()
    expect((await wafer(['audit', 'verify', '--db', file, `--expect-head=${seq}:${hash}`])).code).toBe(0)
    const wrong = `${seq}:${'a'.repeat(64)}`
    const r = await wafer(['audit', 'verify', '--db', file, '--expect-head', wrong])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/first bad record: 5\n.*pinned as the head/)
  })

  it('records its own check when the log says log_all_access', async () => {
    filledLog(dir, 2, { logAllAccess: true }).close()
    expect((await wafer(['audit', 'verify', '--db', file])).code).toBe(0)
    const log = openAuditLog({ file, logAllAccess: false })
    expect(log.query({ kind: 'access' }).records[0]).toMatchObject({ client: 'cli', detail: { action: 'verify' } })
    log.close()
  })

  it('exits 2 with a clear error for a missing file, and creates nothing', async () => {
    const r = await wafer(['audit', 'verify', '--db', join(dir, 'nope.db')])
    expect(r).toMatchObject({ code: 2, out: '' })
    expect(r.err).toMatch(/No audit log at .*nope\.db/)
    expect((await wafer(['audit', 'verify', '--db', dir])).err).toMatch(/No audit log at .*audit\.db/)
  })

  it('exits 2 for a file that is not an audit log', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'hello, not a database '.repeat(50))
    const r1 = await wafer(['audit', 'verify', '--db', 'notes.txt'])
    expect(r1.code).toBe(2)
    expect(r1.err).toMatch(/notes\.txt is not a Wafer audit log/)

    rawExec(join(dir, 'app.db'), 'CREATE TABLE settings (k TEXT)')
    const r2 = await wafer(['audit', 'verify', '--db', 'app.db'])
    expect(r2.code).toBe(2)
    expect(r2.err).toMatch(/app\.db is not a Wafer audit log \(it holds other tables\)/)
  })

  it('exits 2 without a log to check or with bad arguments', async () => {
    const none = await wafer(['audit', 'verify'])
    expect(none.code).toBe(2)
    expect(none.err).toContain(`No audit log at ${defaultAuditDbPath({ HOME: dir })}. Pass --db FILE or set WAFER_AUDIT_DB`)
    expect((await wafer(['audit', 'verify', '--frobnicate'])).err).toMatch(/unknown argument '--frobnicate'/)
    expect((await wafer(['audit', 'verify', '--db'])).code).toBe(2)
    expect((await wafer(['audit', 'verify', '--db', file, '--expect-head', '12'])).err).toMatch(/SEQ:HASH/)
  })

  it('is listed in help', async () => {
    expect((await wafer(['--help'])).out).toMatch(/audit verify\s+Check the audit log/)
  })
})
