import type { AuditHead, AuditInfo } from '@shared/audit/types'

import type { AuditMeta } from './schema'
import { readWitness } from './signed-heads'
import { get, type Program } from './sql-program'

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
export function* readLogInfo(f: LogFacts): Program<AuditInfo> {
  const counts = (yield* get<{ n: number; first: number | null }>('SELECT count(*) AS n, min(seq) AS first FROM audit_records'))!
  const segs = (yield* get<{ n: number }>('SELECT count(*) AS n FROM audit_segments'))!
  const cps = (yield* get<{ n: number }>('SELECT count(*) AS n FROM audit_checkpoints'))!
  const lastCp = yield* lastCheckpoint(f.meta)
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
    lastCheckpoint: lastCp,
    witness: f.witnessFile ? witnessState(f.witnessFile, f.meta.logId) : null,
  }
}

/** The newest signed checkpoint; in a format 1 log, the newest retention checkpoint (unsigned). */
function* lastCheckpoint(meta: AuditMeta): Program<AuditInfo['lastCheckpoint']> {
  if (meta.version === 2) {
    const s = yield* get<{ seq: number; time: number }>('SELECT seq, time FROM audit_signed_heads ORDER BY id DESC LIMIT 1')
    if (s) return { seq: s.seq, time: s.time, signed: true }
  }
  const c = yield* get<{ seq: number; time: number }>('SELECT seq, created_at AS time FROM audit_checkpoints ORDER BY id DESC LIMIT 1')
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
