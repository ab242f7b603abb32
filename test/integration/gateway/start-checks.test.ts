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

describe('--audit-db must be a usable file path', () => {
  it('refuses a PostgreSQL URL at start, and creates nothing', async () => {
    const { dir, file } = setup()
    const before = readdirSync(process.cwd())
    await expect(start(file, 'postgres://wafer@db.internal/audit')).rejects.toThrow(/PostgreSQL audit logs are not supported yet/)
    await expect(start(file, 'postgresql://wafer@db.internal/audit')).rejects.toThrow(/PostgreSQL audit logs are not supported yet/)
    expect(readdirSync(process.cwd())).toEqual(before)
    expect(existsSync(path.join(process.cwd(), 'postgres:'))).toBe(false)
    expect(readdirSync(dir)).toEqual(['policy-config.yaml'])
  })

  it.each([
    ['another URL', 'mysql://h/db', /not a URL \(mysql:/],
    ['file: URLs too', 'file:///tmp/audit.db', /not a URL \(file:/],
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

  it('wafer gateway run says so and exits 2', async () => {
    const { dir, file } = setup()
    const { out, io: cio } = io(dir, { [TEST_KEY_ENV]: 'k' })
    expect(await gatewayRun.run(['--listen', '127.0.0.1:0', '--policy-config', file, '--audit-db', 'postgres://h/db'], cio)).toBe(2)
    expect(out.stderr).toMatch(/PostgreSQL audit logs are not supported yet/)
    expect(existsSync(path.join(dir, 'postgres:'))).toBe(false)
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
