import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { curlCode, typescriptOpenAICode, wireBody } from '@renderer/features/playground/codegen'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { bigRequest, smallRequest } from '../../support/view-code-requests'

// View code's snippets, run for real (curl, and TypeScript through tsx) against
// the fake Cerebras server: what the user copies works as written.

const root = fileURLToPath(new URL('../../../', import.meta.url))

const small = smallRequest
const big = bigRequest
const ON = { msgpack: true, gzip: true }

let fake: FakeCerebras
let baseUrl: string

beforeAll(async () => {
  fake = new FakeCerebras({ tokensPerSecond: 100_000, ttftMs: 0, replyTokens: 5 })
  baseUrl = await fake.start()
})
afterAll(async () => fake?.stop())

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 })
    })
  })
}

describe('View code snippets, run', () => {
  it('gives curl that really streams from the server as JSON', async () => {
    const script = curlCode(small, { baseUrl, compression: ON })
    const r = await run('bash', ['-c', script], { CEREBRAS_API_KEY: 'csk-test-key' })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('"time_info"')
    const req = fake.chatRequests.at(-1)!
    expect(req.format).toBe('json')
    expect(req.body).toEqual(wireBody(small))
    expect(req.headers.authorization).toBe('Bearer csk-test-key')
  })

  it('gives gzip curl that the server accepts with Content-Encoding: gzip', async () => {
    const script = curlCode(big, { baseUrl, compression: { msgpack: false, gzip: true } })
    expect(script).toContain('gzip -1 -c')
    const r = await run('bash', ['-c', script], { CEREBRAS_API_KEY: 'csk-test-key' })
    expect(r.code, r.stderr).toBe(0)
    const req = fake.chatRequests.at(-1)!
    expect(req).toMatchObject({ format: 'json', gzip: true })
    expect(req.body).toEqual(wireBody(big))
  })

  it('gives TypeScript that runs as written and sends msgpack+gzip that decodes to the same body', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-codegen-'))
    const file = path.join(dir, 'snippet.mts')
    // Resolve the snippet's imports from the repo's node_modules, as a user's project would have them.
    const code = typescriptOpenAICode(big, { baseUrl, compression: ON })
      .replace("from 'openai'", `from '${root}node_modules/openai/index.mjs'`)
      .replace("from 'msgpackr'", `from '${root}node_modules/msgpackr/index.js'`)
    writeFileSync(file, code)
    const r = await run(process.execPath, ['--import', 'tsx', file], { CEREBRAS_API_KEY: 'csk-test-key' })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.length).toBeGreaterThan(0)
    const req = fake.chatRequests.at(-1)!
    expect(req).toMatchObject({ format: 'msgpack', gzip: true, contentType: 'application/vnd.msgpack' })
    expect(req.body).toEqual(wireBody(big))
  }, 60_000)
})
