import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { openAuditLog } from '@main/services/audit'
import { describe, expect } from 'vitest'

import { gatewayTest, tempDir, TEST_KEY_ENV, until } from './harness'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const it = gatewayTest({ ttftMs: 5, replyTokens: 30 })

describe('wafer gateway run', () => {
  it('on SIGTERM stops accepting, lets a running stream finish, flushes the audit log and exits 0', async ({ fake, upstream }) => {
    const dir = tempDir()
    const file = path.join(dir, 'policy-config.yaml')
    const auditDb = path.join(dir, 'audit.db')
    writeFileSync(
      file,
      `pack: {name: shutdown, version: 0.1.0, enabled: true}
policies:
  chain: [pii-detector, audit-logger]
providers:
  targets:
    - id: slow
      provider: cerebras
      model: fault/slow_drip?gap_ms=40
      base_url: ${upstream}
      secret_key_ref: {env: ${TEST_KEY_ENV}}
`,
    )
    const child = spawn(
      process.execPath,
      [`${root}bin/wafer.mjs`, 'gateway', 'run', '--listen', '127.0.0.1:0', '--policy-config', file, '--audit-db', auditDb, '--shutdown-deadline-ms', '8000'],
      {
        env: { ...process.env, [TEST_KEY_ENV]: 'csk-test' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL:\n${out}`)), 20_000)
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
        if (m) {
          clearTimeout(t)
          resolve(m[1])
        }
      })
    })
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))

    // A slow stream: 30 tokens, one every 40 ms.
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fault/slow_drip?gap_ms=40', messages: [{ role: 'user', content: 'take your time' }], stream: true }),
    })
    expect(res.status).toBe(200)
    const body = res.text()
    // SIGTERM only once the stream is running: the gateway counts it in flight and the upstream has it.
    await until(async () => ((await (await fetch(`${url}/healthz`)).json()) as { inflight: number }).inflight === 1 && fake.chatRequests.length === 1)
    child.kill('SIGTERM')
    // The gateway has begun draining.
    await until(() => /SIGTERM: stopping/.test(out))
    // New requests are refused while draining.
    const late = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
      (r) => r.status,
      () => 'refused',
    )
    expect([503, 'refused']).toContain(late)

    const text = await body
    expect(text).toContain('"finish_reason":"stop"')
    expect(text).not.toContain('"error"')
    expect(await exited).toBe(0)
    expect(out).toMatch(/SIGTERM: stopping/)
    expect(out).toMatch(/audit log flushed/)

    const log = openAuditLog({ file: auditDb, create: false })
    const verified = await log.verify()
    expect(verified.ok).toBe(true)
    expect(log.query({ kind: 'request_completed' }).records.map((r) => r.status)).toContain(200)
    log.close()
  }, 40_000)
})
