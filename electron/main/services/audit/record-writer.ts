import type { AuditHead, AuditRecord } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'
import type Database from 'libsql'

import { headSeal, recordMac } from './chain-keys'
import type { Db } from './connection'
import type { ParsedAuditEntry } from './input'
import type { SegmentRow } from './prune'
import { RECORD_COLUMNS, sealRecord } from './record'

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

/**
 * Seals entries into the chain after the head stored in the file and inserts
 * them, extending the newest segment or opening the next. Runs inside the
 * caller's write transaction.
 */
export class RecordWriter {
  private statements?: {
    head: Database.Statement
    lastSegment: Database.Statement
    insertRecord: Database.Statement
    insertSegment: Database.Statement
    updateSegment: Database.Statement
    insertMac: Database.Statement
    updateSeal: Database.Statement
  }

  constructor(
    private readonly db: Db,
    private readonly opts: RecordWriterOptions,
  ) {}

  /**
   * Prepared on first use rather than at open, so that a log whose tables
   * were damaged still opens and verify() can say what is wrong with it.
   */
  private get stmt(): NonNullable<RecordWriter['statements']> {
    this.statements ??= {
      head: this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
      lastSegment: this.db.prepare('SELECT id, first_seq, last_seq, first_time, last_time FROM audit_segments ORDER BY id DESC LIMIT 1'),
      insertRecord: this.db.prepare(
        `INSERT INTO audit_records (${RECORD_COLUMNS}) VALUES (${RECORD_COLUMNS.split(',')
          .map(() => '?')
          .join(', ')})`,
      ),
      insertSegment: this.db.prepare('INSERT INTO audit_segments (first_seq, last_seq, first_time, last_time) VALUES (?, ?, ?, ?)'),
      updateSegment: this.db.prepare('UPDATE audit_segments SET last_seq = ?, last_time = ? WHERE id = ?'),
      ...(this.opts.macKey
        ? {
            insertMac: this.db.prepare('INSERT INTO audit_macs (seq, mac) VALUES (?, ?)'),
            updateSeal: this.db.prepare('UPDATE audit_seal SET seq = ?, hash = ?, mac = ? WHERE id = 1'),
          }
        : ({} as { insertMac: Database.Statement; updateSeal: Database.Statement })),
    }
    return this.statements
  }

  /** The newest committed record's seq and hash. */
  head(): AuditHead {
    const h = this.stmt.head.get() as AuditHead | undefined
    if (!h) throw new WaferError('storage', 'The audit log has lost its head marker; run `wafer audit verify`')
    return { seq: h.seq, hash: h.hash }
  }

  /** Seals and inserts entries after the stored head; returns them as stored. */
  write(entries: readonly ParsedAuditEntry[]): AuditRecord[] {
    const head = this.head()
    const last = this.stmt.lastSegment.get() as SegmentRow | undefined
    // A segment is extended only if it ends at the head (after a prune it may be gone).
    let seg: OpenSegment | undefined =
      last && last.last_seq === head.seq
        ? { id: last.id, firstSeq: last.first_seq, lastSeq: last.last_seq, firstTime: last.first_time, lastTime: last.last_time }
        : undefined
    let seq = head.seq
    let prevHash = head.hash
    const sealed: AuditRecord[] = []
    const macKey = this.opts.macKey?.()
    for (const e of entries) {
      const { record: rec, params } = sealRecord(e, {
        seq: seq + 1,
        prevHash,
        time: e.time ?? this.opts.clock(),
        saltHex: e.findings.length ? this.opts.findingsKey() : '',
      })
      this.stmt.insertRecord.run(...params)
      if (macKey) this.stmt.insertMac.run(rec.seq, recordMac(macKey, this.opts.logId, rec.seq, rec.hash))
      const full = seg && (rec.time - seg.firstTime >= this.opts.segmentSpanMs || rec.seq - seg.firstSeq >= this.opts.segmentMaxRecords)
      if (!seg || full) {
        if (seg) this.saveSegment(seg)
        seg = { id: null, firstSeq: rec.seq, lastSeq: rec.seq, firstTime: rec.time, lastTime: rec.time }
      } else {
        seg.lastSeq = rec.seq
        seg.lastTime = Math.max(seg.lastTime, rec.time)
      }
      seq = rec.seq
      prevHash = rec.hash
      sealed.push(rec)
    }
    if (seg) this.saveSegment(seg)
    // The head's seal moves with the head, in the same transaction.
    if (macKey && sealed.length) this.stmt.updateSeal.run(seq, prevHash, headSeal(macKey, this.opts.logId, seq, prevHash))
    return sealed
  }

  private saveSegment(seg: OpenSegment): void {
    if (seg.id === null) {
      const r = this.stmt.insertSegment.run(seg.firstSeq, seg.lastSeq, seg.firstTime, seg.lastTime)
      seg.id = Number(r.lastInsertRowid)
    } else {
      this.stmt.updateSegment.run(seg.lastSeq, seg.lastTime, seg.id)
    }
  }
}
