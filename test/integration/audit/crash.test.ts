import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import { openAuditLog } from '@main/services/audit/index'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const CHILD = fileURLToPath(new URL('./writer-child.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wafer-audit-crash-'))
  file = join(dir, 'audit.db')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

interface Writer {
  child: ChildProcess
  /** Highest head the child reported as committed so far. */
  committed: () => number
  /** Resolves once the child has reported at least `seq` committed. */
  reached: (seq: number) => Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startWriter(tag: string, count?: number, thread = false): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, tag, ...(count ? [String(count)] : []), ...(thread ? ['--thread'] : [])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let committed = 0
  let stderr = ''
  const waiters: { seq: number; resolve: () => void }[] = []
  child.stderr!.on('data', (d) => (stderr += String(d)))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = /^committed (\d+)$/.exec(line)
    if (!m) return
    committed = Math.max(committed, Number(m[1]))
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (committed >= waiters[i].seq) waiters.splice(i, 1)[0].resolve()
    }
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return {
    child,
    committed: () => committed,
    reached: (seq) =>
      new Promise<void>((resolve, reject) => {
        if (committed >= seq) return resolve()
        waiters.push({ seq, resolve })
        void exited.then(({ code, signal }) => reject(new Error(`writer exited (${code ?? signal}) before ${seq}: ${stderr}`)))
      }),
    exited,
  }
}

async function verifyLog() {
  const log = openAuditLog({ file, create: false })
  try {
    return { result: await log.verify(), info: log.info() }
  } finally {
    log.close()
  }
}

describe('crash safety', () => {
  it.each([
    ['in the writing thread', false],
    ['through the writer thread the gateway uses', true],
  ])('kill -9 in the middle of heavy writing loses no committed record and never breaks the chain (%s)', async (_how, thread) => {
    let reportedBefore = 0
    for (let round = 1; round <= 3; round++) {
      const w = startWriter(`round${round}`, undefined, thread)
      // Let it write a good amount past where the previous round stopped, then kill it mid-stream.
      await w.reached(reportedBefore + 3000)
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 150)))
      w.child.kill('SIGKILL')
      const { signal } = await w.exited
      expect(signal).toBe('SIGKILL')
      const reported = w.committed()

      const { result, info } = await verifyLog()
      expect(result).toMatchObject({ ok: true })
      // Everything the child saw committed is there; at most its queued, uncommitted batch is gone.
      expect(info.head.seq).toBeGreaterThanOrEqual(reported)
      expect(info.records).toBe(info.head.seq)
      reportedBefore = info.head.seq
    }
  })

  it('two processes appending to one log at once keep one unbroken chain', async () => {
    const a = startWriter('a', 4000)
    const b = startWriter('b', 4000)
    const [ea, eb] = await Promise.all([a.exited, b.exited])
    expect([ea.code, eb.code]).toEqual([0, 0])

    const { result, info } = await verifyLog()
    expect(result).toMatchObject({ ok: true, records: 8000 })
    // Every record of each writer arrived exactly once.
    const log = openAuditLog({ file, create: false })
    const ids: string[] = []
    try {
      for (let cursor: string | undefined, guard = 0; guard < 100; guard++) {
        const page = log.query({ limit: 1000, cursor })
        ids.push(...page.records.map((r) => r.requestId ?? ''))
        if (!page.nextCursor) break
        cursor = page.nextCursor
      }
    } finally {
      log.close()
    }
    expect(new Set(ids).size).toBe(8000)
    for (const tag of ['a', 'b']) expect(ids.filter((id) => id.startsWith(`${tag}-`)).length).toBe(4000)
    expect(info.head.seq).toBe(8000)
  })
})
