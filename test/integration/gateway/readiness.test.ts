import net, { type AddressInfo } from 'node:net'
import path from 'node:path'

import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { describe, expect } from 'vitest'

import { POSTGRES, startPostgres } from '../../support/postgres'
import { gatewayTest, gatewayWith, policyYaml, target, tempDir, type TestGateway, until } from './harness'
import { scrape } from './prometheus-text'

/**
 * /healthz says the process is alive; /readyz says it can serve: at least
 * one target reachable (what real requests saw, else a probe of the
 * target's /models once what was seen is older than a few seconds) and the
 * audit log reachable when the policy has audit-logger.
 */
const it = gatewayTest({ ttftMs: 5, tokensPerSecond: 20_000, replyTokens: 8 })

interface Ready {
  status: string
  ready: boolean
  audit: { required: boolean; reachable?: boolean; reason?: string | null }
  targets: Array<{ id: string; reachable: boolean; source: string; reason: string | null }>
}

async function readyz(url: string): Promise<{ status: number; body: Ready }> {
  const r = await fetch(`${url}/readyz`)
  return { status: r.status, body: (await r.json()) as Ready }
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

const chat = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }] }),
  })

describe('/healthz and /readyz', () => {
  it('flips /readyz to 503 when the only upstream goes down and back to 200 when it returns; /healthz stays 200', async ({ startGateway }) => {
    // An upstream of this test's own, stopped and started again on the same port.
    let upstream = new FakeCerebras({ ttftMs: 5, replyTokens: 8 })
    await upstream.start()
    const port = upstream.port
    try {
      const gw = await startGateway(policyYaml(target('only', 'fake-fast', upstream.baseUrl), '[prompt-injection]', 'fallback: {max_retries: 0}'))
      const up = await readyz(gw.url)
      expect(up.status).toBe(200)
      expect(up.body).toMatchObject({ status: 'ready', ready: true, audit: { required: false }, targets: [{ id: 'only', reachable: true, source: 'probe' }] })
      expect(upstream.received.some((r) => r.path === '/v1/models')).toBe(true)

      // Idle and down: once what was seen is old, the probe finds it gone.
      await upstream.stop()
      await until(async () => (await readyz(gw.url)).status === 503, 15_000)
      const down = await readyz(gw.url)
      expect(down.body).toMatchObject({ status: 'not_ready', ready: false, targets: [{ id: 'only', reachable: false, source: 'probe' }] })
      expect(down.body.targets[0].reason).toMatch(/connection refused/)
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200)
      expect((await scrape(gw.url)).value('wafer_gateway_target_reachable', { target: 'only' })).toBe(0)

      // Back: ready again once the next probe reaches it.
      upstream = new FakeCerebras({ ttftMs: 5, replyTokens: 8, port })
      await upstream.start()
      await until(async () => (await readyz(gw.url)).status === 200, 15_000)
      expect((await chat(gw.url)).status).toBe(200)
      expect((await readyz(gw.url)).body.targets[0]).toMatchObject({ reachable: true, source: 'traffic' })

      // Down under traffic: a request that cannot reach it makes /readyz 503 at once, without waiting for a probe.
      await upstream.stop()
      expect((await chat(gw.url)).status).toBe(502)
      const now = await readyz(gw.url)
      expect(now.status).toBe(503)
      expect(now.body.targets[0]).toMatchObject({ reachable: false, source: 'traffic', reason: expect.stringMatching(/unreachable/) })
    } finally {
      await upstream.stop()
    }
  })

  it('stays ready while one target of two is down, and counts an upstream 500 as reachable', async ({ startGateway, upstream, fake }) => {
    const gw = await startGateway(
      policyYaml(
        [target('primary', 'fake-fast', upstream), target('dead', 'fake-slow', `http://127.0.0.1:${await closedPort()}/v1`)].join('\n'),
        '[prompt-injection]',
      ),
    )
    const r = await readyz(gw.url)
    expect(r.status).toBe(200)
    expect(r.body.targets).toEqual([
      expect.objectContaining({ id: 'primary', reachable: true }),
      expect.objectContaining({ id: 'dead', reachable: false, reason: expect.stringMatching(/connection refused/) }),
    ])
    // An upstream that answers 500 is there: it is the answer that failed, not the target.
    fake.queuedFaults.push('500', '500')
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBeGreaterThanOrEqual(500)
    const after = await readyz(gw.url)
    expect(after.status).toBe(200)
    expect(after.body.targets[0]).toMatchObject({ id: 'primary', reachable: true, source: 'traffic' })
  })

  it('needs the audit log when the policy has audit-logger: a closed log makes /readyz 503 naming it', async ({ startGateway, upstream }) => {
    const gw = await startGateway(policyYaml(target('only', 'fake-fast', upstream), '[prompt-injection, audit-logger]'))
    const ok = await readyz(gw.url)
    expect(ok.status).toBe(200)
    expect(ok.body.audit).toMatchObject({ required: true, reachable: true })
    await gw.audit!.close()
    // The last write-ahead commit was good; once that is old, the probe (a flush) finds the log gone.
    await until(async () => (await readyz(gw.url)).status === 503, 15_000)
    const down = await readyz(gw.url)
    expect(down.body).toMatchObject({ status: 'not_ready', audit: { required: true, reachable: false } })
    expect(down.body.audit.reason).toBeTruthy()
    expect(down.body.targets[0]).toMatchObject({ reachable: true })
  })

  it.skipIf(!POSTGRES)('follows a PostgreSQL audit log: 503 while the database is down, 200 once it is back', async ({ upstream }) => {
    const cluster = await startPostgres()
    let gw: TestGateway | undefined
    try {
      const db = await cluster.createDatabase()
      gw = await gatewayWith(policyYaml(target('only', 'fake-fast', upstream), '[prompt-injection, audit-logger]'), {
        auditDb: db,
        auditKeyFile: path.join(tempDir(), 'audit.key'),
      })
      const up = await readyz(gw.url)
      expect(up.status).toBe(200)
      expect(up.body.audit).toMatchObject({ required: true, reachable: true })
      // Idle: nothing writes, so only the probe (the store's ping) can see the database go.
      await cluster.stop()
      await until(async () => (await readyz(gw!.url)).status === 503, 20_000)
      const down = await readyz(gw.url)
      expect(down.body).toMatchObject({ status: 'not_ready', audit: { required: true, reachable: false, source: 'probe' } })
      expect(down.body.targets[0]).toMatchObject({ reachable: true })
      expect(JSON.stringify(down.body)).not.toContain('wafer-test-pw')
      await cluster.start()
      await until(async () => (await readyz(gw!.url)).status === 200, 20_000)
      expect((await chat(gw.url)).status).toBe(200)
    } finally {
      // Stopped while its database is still there, so the last records are written.
      await gw?.stop(1_000)
      await cluster.destroy()
    }
  })
})
