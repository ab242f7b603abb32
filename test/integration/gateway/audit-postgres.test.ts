import path from 'node:path'

import auditVerify from '@cli/commands/audit-verify'
import { openAuditStore } from '@main/services/audit/open-store'
import { describe, expect } from 'vitest'

import { POSTGRES, startPostgres } from '../../support/postgres'
import { gatewayTest, policyYaml, target, tempDir, until } from './harness'

/*
 * A gateway writing its audit log to PostgreSQL: requests are recorded there
 * and `wafer audit verify --db postgres://…` checks it; when the database
 * goes away under load, requests whose chain has audit-logger get 503 (the
 * write-ahead record cannot be committed, so no answer is given), and when
 * it comes back they are answered again, each one a client saw answered in
 * the log.
 */

const it = gatewayTest({ ttftMs: 1, replyTokens: 5 })
const CHAIN = '[pii-detector, audit-logger]'

interface Outcome {
  status: number
  id: string | null
  body: { error?: { message?: string; type?: string; code?: string } }
}

async function ask(url: string, i: number): Promise<Outcome> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: `request ${i}` }] }),
  })
  return { status: res.status, id: res.headers.get('x-wafer-request-id'), body: (await res.json()) as Outcome['body'] }
}

function io(cwd: string) {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s), env: {}, cwd } }
}

describe.skipIf(!POSTGRES)('a gateway on a PostgreSQL audit log', () => {
  it('fails closed with 503 while PostgreSQL is down, recovers when it is back, and records every answered request', async ({ startGateway, upstream }) => {
    const cluster = await startPostgres()
    const dir = tempDir()
    const keyFile = path.join(dir, 'audit.key')
    try {
      const db = await cluster.createDatabase()
      const gw = await startGateway(policyYaml(target('primary', 'fake-fast', upstream), CHAIN), { auditDb: db, auditKeyFile: keyFile, maxConcurrency: 8 })
      // Named without its password wherever it is shown.
      expect(gw.summary.join('\n')).toContain(`audit log: ${db.replace(':wafer-test-pw@', '@')}`)
      expect(gw.summary.join('\n')).not.toContain('wafer-test-pw')
      const first = await ask(gw.url, 0)
      expect(first.status, JSON.stringify(first.body)).toBe(200)

      // Load: four clients in a loop, until the database has been down and come back and a few more were answered.
      const outcomes: Outcome[] = []
      let phase: 'before' | 'down' | 'back' = 'before'
      let n = 0
      let answeredAfter = 0
      const clients = Array.from({ length: 4 }, async () => {
        while (n < 2000 && !(phase === 'back' && answeredAfter >= 20)) {
          const o = await ask(gw.url, ++n)
          outcomes.push(o)
          if (phase === 'back' && o.status === 200) answeredAfter++
        }
      })
      await until(() => outcomes.filter((o) => o.status === 200).length >= 20)
      await cluster.stop()
      phase = 'down'
      await until(() => outcomes.filter((o) => o.status === 503).length >= 10, 20_000)
      await cluster.start()
      phase = 'back'
      await Promise.all(clients)
      expect(answeredAfter).toBeGreaterThanOrEqual(20)

      const refused = outcomes.filter((o) => o.status === 503)
      expect(refused.length).toBeGreaterThanOrEqual(10)
      for (const o of refused) {
        expect(o.body.error).toMatchObject({ type: 'unavailable_error', code: 'audit_unavailable' })
        expect(o.body.error?.message).toMatch(
          /audit log could not record the request .*PostgreSQL at postgres:\/\/wafer@127\.0\.0\.1:\d+\/\w+ cannot be reached/,
        )
        expect(o.body.error?.message).not.toContain('wafer-test-pw')
      }
      expect(outcomes.every((o) => o.status === 200 || o.status === 503)).toBe(true)

      // Every request a client saw answered has its write-ahead record in the log.
      await gw.audit!.flush()
      const reader = await openAuditStore(db, { keyFile, create: false })
      try {
        const started = new Set<string>()
        let cursor: string | undefined
        do {
          const page = await reader.query({ kind: 'request_started', limit: 1000, cursor })
          for (const r of page.records) started.add(r.requestId!)
          cursor = page.nextCursor ?? undefined
        } while (cursor)
        const answered = outcomes.filter((o) => o.status === 200).map((o) => o.id!)
        expect(answered.filter((id) => !started.has(id))).toEqual([])
      } finally {
        await reader.close()
      }

      // wafer audit verify --db postgres://… checks it.
      const cli = io(dir)
      expect(await auditVerify.run(['--db', db, '--key-file', keyFile], cli.io)).toBe(0)
      expect(cli.out.stdout).toMatch(/audit log intact: postgres:\/\/wafer@127\.0\.0\.1:\d+\/\w+\n/)
      expect(cli.out.stdout).toMatch(/MAC chain: checked with the key file/)
      expect(cli.out.stdout).not.toContain('wafer-test-pw')
    } finally {
      await cluster.destroy()
    }
  })
})
