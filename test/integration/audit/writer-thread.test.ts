import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { AuditWriterThread, openAuditLog } from '@main/services/audit/index'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { requestEntry, tempDir } from '../../support/audit-helpers'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir()))
afterEach(() => cleanup())

function read(file: string) {
  const log = openAuditLog({ file, create: false })
  try {
    const ids: string[] = []
    for (let cursor: string | undefined, guard = 0; guard < 50; guard++) {
      const page = log.query({ limit: 1000, cursor })
      ids.push(...page.records.map((r) => r.requestId ?? ''))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    return { ids: ids.reverse(), info: log.info(), verify: log.verify() }
  } finally {
    log.close()
  }
}

describe('the audit writer thread', () => {
  it('commits what it is sent, in order, as one chain that verifies', async () => {
    const file = join(dir, 'audit.db')
    const writer = await AuditWriterThread.open({ file })
    // Several ticks' worth, so entries cross in several messages.
    for (let i = 1; i <= 600; i++) {
      writer.append(requestEntry(i))
      if (i % 100 === 0) await new Promise((r) => setImmediate(r))
    }
    await writer.flush()
    const { ids, info, verify } = read(file)
    expect(ids).toEqual(Array.from({ length: 600 }, (_, i) => `req-${i + 1}`))
    expect(info.head.seq).toBe(600)
    expect(await verify).toMatchObject({ ok: true, records: 600 })
    await writer.close()
  })

  it('refuses a file that is not an audit log, saying so', async () => {
    const file = join(dir, 'notes.db')
    writeFileSync(file, 'these are my notes, not a database')
    await expect(AuditWriterThread.open({ file })).rejects.toThrow(/not an audit log|not a database/i)
  })

  it('reports an entry the log refuses and goes on with the rest', async () => {
    const errors: string[] = []
    const file = join(dir, 'audit.db')
    const writer = await AuditWriterThread.open({ file, onError: (m) => errors.push(m) })
    writer.append(requestEntry(1))
    writer.append({ ...requestEntry(2), status: 5000 })
    writer.append(requestEntry(3))
    await writer.flush()
    await writer.close()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/refused.*status/i)
    expect(read(file).ids).toEqual(['req-1', 'req-3'])
  })

  it('close() commits what is queued; appending afterwards throws', async () => {
    const file = join(dir, 'audit.db')
    const writer = await AuditWriterThread.open({ file })
    for (let i = 1; i <= 50; i++) writer.append(requestEntry(i))
    await writer.close()
    expect(read(file).info.head.seq).toBe(50)
    expect(() => writer.append(requestEntry(51))).toThrow(/closed/)
  })

  it('stamps each entry with the time it was appended, not when the thread wrote it', async () => {
    const file = join(dir, 'audit.db')
    const writer = await AuditWriterThread.open({ file })
    const before = Date.now()
    writer.append(requestEntry(1))
    const after = Date.now()
    await writer.close()
    const log = openAuditLog({ file, create: false })
    const rec = log.query({ limit: 1 }).records[0]
    log.close()
    expect(rec.time).toBeGreaterThanOrEqual(before)
    expect(rec.time).toBeLessThanOrEqual(after)
  })
})
