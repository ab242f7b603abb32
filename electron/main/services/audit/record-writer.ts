import type { AuditHead, AuditRecord } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'

import { headSeal, recordMac } from './chain-keys'
import type { ParsedAuditEntry } from './input'
import type { SegmentRow } from './prune'
import { RECORD_COLUMN_LIST, sealRecord } from './record'
import { get, getLocked, type Program, write, writeRows } from './sql-program'

/** A segment being extended inside one commit; `id` null until inserted. */
interface OpenSegment {
  id: number | null
  firstSeq: number
  lastSeq: number
  firstTime: number
  lastTime: number
}

export interface RecordWriterOptions {
  /** Span of a segment, the unit retention removes. */
  segmentSpanMs: number
  /** Records per segment at most. */
  segmentMaxRecords: number
  /** Epoch ms, for entries that bring no time. */
  clock: () => number
  /** The key findings are hashed with (throws when it is missing). */
  findingsKey: () => string
  /**
   * Format 2: the MAC key each record and the head seal are keyed with; it
   * throws when the key file is missing (the chain cannot be extended without it).
   * Undefined for format 1 logs, which keep the hash chain alone.
   */
  macKey?: () => Buffer
  logId: string
}

const HEAD = 'SELECT seq, hash FROM audit_head WHERE id = 1'

/** The newest committed record's seq and hash; `lock`ed inside a write transaction, so no other writer extends the chain meanwhile. */
export function* readHead(lock = false): Program<AuditHead> {
  const h = lock ? yield* getLocked<AuditHead>(HEAD) : yield* get<AuditHead>(HEAD)
  if (!h) throw new WaferError('storage', 'The audit log has lost its head marker; run `wafer audit verify`')
  return { seq: h.seq, hash: h.hash }
}

/**
 * Seals entries into the chain after the head stored in the database and
 * inserts them, extending the newest segment or opening the next. Runs
 * inside the caller's write transaction; the first thing it reads is the
 * head, locked, which is what serialises writers (several processes, or a
 * fleet of gateways on one PostgreSQL log).
 */
export class RecordWriter {
  constructor(private readonly opts: RecordWriterOptions) {}

  /** Seals and inserts entries after the stored head; returns them as stored. */
  *write(entries: readonly ParsedAuditEntry[]): Program<AuditRecord[]> {
    const head = yield* readHead(true)
    const last = yield* get<SegmentRow>('SELECT id, first_seq, last_seq, first_time, last_time FROM audit_segments ORDER BY id DESC LIMIT 1')
    // A segment is extended only if it ends at the head (after a prune it may be gone).
    let seg: OpenSegment | undefined =
      last && last.last_seq === head.seq
        ? { id: last.id, firstSeq: last.first_seq, lastSeq: last.last_seq, firstTime: last.first_time, lastTime: last.last_time }
        : undefined
    const segments: OpenSegment[] = []
    let seq = head.seq
    let prevHash = head.hash
    const sealed: AuditRecord[] = []
    const rows: unknown[][] = []
    const macs: unknown[][] = []
    const macKey = this.opts.macKey?.()
    for (const e of entries) {
      const { record: rec, params } = sealRecord(e, {
        seq: seq + 1,
        prevHash,
        time: e.time ?? this.opts.clock(),
        saltHex: e.findings.length ? this.opts.findingsKey() : '',
      })
      rows.push(params)
      if (macKey) macs.push([rec.seq, recordMac(macKey, this.opts.logId, rec.seq, rec.hash)])
      const full = seg && (rec.time - seg.firstTime >= this.opts.segmentSpanMs || rec.seq - seg.firstSeq >= this.opts.segmentMaxRecords)
      if (!seg || full) {
        if (seg) segments.push(seg)
        seg = { id: null, firstSeq: rec.seq, lastSeq: rec.seq, firstTime: rec.time, lastTime: rec.time }
      } else {
        seg.lastSeq = rec.seq
        seg.lastTime = Math.max(seg.lastTime, rec.time)
      }
      seq = rec.seq
      prevHash = rec.hash
      sealed.push(rec)
    }
    if (seg) segments.push(seg)
    // Nothing below needs an answer: PostgreSQL gets these writes in one round trip.
    yield* writeRows('audit_records', RECORD_COLUMN_LIST, rows)
    yield* writeRows('audit_macs', ['seq', 'mac'], macs)
    for (const s of segments) yield* saveSegment(s)
    // The head's seal moves with the head, in the same transaction.
    if (macKey && sealed.length)
      yield* write('UPDATE audit_seal SET seq = ?, hash = ?, mac = ? WHERE id = 1', seq, prevHash, headSeal(macKey, this.opts.logId, seq, prevHash))
    return sealed
  }
}

function* saveSegment(seg: OpenSegment): Program<void> {
  if (seg.id === null) {
    yield* write(
      'INSERT INTO audit_segments (first_seq, last_seq, first_time, last_time) VALUES (?, ?, ?, ?)',
      seg.firstSeq,
      seg.lastSeq,
      seg.firstTime,
      seg.lastTime,
    )
  } else {
    yield* write('UPDATE audit_segments SET last_seq = ?, last_time = ? WHERE id = ?', seg.lastSeq, seg.lastTime, seg.id)
  }
}
