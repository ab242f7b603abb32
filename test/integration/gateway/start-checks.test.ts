import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import gatewayRun from '@cli/commands/gateway-run'
import policyLint from '@cli/commands/policy-lint'
import policyTest from '@cli/commands/policy-test'
import { startGateway } from '@main/services/gateway/start'
import { describe, expect, it } from 'vitest'

import { policyYaml, target, tempDir, TEST_KEY_ENV } from './harness'

const policy = policyYaml(target('primary', 'fake-fast', 'http://127.0.0.1:9/v1'), '[pii-detector, audit-logger]')

function io(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s), env, cwd } }
}

function setup(): { dir: string; file: string } {
  const dir = tempDir()
  const file = path.join(dir, 'policy-config.yaml')
  writeFileSync(file, policy)
  return { dir, file }
}

const start = (file: string, auditDb: string) =>
  startGateway({ listen: '127.0.0.1:0', policyConfigs: [file], failMode: 'block', maxConcurrency: 4, auditDb, secrets: { env: { [TEST_KEY_ENV]: 'k' } } })

describe('--audit-db must be an SQLite file path or a postgres:// URL', () => {
  it('takes a PostgreSQL URL: a server that cannot be reached is a start-up error naming it without its password, and nothing is made locally', async () => {
    const { dir, file } = setup()
    const before = readdirSync(process.cwd())
    const startPg = (db: string, auditKeyFile?: string) =>
      startGateway({
        listen: '127.0.0.1:0',
        policyConfigs: [file],
        failMode: 'block',
        maxConcurrency: 4,
        auditDb: db,
        auditKeyFile,
        secrets: { env: { [TEST_KEY_ENV]: 'k' } },
      })
    await expect(startPg('postgres://wafer:s3cret@127.0.0.1:9/audit')).rejects.toThrow(/needs its key file: pass --audit-key-file/)
    const err = await startPg('postgresql://wafer:s3cret@127.0.0.1:9/audit', path.join(dir, 'keys', 'audit.key')).catch((e: Error) => e)
    expect((err as Error).message).toMatch(/Cannot open the audit log postgresql:\/\/wafer@127\.0\.0\.1:9\/audit: PostgreSQL at .* cannot be reached/)
    expect((err as Error).message).not.toContain('s3cret')
    expect(readdirSync(process.cwd())).toEqual(before)
    expect(existsSync(path.join(process.cwd(), 'postgres:'))).toBe(false)
    expect(existsSync(path.join(dir, 'keys', 'audit.key'))).toBe(false)
  })

  it.each([
    ['another URL', 'mysql://h/db', /not a mysql: URL\. For PostgreSQL use postgres:\/\/user@host:port\/database/],
    ['file: URLs too', 'file:///tmp/audit.db', /not a file: URL/],
    ['a PostgreSQL URL without a database', 'postgres://wafer@db.internal', /names no database/],
    ['an empty value', '  ', /--audit-db is empty/],
  ])('refuses %s', async (_name, value, message) => {
    const { file } = setup()
    await expect(start(file, value)).rejects.toThrow(message)
  })

  it('refuses a folder that cannot be created, and a folder given as the file', async () => {
    const { dir, file } = setup()
    const blocker = path.join(dir, 'not-a-folder')
    writeFileSync(blocker, 'x')
    await expect(start(file, path.join(blocker, 'audit', 'audit.db'))).rejects.toThrow(/Cannot create the audit log's folder .*not-a-folder/)
    mkdirSync(path.join(dir, 'logs'))
    await expect(start(file, path.join(dir, 'logs'))).rejects.toThrow(/is a folder; give the path of the audit log file/)
  })

  it('wafer gateway run says what is wrong with the value and exits 2, making no folder named after a URL', async () => {
    const { dir, file } = setup()
    for (const [value, message] of [
      ['mysql://h/db', /not a mysql: URL/],
      ['postgres://h', /names no database/],
    ] as const) {
      const { out, io: cio } = io(dir, { [TEST_KEY_ENV]: 'k' })
      expect(await gatewayRun.run(['--listen', '127.0.0.1:0', '--policy-config', file, '--audit-db', value], cio)).toBe(2)
      expect(out.stderr).toMatch(message)
    }
    expect(readdirSync(dir).filter((n) => n.includes(':'))).toEqual([])
  })
})

describe('policy files are at most 1 MB everywhere they are read', () => {
  const big = () => {
    const { dir, file } = setup()
    // A valid policy padded with a comment to 1.2 MB.
    writeFileSync(file, policy + '#' + 'x'.repeat(1_200_000) + '\n')
    return { dir, file }
  }

  it('wafer gateway run refuses it at start, naming the cap', async () => {
    const { dir, file } = big()
    await expect(start(file, path.join(dir, 'audit.db'))).rejects.toThrow(/is 1\.2 MB; policy files are at most 1\.0 MB/)
    expect(existsSync(path.join(dir, 'audit.db'))).toBe(false)
  })

  it('wafer policy lint and policy test refuse it with exit 2', async () => {
    const { dir, file } = big()
    const lint = io(dir)
    expect(await policyLint.run(['--file', file], lint.io)).toBe(2)
    expect(lint.out.stderr).toMatch(/policy files are at most 1\.0 MB/)
    const json = io(dir)
    expect(await policyLint.run(['--file', file, '--json'], json.io)).toBe(2)
    expect(JSON.parse(json.out.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/at most 1\.0 MB/) })
    writeFileSync(path.join(dir, 'prompts.jsonl'), '{"prompt":"hi"}\n')
    const t = io(dir)
    expect(await policyTest.run(['--policy-config', file, '--input', 'prompts.jsonl'], t.io)).toBe(2)
    expect(t.out.stderr).toMatch(/policy files are at most 1\.0 MB/)
  })

  it('still reads a policy just under the cap', async () => {
    const { dir, file } = setup()
    writeFileSync(file, policy + '#' + 'x'.repeat(900_000) + '\n')
    const lint = io(dir)
    expect(await policyLint.run(['--file', file], lint.io)).toBe(0)
  })
})
