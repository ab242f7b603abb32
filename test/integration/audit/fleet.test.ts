import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { openAuditStore } from '@main/services/audit/open-store'
import { describe, expect } from 'vitest'

import { POSTGRES, startPostgres } from '../../support/postgres'
import { gatewayTest, tempDir, TEST_KEY_ENV, until } from '../gateway/harness'

/*
 * A fleet: three `wafer gateway run` processes writing one PostgreSQL audit
 * log, a concurrent burst of requests across them, one replica killed with
 * SIGKILL in the middle of it. The log must still verify as one chain with
 * `wafer audit verify --db postgres://…`, and every request a client saw
 * answered (a 200's headers arrived) must be in it: the gateway commits the
 * request's write-ahead record before the first byte of any answer.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url))
const it = gatewayTest({ ttftMs: 2, replyTokens: 20, tokensPerSecond: 4000 })

interface Replica {
  child: ChildProcess
  url: string
  output: () => string
  exited: Promise<number | null>
}

function wafer(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [`${root}bin/wafer.mjs`, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
}

async function startReplica(policy: string, db: string, keyFile: string): Promise<Replica> {
  const child = wafer(
    ['gateway', 'run', '--listen', '127.0.0.1:0', '--policy-config', policy, '--audit-db', db, '--audit-key-file', keyFile, '--max-concurrency', '32'],
    { [TEST_KEY_ENV]: 'csk-fleet' },
  )
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL:\n${out}`)), 30_000)
    const look = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(t)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', look)
    void exited.then((code) => reject(new Error(`the gateway exited (${code}):\n${out}`)))
  })
  return { child, url, output: () => out, exited }
}

interface Sent {
  replica: number
  status: number | 'failed'
  id: string | null
}

async function send(r: Replica, replica: number, i: number): Promise<Sent> {
  const stream = i % 2 === 0
  try {
    const res = await fetch(`${r.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-fast', stream, messages: [{ role: 'user', content: `fleet request ${i}` }] }),
    })
    // Answered: the status line and headers arrived. The body may still be cut off by the kill.
    const sent: Sent = { replica, status: res.status, id: res.headers.get('x-wafer-request-id') }
    await res.text().catch(() => '')
    return sent
  } catch {
    return { replica, status: 'failed', id: null }
  }
}

describe.skipIf(!POSTGRES)('a fleet of three gateways on one PostgreSQL audit log', () => {
  it('keeps one verifiable chain holding every answered request when a replica is killed mid-burst', async ({ upstream }) => {
    const cluster = await startPostgres()
    const dir = tempDir()
    const replicas: Replica[] = []
    try {
      const db = await cluster.createDatabase('fleet')
      const keyFile = path.join(dir, 'fleet-audit.key')
      const policy = path.join(dir, 'policy-config.yaml')
      writeFileSync(
        policy,
        `pack: {name: fleet, version: 0.1.0, enabled: true}
policies:
  chain: [pii-detector, audit-logger]
providers:
  targets:
    - id: primary
      provider: cerebras
      model: fake-fast
      base_url: ${upstream}
      secret_key_ref: {env: ${TEST_KEY_ENV}}
`,
      )
      // All three start at once on an empty database: one of them creates the log, the others join it.
      replicas.push(...(await Promise.all([0, 1, 2].map(() => startReplica(policy, db, keyFile)))))

      // The burst: 12 clients, round-robin over the replicas, 360 requests in all.
      const results: Sent[] = []
      let next = 0
      const TOTAL = 360
      const clients = Array.from({ length: 12 }, async () => {
        while (next < TOTAL) {
          const i = next++
          const k = i % 3
          results.push(await send(replicas[k], k, i))
        }
      })
      // Mid-burst, once each replica has answered some, replica 1 is killed outright.
      await until(() => [0, 1, 2].every((k) => results.filter((r) => r.replica === k && r.status === 200).length >= 15), 30_000)
      replicas[1].child.kill('SIGKILL')
      await Promise.all(clients)
      expect(await replicas[1].exited).toBe(null)

      const answered = results.filter((r) => r.status === 200)
      expect(results.filter((r) => r.status !== 200 && r.status !== 'failed')).toEqual([])
      // The survivors answered everything sent to them; replica 1 answered some before it died and none after.
      expect(results.filter((r) => r.replica !== 1).every((r) => r.status === 200)).toBe(true)
      expect(results.some((r) => r.replica === 1 && r.status === 'failed')).toBe(true)
      expect(answered.length).toBeGreaterThan(TOTAL / 2)

      // The survivors stop cleanly (flushing their completion records and a last signed checkpoint).
      for (const k of [0, 2]) replicas[k].child.kill('SIGTERM')
      expect(await Promise.all([replicas[0].exited, replicas[2].exited])).toEqual([0, 0])

      // wafer audit verify --db postgres://… passes: one chain, MACs checked with the shared key file.
      const verify = wafer(['audit', 'verify', '--db', db, '--key-file', keyFile, '--json'], {})
      let json = ''
      verify.stdout!.on('data', (d: Buffer) => (json += d.toString()))
      const code = await new Promise<number | null>((r) => verify.on('exit', (c) => r(c)))
      const result = JSON.parse(json) as { ok: boolean; records: number; proofs: { mac: string; signedCheckpoints: number; unfinished: number } }
      expect(code, json).toBe(0)
      expect(result).toMatchObject({ ok: true, proofs: { mac: 'checked' } })
      expect(result.proofs.signedCheckpoints).toBeGreaterThanOrEqual(1)
      expect(json).not.toContain('wafer-test-pw')

      // Every answered request has its write-ahead record; the survivors' ones are also completed.
      const reader = await openAuditStore(db, { keyFile, create: false })
      try {
        const started = new Map<string, number>()
        const completed = new Set<string>()
        let cursor: string | undefined
        do {
          const page = await reader.query({ kind: ['request_started', 'request_completed'], limit: 1000, cursor })
          for (const rec of page.records) {
            if (rec.kind === 'request_started') started.set(rec.requestId!, rec.seq)
            else completed.add(rec.requestId!)
          }
          cursor = page.nextCursor ?? undefined
        } while (cursor)
        expect(answered.filter((r) => !started.has(r.id!))).toEqual([])
        expect(answered.filter((r) => r.replica !== 1 && !completed.has(r.id!))).toEqual([])
        // What was cut off by the kill shows as started and not finished, which verify reports.
        expect(result.proofs.unfinished).toBe([...started.keys()].filter((id) => !completed.has(id)).length)
        expect(result.records).toBe((await reader.info()).records)
      } finally {
        await reader.close()
      }
    } finally {
      for (const r of replicas) r.child.kill('SIGKILL')
      await cluster.destroy()
    }
  }, 120_000)
})
