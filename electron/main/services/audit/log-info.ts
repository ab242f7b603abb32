import type { AuditHead, AuditInfo } from '@shared/audit/types'

import type { Db } from './connection'
import type { AuditMeta } from './schema'
import { readWitness } from './signed-heads'

export interface LogFacts {
  file: string
  meta: AuditMeta
  head: AuditHead
  retentionDays: number
  logAllAccess: boolean
  /** The witness file the writer appends to (remembered in the log's settings). */
  witnessFile: string | undefined
}

/** Facts about the log for a status line: counts, the newest checkpoint, the witness file's state. Reads no record content. */
export function readLogInfo(db: Db, f: LogFacts): AuditInfo {
  const counts = db.prepare('SELECT count(*) AS n, min(seq) AS first FROM audit_records').get() as { n: number; first: number | null }
  const segs = db.prepare('SELECT count(*) AS n FROM audit_segments').get() as { n: number }
  const cps = db.prepare('SELECT count(*) AS n FROM audit_checkpoints').get() as { n: number }
  return {
    file: f.file,
    logId: f.meta.logId,
    createdAt: f.meta.createdAt,
    head: f.head,
    firstSeq: counts.first,
    records: counts.n,
    segments: segs.n,
    checkpoints: cps.n,
    retentionDays: f.retentionDays,
    logAllAccess: f.logAllAccess,
    formatVersion: f.meta.version,
    lastCheckpoint: lastCheckpoint(db, f.meta),
    witness: f.witnessFile ? witnessState(f.witnessFile, f.meta.logId) : null,
  }
}

/** The newest signed checkpoint; in a format 1 log, the newest retention checkpoint (unsigned). */
function lastCheckpoint(db: Db, meta: AuditMeta): AuditInfo['lastCheckpoint'] {
  if (meta.version === 2) {
    const s = db.prepare('SELECT seq, time FROM audit_signed_heads ORDER BY id DESC LIMIT 1').get() as { seq: number; time: number } | undefined
    if (s) return { seq: s.seq, time: s.time, signed: true }
  }
  const c = db.prepare('SELECT seq, created_at AS time FROM audit_checkpoints ORDER BY id DESC LIMIT 1').get() as { seq: number; time: number } | undefined
  return c ? { seq: c.seq, time: c.time, signed: false } : null
}

function witnessState(file: string, logId: string): NonNullable<AuditInfo['witness']> {
  try {
    const mine = readWitness(file).heads.filter((h) => h.log === logId)
    const last = mine.at(-1)
    return { file, lastSeq: last?.seq ?? null, lastTime: last?.time ?? null, problem: null }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { file, lastSeq: null, lastTime: null, problem: code === 'ENOENT' ? 'no checkpoint has been written to it yet' : (err as Error).message }
  }
}
