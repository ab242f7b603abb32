import { spawn } from 'node:child_process'
import { renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect } from 'vitest'

import { gatewayTest, tempDir, TEST_KEY_ENV, until } from './harness'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const it = gatewayTest({ ttftMs: 5, replyTokens: 30 })

/** A policy whose PII redaction shows in the answer (`[EMAIL_ADDRESS]` labels, or asterisks), with a fast target and a slow one (one piece every 40 ms). */
const policy = (upstream: string, markers: 'label' | 'asterisks') => `pack: {name: reload-${markers}, version: 0.1.0, enabled: true}
policies:
  chain: [pii-detector]
policy:
  pii-detector:
    action: redact
    redaction: {marker_format: ${markers}, preserve_length: true}
providers:
  targets:
    - id: fast
      provider: cerebras:chat:fake-fast
      base_url: ${upstream}
      secret_key_ref: {env: ${TEST_KEY_ENV}}
    - id: slow
      provider: cerebras
      model: fault/slow_drip?gap_ms=40
      base_url: ${upstream}
      secret_key_ref: {env: ${TEST_KEY_ENV}}
`

/** Saves as editors and the app do: a new file renamed over the old one. */
function save(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text)
  renameSync(`${file}.tmp`, file)
}

const EMAIL = 'ana@example.com'
/** The fake says this back in small pieces; the email comes last, well after the first words. */
const ECHO = `echo: ${'Here is a longer answer that takes a while to stream. '.repeat(4)}Write to ${EMAIL} today.`

async function ask(url: string, model: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: ECHO }] }),
  })
}

/** The answer text of an SSE body. */
function contentOf(sse: string): string {
  let text = ''
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: {')) continue
    const chunk = JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> }
    text += chunk.choices?.[0]?.delta?.content ?? ''
  }
  return text
}

describe('saving a policy file reloads the running gateway', () => {
  it('a stream in flight finishes on the old policy, the next request gets the new one, and a broken file keeps the running one', async ({
    upstream,
    startGateway,
  }) => {
    const gw = await startGateway(policy(upstream, 'label'), { reloadDebounceMs: 50 }, 5_000)
    const file = path.join(gw.dir, 'policy-config.yaml')

    // A slow stream (five characters every 40 ms, some 2 s in all): once its first words are out, save a new policy.
    const slow = await ask(gw.url, 'slow')
    expect(slow.status).toBe(200)
    const reader = slow.body!.getReader()
    const decoder = new TextDecoder()
    let sse = ''
    while (!contentOf(sse)) sse += decoder.decode((await reader.read()).value, { stream: true })
    expect(contentOf(sse)).not.toContain('ana@')

    save(file, policy(upstream, 'asterisks'))
    await until(() => gw.lastReload?.ok === true)
    expect(gw.summary[0]).toBe('policy chain: pii-detector')
    expect(gw.gateway.inFlight).toBe(1)

    // The stream that was running goes on to its end under the policy it started with.
    for (let r = await reader.read(); !r.done; r = await reader.read()) sse += decoder.decode(r.value, { stream: true })
    const first = contentOf(sse)
    expect(first).toContain('Write to [EMAIL_ADDRESS] today.')
    expect(first).not.toContain('*')
    expect(sse).toContain('"finish_reason":"stop"')

    // The next request gets the new policy.
    const second = contentOf(await (await ask(gw.url, 'fast')).text())
    expect(second).toContain(`Write to ${'*'.repeat(EMAIL.length)} today.`)
    expect(second).not.toContain('[EMAIL_ADDRESS]')

    // A file that does not parse is refused with where it fails; the policy that runs stays.
    const before = gw.lastReload!.at
    save(file, `pack: {name: broken, version: 0.1.0, enabled: true}\npolicies:\n  chain: [pii-detector\n`)
    await until(() => gw.lastReload !== null && gw.lastReload.at > before)
    const refused = gw.lastReload!
    expect(refused.ok).toBe(false)
    expect(refused.ok ? '' : refused.error).toContain(file)
    expect(contentOf(await (await ask(gw.url, 'fast')).text())).toContain(`Write to ${'*'.repeat(EMAIL.length)} today.`)

    // So is one that lints with errors (a policy kind that does not exist).
    const brokenAt = refused.at
    save(file, policy(upstream, 'label').replace('chain: [pii-detector]', 'chain: [pii-detector, no-such-policy]'))
    await until(() => gw.lastReload!.at > brokenAt)
    expect(gw.lastReload!.ok).toBe(false)
    expect(contentOf(await (await ask(gw.url, 'fast')).text())).toContain(`Write to ${'*'.repeat(EMAIL.length)} today.`)

    // Fixed, it loads.
    save(file, policy(upstream, 'label'))
    await until(() => gw.lastReload!.ok)
    expect(contentOf(await (await ask(gw.url, 'fast')).text())).toContain('Write to [EMAIL_ADDRESS] today.')
  })

  it('wafer gateway run reloads a saved file and says so in its log, and a broken one keeps the running policy', async ({ upstream }) => {
    const dir = tempDir()
    const file = path.join(dir, 'policy-config.yaml')
    writeFileSync(file, policy(upstream, 'label'))
    const child = spawn(
      process.execPath,
      [`${root}bin/wafer.mjs`, 'gateway', 'run', '--listen', '127.0.0.1:0', '--policy-config', file, '--audit-db', path.join(dir, 'audit.db')],
      { env: { ...process.env, [TEST_KEY_ENV]: 'csk-test' }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    try {
      await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(out), 20_000)
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]

      save(file, 'policies: [oops')
      await until(() => /policy not reloaded/.test(err))
      expect(err).toMatch(/policy not reloaded; the previous policy keeps running: .*policy-config\.yaml/)
      expect(contentOf(await (await ask(url, 'fast')).text())).toContain('Write to [EMAIL_ADDRESS] today.')

      save(file, policy(upstream, 'asterisks'))
      await until(() => /policy reloaded from /.test(out))
      expect(out).toContain(`policy reloaded from ${file}`)
      expect(contentOf(await (await ask(url, 'fast')).text())).toContain(`Write to ${'*'.repeat(EMAIL.length)} today.`)
    } finally {
      child.kill('SIGTERM')
      await exited
    }
  })
})
