import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { openAuditLog } from '@main/services/audit/index'
import Database from 'libsql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const WAFER = join(ROOT, 'bin', 'wafer.mjs')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wafer-audit-cli-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const wafer = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(process.execPath, [WAFER, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('npx wafer audit verify, as a separate process', () => {
  it('exits 0 when intact, 1 naming the first bad record after an edit, 2 when there is no log', () => {
    const file = join(dir, 'audit.db')
    const log = openAuditLog({ file })
    for (let i = 1; i <= 8; i++) log.append({ kind: 'request', requestId: `r${i}`, client: '127.0.0.1:9', status: 200 })
    log.close()

    const ok = wafer(['audit', 'verify', '--db', file])
    expect(ok.code).toBe(0)
    expect(ok.out).toMatch(/8 records/)

    const db = new Database(file)
    db.exec('DROP TRIGGER audit_records_no_update')
    db.exec('UPDATE audit_records SET status = 403 WHERE seq = 6')
    db.close()
    const bad = wafer(['audit', 'verify'], { WAFER_AUDIT_DB: file })
    expect(bad.code).toBe(1)
    expect(bad.out).toMatch(/first bad record: 6/)

    const missing = wafer(['audit', 'verify', '--db', join(dir, 'missing.db')])
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/No audit log at/)
  })
})
