import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import { openAuditLog } from '@main/services/audit/index'
import { readWitness } from '@main/services/audit/signed-heads'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const CHILD = fileURLToPath(new URL('./gateway-child.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wafer-audit-wal-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function startGatewayProcess(): Promise<{ child: ChildProcess; url: string; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += String(d)))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^url (\S+)$/.exec(line)
      if (m) resolve(m[1])
    })
    void exited.then(() => reject(new Error(`the gateway exited before listening: ${stderr}`)))
  })
  return { child, url, exited }
}

/**
 * One chat request. Resolves with the request id the gateway answered with
 * as soon as the response's first byte (its status line and headers)
 * arrives, or null when the connection died first.
 */
function chat(url: string, i: number): Promise<string | null> {
  const body = JSON.stringify({
    model: 'llama3.1-8b',
    stream: i % 2 === 0,
    messages: [{ role: 'user', content: `question ${i}: mail me at user${i}@example.com` }],
  })
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/v1/chat/completions`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        resolve(String(res.headers['x-wafer-request-id'] ?? ''))
        res.on('error', () => {})
        res.resume()
      },
    )
    req.on('error', () => resolve(null))
    req.end(body)
  })
}

describe('write-ahead audit records', () => {
  it('kill -9 during a burst: every request a client saw answered is in the log, every round, and the chain verifies', async () => {
    const file = join(dir, 'audit.db')
    let totalSeen = 0
    for (let round = 1; round <= 10; round++) {
      const gw = await startGatewayProcess()
      const seen: string[] = []
      let sent = 0
      let stop = false
      // 24 clients sending back to back; the kill lands once a varying number of answers has started.
      const killAfter = 20 + Math.floor(Math.random() * 40)
      const killed = new Promise<void>((resolve) => {
        const client = async () => {
          while (!stop) {
            const id = await chat(gw.url, sent++)
            if (id === null) return
            if (id) seen.push(id)
            if (seen.length >= killAfter && !stop) {
              stop = true
              gw.child.kill('SIGKILL')
              resolve()
            }
          }
        }
        for (let c = 0; c < 24; c++) void client()
      })
      await killed
      expect(await gw.exited).toBe('SIGKILL')

      const log = openAuditLog({ file, create: false })
      try {
        const started = new Set(log.query({ kind: 'request_started', limit: 1000 }).records.map((r) => r.requestId))
        for (let page = log.query({ kind: 'request_started', limit: 1000 }); page.nextCursor;) {
          page = log.query({ kind: 'request_started', limit: 1000, cursor: page.nextCursor })
          page.records.forEach((r) => started.add(r.requestId))
        }
        const missing = seen.filter((id) => !started.has(id))
        expect(missing, `round ${round}: answered but not in the log`).toEqual([])
        const result = await log.verify()
        expect(result, `round ${round}`).toMatchObject({ ok: true, proofs: { mac: 'checked' } })
        // Requests cut off by the kill show as started, not finished, in verify and in queries.
        const unfinished = log.query({ unfinished: true, limit: 1000 }).records
        expect(result.proofs!.unfinished).toBe(unfinished.length)
        for (const r of unfinished) expect(r).toMatchObject({ kind: 'request_started', finished: false })
      } finally {
        log.close()
      }
      totalSeen += seen.length
    }
    expect(totalSeen).toBeGreaterThanOrEqual(200)
  }, 180_000)

  it('a clean stop completes every request and signs a checkpoint that the witness file holds', async () => {
    const gw = await startGatewayProcess()
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => chat(gw.url, i)))
    gw.child.kill('SIGTERM')
    await gw.exited
    const log = openAuditLog({ file: join(dir, 'audit.db'), create: false })
    try {
      const page = log.query({ kind: 'request_started', limit: 100 })
      expect(new Set(page.records.map((r) => r.requestId))).toEqual(new Set(ids))
      expect(page.records.every((r) => r.finished === true)).toBe(true)
      const { heads } = readWitness(join(dir, 'witness.jsonl'))
      expect(heads.at(-1)!.seq).toBe(log.head().seq)
      const result = await log.verify({ witness: heads })
      expect(result).toMatchObject({ ok: true, proofs: { unfinished: 0, witnessHeads: heads.length, signedCheckpoints: heads.length } })
      expect(log.info().lastCheckpoint).toMatchObject({ seq: log.head().seq, signed: true })
    } finally {
      log.close()
    }
  }, 60_000)
})
