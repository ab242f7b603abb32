import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import { openAuditLog } from '@main/services/audit'
import type { AuditSink } from '@main/services/audit/sink'
import { CerebrasClient } from '@main/services/cerebras/cerebras-client'
import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { resolveTargets } from '@main/services/gateway/config'
import { Gateway } from '@main/services/gateway/gateway'
import type { GatewayPolicy } from '@main/services/gateway/policy-port'
import { startGateway } from '@main/services/gateway/start'
import { describe, expect } from 'vitest'

import { gatewayTest, gatewayWith, policyYaml, sharedGateway, target, tempDir, TEST_KEY_ENV } from './harness'

/** `gw`: one gateway for the file (4 KiB bodies); `post(body, headers)` a chat request to it. */
const it = gatewayTest({ ttftMs: 5, tokensPerSecond: 20_000, replyTokens: 20 })
  .extend(
    'gw',
    { scope: 'file' },
    sharedGateway((upstream) => policyYaml(target('primary', 'fake-fast', upstream), '[audit-logger]'), { maxBodyBytes: 4096 }),
  )
  .extend(
    'post',
    { scope: 'file' },
    async ({ gw }) =>
      (body: string, headers: Record<string, string> = {}) =>
        fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }),
  )

const JSON_HEADERS = { 'content-type': 'application/json' }

describe('the gateway HTTP contract', () => {
  it('answers bad JSON with 400 in the OpenAI error shape', async ({ post }) => {
    const r = await post('{"model": "fake-fast", ')
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } })
  })

  it('answers a schema-invalid request with 422 naming the field', async ({ post }) => {
    const r = await post(JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'x' }], temperature: 9, frobnicate: true }))
    expect(r.status).toBe(422)
    const body = (await r.json()) as { error: { message: string; type: string } }
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message).toMatch(/temperature|frobnicate/)
  })

  it('answers an unknown model with 404 listing what it serves', async ({ post }) => {
    const r = await post(JSON.stringify({ model: 'gpt-oss-9000', messages: [{ role: 'user', content: 'x' }] }))
    expect(r.status).toBe(404)
    expect(await r.json()).toMatchObject({ error: { code: 'model_not_found', message: expect.stringContaining('fake-fast') } })
  })

  it('closes the connection after a stream when the client asks it to (Connection: close)', async ({ gw }) => {
    const socket = net.connect(Number(new URL(gw.url).port), '127.0.0.1')
    await once(socket, 'connect')
    const body = JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let raw = ''
    socket.on('data', (d: Buffer) => (raw += d.toString('utf8')))
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: ${new URL(gw.url).host}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    await once(socket, 'end')
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'))
    expect(head).toMatch(/^HTTP\/1\.1 200/)
    expect(head).toMatch(/^connection: close$/im)
    expect(raw).toContain('"finish_reason"')
    socket.destroy()
  })

  it('answers a body over the limit with 413', async ({ post }) => {
    const r = await post(JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }))
    expect(r.status).toBe(413)
    expect(await r.json()).toMatchObject({ error: { code: 'body_too_large' } })
  })

  it('lists its models, reports health, and shows its config without secrets', async ({ gw }) => {
    const models = (await (await fetch(`${gw.url}/v1/models`)).json()) as { data: Array<{ id: string }> }
    expect(models.data.map((m) => m.id)).toEqual(['fake-fast'])
    expect(await (await fetch(`${gw.url}/healthz`)).json()).toMatchObject({ status: 'ok' })
    const cfg = await (await fetch(`${gw.url}/wafer/config`)).text()
    expect(cfg).toContain(TEST_KEY_ENV)
    expect(cfg).not.toContain('csk-upstream-test-key')
    expect(JSON.parse(cfg)).toMatchObject({ chain: ['audit-logger'], fail_mode: 'block' })
  })
})

/** A policy whose input check throws: the engine failing, to test --fail-mode. */
function failingPolicy(): GatewayPolicy {
  return {
    chain: ['prompt-injection'],
    readsOutput: false,
    checkInput: async () => {
      throw new Error('detector crashed')
    },
    checkOutput: (text) => ({ text, verdict: 'allow', results: [], findings: [] }),
    outputStream: () => null,
  }
}

/** A gateway in this process with `policy` in front of `upstream`, its fail mode and limits as given. */
async function gatewayWithPolicy(
  upstream: string,
  policy: GatewayPolicy,
  failMode: 'block' | 'allow',
  maxConcurrency = 16,
  maxQueue?: number,
  audit?: AuditSink,
) {
  const config = {
    pack: { name: 't', version: '1', enabled: true },
    policies: { chain: ['prompt-injection'] },
    providers: { targets: [{ id: 'primary', provider: 'cerebras:chat:fake-fast', base_url: upstream, secret_key_ref: { env: TEST_KEY_ENV } }] },
  }
  const g = new Gateway({
    config: { config, files: [], warnings: [] },
    targets: resolveTargets(config, { env: { [TEST_KEY_ENV]: 'k' } }),
    policy,
    client: new CerebrasClient({ fetch }),
    failMode,
    maxConcurrency,
    maxQueue,
    audit,
  })
  const { url } = await g.start('127.0.0.1', 0)
  return { g, url }
}

/** A policy that lets everything through, so only the audit log decides. */
function passingPolicy(): GatewayPolicy {
  return {
    chain: ['audit-logger'],
    readsOutput: false,
    checkInput: async (request) => ({
      verdict: 'allow',
      policy: null,
      policies: [],
      findings: [],
      messages: request.messages,
      request,
      redactions: [],
      time_ms: 0,
    }),
    checkOutput: (text) => ({ text, verdict: 'allow', results: [], findings: [] }),
    outputStream: () => null,
  }
}

/** An audit log whose write-ahead commit fails (a full disk, a lost database); what it was asked to keep is noted. */
function failingAudit(): AuditSink & { appended: string[] } {
  const appended: string[] = []
  return {
    file: 'unwritable.db',
    appended,
    append: (e) => void appended.push(e.kind),
    appendCommitted: (e) => {
      appended.push(e.kind)
      return Promise.reject(new Error('disk full'))
    },
    flush: async () => undefined,
    prune: () => undefined,
    close: async () => undefined,
  } as AuditSink & { appended: string[] }
}

describe('write-ahead audit records', () => {
  for (const stream of [true, false]) {
    it(`refuses with 503 audit_unavailable, before any byte of the answer, when the started record cannot be committed and --fail-mode is block (${stream ? 'streamed' : 'whole'})`, async ({
      upstream,
    }) => {
      const audit = failingAudit()
      const { g, url } = await gatewayWithPolicy(upstream, passingPolicy(), 'block', 16, undefined, audit)
      const r = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ model: 'fake-fast', stream, messages: [{ role: 'user', content: 'hi' }] }),
      })
      expect(r.status).toBe(503)
      const text = await r.text()
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'audit_unavailable', message: expect.stringContaining('disk full') } })
      expect(text).not.toContain('choices')
      expect(audit.appended[0]).toBe('request_started')
      await g.stop(100)
    })
  }

  it('answers under --fail-mode allow and says the record was not written', async ({ upstream }) => {
    const audit = failingAudit()
    const { g, url } = await gatewayWithPolicy(upstream, passingPolicy(), 'allow', 16, undefined, audit)
    const r = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ model: 'fake-fast', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('"finish_reason"')
    expect(g.log.recent().at(-1)?.error).toMatch(/audit record not written before the answer.*disk full/)
    await g.stop(100)
  })
})

describe('fail mode and limits', () => {
  it('refuses the request when a policy fails and --fail-mode is block', async ({ upstream }) => {
    const { g, url } = await gatewayWithPolicy(upstream, failingPolicy(), 'block')
    const r = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(r.status).toBe(503)
    expect(await r.json()).toMatchObject({ error: { code: 'policy_failed', message: expect.stringContaining('detector crashed') } })
    await g.stop(100)
  })

  it('lets it through and says so when --fail-mode is allow', async ({ upstream }) => {
    const { g, url } = await gatewayWithPolicy(upstream, failingPolicy(), 'allow')
    const r = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(r.status).toBe(200)
    expect(g.log.recent().at(-1)!.error).toMatch(/allowed by --fail-mode allow/)
    await g.stop(100)
  })

  it('answers 429 with a jittered retry-after past --max-concurrency when no request may wait', async ({ upstream, fake }) => {
    fake.reset()
    const { g, url } = await gatewayWithPolicy(
      upstream,
      {
        ...failingPolicy(),
        checkInput: async (r) => ({ verdict: 'allow', policy: null, policies: [], findings: [], messages: r.messages, request: r, redactions: [], time_ms: 0 }),
      },
      'block',
      1,
      0,
    )
    // One slow stream holds the only slot; the second request is refused at once.
    fake.queuedFaults.push('slow_drip?gap_ms=40')
    const first = fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'slow' }], stream: true }),
    })
    const firstRes = await first
    const second = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(second.status).toBe(429)
    const ms = Number(second.headers.get('retry-after-ms'))
    expect(ms).toBeGreaterThanOrEqual(500)
    expect(ms).toBeLessThanOrEqual(2000)
    expect(second.headers.get('retry-after')).toBe(String(Math.ceil(ms / 1000)))
    await firstRes.text()
    await g.stop(2000)
  })
})

describe('start-up checks', () => {
  it('names a missing key variable', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'p.yaml')
    writeFileSync(file, policyYaml(target('primary', 'fake-fast', 'http://127.0.0.1:9/v1'), '[audit-logger]'))
    await expect(
      startGateway({
        listen: '127.0.0.1:0',
        policyConfigs: [file],
        failMode: 'block',
        maxConcurrency: 4,
        auditDb: path.join(dir, 'a.db'),
        secrets: { env: {} },
      }),
    ).rejects.toThrow(new RegExp(`environment variable ${TEST_KEY_ENV}, which is not set`))
  })

  it('refuses a non-loopback address without a token', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'p.yaml')
    writeFileSync(file, policyYaml(target('primary', 'fake-fast', 'http://127.0.0.1:9/v1'), '[audit-logger]'))
    await expect(
      startGateway({
        listen: '0.0.0.0:0',
        policyConfigs: [file],
        failMode: 'block',
        maxConcurrency: 4,
        auditDb: path.join(dir, 'a.db'),
        secrets: { env: { [TEST_KEY_ENV]: 'k' } },
      }),
    ).rejects.toThrow(/--auth-token/)
  })
})

describe('policy codes and the optional LLM check', () => {
  it('answers 409 budget_exceeded when token-budget caps the prompt', async ({ upstream }) => {
    const g = await gatewayWith(
      policyYaml(target('primary', 'fake-fast', upstream), '[token-budget]').replace(
        '  audit-logger: {immutable: true, retention_days: 365}',
        '  audit-logger: {immutable: true, retention_days: 365}\n  token-budget: {max_prompt_tokens: 10}',
      ),
    )
    try {
      const r = await fetch(`${g.url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'word '.repeat(200) }] }),
      })
      expect(r.status).toBe(409)
      expect(await r.json()).toMatchObject({ error: { type: 'policy_violation', code: 'budget_exceeded', policy: 'token-budget' } })
    } finally {
      await g.stop(200)
    }
  })

  it('asks a model for a strict JSON verdict when --injection-llm-model is set, and records it', async ({ fake, upstream }) => {
    fake.reset()
    const g = await gatewayWith(policyYaml(target('primary', 'fake-fast', upstream), '[prompt-injection, audit-logger]'), { injectionLlmModel: 'fake-fast' })
    try {
      const r = await fetch(`${g.url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content: 'What is a wafer?' }] }),
      })
      expect(r.status).toBe(200)
      const check = fake.received.find((x) => JSON.stringify(x.body).includes('injection_verdict'))
      expect(check).toBeDefined()
      const entry = g.gateway.log.recent().at(-1)!
      expect(entry.llm).toMatchObject({ verdict: 'benign' })
      expect(entry.llm!.latency_ms).toBeGreaterThan(0)
      await g.audit!.flush()
      const log = openAuditLog({ file: g.auditDb, create: false })
      const rec = log.query({ kind: 'request_completed' }).records[0]
      log.close()
      expect(rec.detail).toMatchObject({ llm_check: { verdict: 'benign' } })
    } finally {
      await g.stop(200)
    }
  })
})

describe('a client that reads slower than the upstream answers', () => {
  it('stops reading the upstream instead of holding the answer in memory, and delivers all of it when the client reads again', async () => {
    const big = new FakeCerebras({ firehose: true, replyTokens: 100_000, ttftMs: 0 })
    const base = await big.start()
    const g = await gatewayWith(policyYaml(target('primary', 'gpt-oss-120b', base)))
    const socket = net.connect(Number(new URL(g.url).port), '127.0.0.1')
    try {
      await once(socket, 'connect')
      const body = JSON.stringify({
        model: 'gpt-oss-120b',
        max_completion_tokens: 100_000,
        messages: [{ role: 'user', content: 'a very long answer please' }],
        stream: true,
      })
      socket.pause() // reads nothing until told
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nhost: ${new URL(g.url).host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      )
      // The answer is ~23 MB of events; kernel socket buffers hold a few MB of it.
      let most = 0
      for (let i = 0; i < 30; i++) {
        await new Promise((r) => setTimeout(r, 50))
        most = Math.max(most, ((await (await fetch(`${g.url}/healthz`)).json()) as { buffered_bytes: number }).buffered_bytes)
      }
      expect(most).toBeLessThan(1024 * 1024)
      expect(g.gateway.inFlight).toBe(1)
      // Reading again: every event arrives, to the end.
      let received = 0
      let tail = ''
      socket.on('data', (d: Buffer) => {
        received += d.length
        tail = (tail + d.toString('latin1')).slice(-4096)
      })
      socket.resume()
      await once(socket, 'end')
      expect(received).toBeGreaterThan(20_000_000)
      expect(tail).toMatch(/"finish_reason":"(stop|length)"/)
      expect(tail.endsWith('0\r\n\r\n')).toBe(true)
    } finally {
      socket.destroy()
      await g.stop(500)
      await big.stop()
    }
  })
})
