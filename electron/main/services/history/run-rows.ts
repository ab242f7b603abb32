import type { ChatMessage } from '@shared/ipc/domains/chat'
import { type PromptMessage, RunInput, type RunRecordData } from '@shared/ipc/domains/history'
import type Database from 'libsql'

import { decodeText, MessageStore, textSql } from './message-store'
import { earlierText, outputPreview, outputText, ownTurnStart, promptPreview, turnText } from './run-text'

/**
 * A run's row in the layout of migration 7: the figures the list and charts
 * need as columns, its messages as a chain in `message_nodes` (the last
 * node's id), its texts in `texts`, and the rest of the record as packed JSON.
 * What a run adds is its own turn, its answer and its figures; the earlier
 * turns it sent again are the nodes an earlier run already stored.
 *
 * Search (runs_fts, which keeps no copy of the text) indexes each run's own
 * turn and answer. The earlier turns of a chat are found through `parent_rid`: the run
 * whose request and answer are exactly this run's earlier turns; a run
 * without one (its earlier turns came from elsewhere, or that run is gone)
 * has them indexed as its own `earlier_tid` text.
 */

/** Between neighbours' seq when a run is added last: room for a few runs added between them later. */
const SEQ_GAP = 4

/** The record's fields in order, and those whose default (null, or none) a row leaves out: read() puts them back in place. */
const FIELDS = Object.keys(RunInput.shape)
const DEFAULTED = new Set(['groupId', 'prompt', 'usage', 'timeInfo', 'metrics', 'error', 'costUsd', 'policyVerdicts', 'endpoint'])
const isDefault = (v: unknown) => v === null || (Array.isArray(v) && v.length === 0)

/** The record as a row keeps it: without its messages (kept as nodes) and without fields at their default. */
function slim(run: RunRecordData): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(run)) if (!(DEFAULTED.has(k) && isDefault(v))) out[k] = v
  out.request = { ...run.request, messages: null }
  if (run.prompt) out.prompt = { ...run.prompt, messages: null }
  return out
}

/** The fields in the record's order, the defaulted ones back (policyVerdicts none, the others null). */
function fill(stored: Record<string, unknown>): RunRecordData {
  const out: Record<string, unknown> = {}
  for (const k of FIELDS) {
    if (k in stored) out[k] = stored[k]
    else if (DEFAULTED.has(k)) out[k] = k === 'policyVerdicts' ? [] : null
  }
  // A field this version does not know (a newer app wrote it) is kept, last.
  for (const k of Object.keys(stored)) if (!(k in out)) out[k] = stored[k]
  return out as unknown as RunRecordData
}

/** parent_rid of a run whose parent was deleted: settle() gives it its earlier turns as text of its own. */
const ORPHAN = -1

const COLUMNS = `rid, id, started_at, saved_at, source, group_id, model, status, is_error, error_code,
  ttft_ms, decode_tps, prompt_tokens, completion_tokens, cost_usd, prompt_preview, output_preview,
  turn_tid, output_tid, earlier_tid, parent_rid, request_tip, prompt_tip, seq, data`

export interface StoredRow {
  data: string
  request_tip: number | null
  prompt_tip: number | null
}

export class RunRows {
  readonly messages: MessageStore
  private readonly insertStmt
  private readonly parentCandidates
  private readonly orphans
  private readonly adopt
  private readonly indexStmt
  private readonly unindexStmt
  private readonly textsOf
  private readonly textsOfMany
  private readonly seqBefore
  private readonly seqAfter
  private readonly runsAfter
  private readonly moveSeq

  constructor(private readonly db: Database.Database) {
    this.messages = new MessageStore(db)
    const slots = COLUMNS.split(',').map(() => '?')
    this.insertStmt = db.prepare(`INSERT INTO runs (${COLUMNS}) VALUES (${slots.join(', ')})`)
    this.parentCandidates = db.prepare('SELECT rid, output_tid FROM runs WHERE request_tip = ? AND rid < ? ORDER BY rid DESC LIMIT 50')
    this.orphans = db.prepare(`SELECT rid, request_tip FROM runs WHERE parent_rid = ${ORPHAN} LIMIT 1000`)
    this.adopt = db.prepare('UPDATE runs SET parent_rid = NULL, earlier_tid = ? WHERE rid = ?')
    this.indexStmt = db.prepare('INSERT INTO runs_fts (rowid, turn_text, output_text, earlier_text) VALUES (?, ?, ?, ?)')
    this.unindexStmt = db.prepare('DELETE FROM runs_fts WHERE rowid = ?')
    this.textsOf = db.prepare('SELECT turn_tid, output_tid, earlier_tid, parent_rid, seq FROM runs WHERE rid = ?')
    this.textsOfMany = db.prepare(`SELECT r.rid, r.parent_rid, ${textSql('r.turn_tid')} AS t, ${textSql('r.output_tid')} AS o,
      CASE WHEN r.earlier_tid IS NULL THEN NULL ELSE ${textSql('r.earlier_tid')} END AS e
      FROM runs r WHERE r.rid IN (SELECT value FROM json_each(?))`)
    this.seqBefore = db.prepare('SELECT seq FROM runs WHERE rid < ? ORDER BY rid DESC LIMIT 1')
    this.seqAfter = db.prepare('SELECT seq FROM runs WHERE rid > ? ORDER BY rid LIMIT 1')
    this.runsAfter = db.prepare('SELECT rid, seq FROM runs WHERE rid > ? ORDER BY rid LIMIT ?')
    this.moveSeq = db.prepare('UPDATE runs SET seq = ? WHERE rid = ?')
  }

  /** Insert `run` as row `rid` (the caller has removed any row it replaces, and settles afterwards). */
  insert(rid: number, run: RunRecordData, savedAt: number): void {
    const m = run.metrics
    const sent = run.request.messages
    const nodes = this.messages.holdList(sent)
    const promptTip = run.prompt ? (this.messages.holdList(run.prompt.messages).at(-1) ?? null) : null
    const start = ownTurnStart(sent)
    const parent = this.parentOf(rid, sent, nodes, start)
    const earlier = parent === null ? earlierText(run) : ''
    const turn = turnText(run)
    const output = outputText(run)
    const seq = this.seqFor(rid)
    const data = this.messages.pack(slim(run))
    this.insertStmt.run(
      rid,
      run.id,
      run.startedAt,
      savedAt,
      run.source,
      run.groupId,
      run.request.model,
      run.status,
      run.status === 'error' ? 1 : 0,
      run.error?.code ?? null,
      m?.ttftMs ?? null,
      m?.serverDecodeTokensPerSec ?? null,
      run.usage?.prompt_tokens ?? null,
      run.usage?.completion_tokens ?? null,
      run.costUsd,
      promptPreview(run),
      outputPreview(run),
      this.messages.holdText(turn),
      this.messages.holdText(output),
      earlier ? this.messages.holdText(earlier) : null,
      parent,
      nodes.at(-1) ?? null,
      promptTip,
      seq,
      data,
    )
    this.indexStmt.run(seq, turn, output, earlier)
  }

  /** A run's searchable texts (its own turn, its answer, the earlier turns it keeps as its own), read when asked for, and the run it continues. */
  searchable(rid: number): { turn: () => string; output: () => string; earlier: () => string; parent: number | null; seq: number } | null {
    const row = this.textsOf.get(rid) as
      { turn_tid: number; output_tid: number; earlier_tid: number | null; parent_rid: number | null; seq: number } | undefined
    if (!row) return null
    return {
      turn: () => this.messages.text(row.turn_tid),
      output: () => this.messages.text(row.output_tid),
      earlier: () => (row.earlier_tid === null ? '' : this.messages.text(row.earlier_tid)),
      parent: row.parent_rid !== null && row.parent_rid >= 0 ? row.parent_rid : null,
      seq: row.seq,
    }
  }

  /** The searchable texts of several runs in one statement (a page of search results), by rid. */
  searchableMany(rids: readonly number[]): Map<number, { turn: string; output: string; earlier: string; parent: number | null }> {
    const rows = this.textsOfMany.all(JSON.stringify(rids)) as { rid: number; parent_rid: number | null; t: string; o: string; e: string | null }[]
    return new Map(
      rows.map((r) => [
        r.rid,
        {
          turn: decodeText(r.t),
          output: decodeText(r.o),
          earlier: r.e === null ? '' : decodeText(r.e),
          parent: r.parent_rid !== null && r.parent_rid >= 0 ? r.parent_rid : null,
        },
      ]),
    )
  }

  /**
   * The seq of a run about to be added as `rid`: after the last one when it is
   * the newest (as nearly every run is), else between its neighbours; when
   * they are too close, the runs after it move up to make room (their index
   * rows with them).
   */
  private seqFor(rid: number): number {
    const before = (this.seqBefore.get(rid) as { seq: number } | undefined)?.seq ?? 0
    const after = (this.seqAfter.get(rid) as { seq: number } | undefined)?.seq
    if (after === undefined) return before + SEQ_GAP
    if (after - before >= 2) return before + Math.floor((after - before) / 2)
    // Spread the next runs over enough room: each as far from the next as SEQ_GAP allows.
    for (let take = 8; ; take *= 4) {
      const next = this.runsAfter.all(rid, take) as { rid: number; seq: number }[]
      const last = next.at(-1) as { rid: number; seq: number }
      const end = next.length < take ? last.seq + (next.length + 1) * SEQ_GAP : last.seq
      const moving = next.length < take ? next : next.slice(0, -1)
      // The new run at before + step, the moved ones after it, all below `end` (the next run that stays, if any).
      const step = Math.floor((end - before - 1) / (moving.length + 1))
      if (step < 2) continue
      // Through negative seqs (never held otherwise), so no two runs hold the same one on the way.
      const texts = moving.map((m) => this.searchable(m.rid))
      moving.forEach((m, i) => {
        this.unindexStmt.run(m.seq)
        this.moveSeq.run(-1 - i, m.rid)
      })
      moving.forEach((m, i) => {
        const own = texts[i]
        const seq = before + step * (i + 2)
        this.moveSeq.run(seq, m.rid)
        if (own) this.indexStmt.run(seq, own.turn(), own.output(), own.earlier())
      })
      return before + step
    }
  }

  /** The record as saved (without savedAt and endpoint, which the caller adds). */
  read(row: StoredRow): RunRecordData {
    const run = fill(this.messages.unpack<Record<string, unknown>>(row.data))
    run.request.messages = this.messages.list<ChatMessage>(row.request_tip)
    if (run.prompt) run.prompt.messages = this.messages.list<PromptMessage>(row.prompt_tip)
    return run
  }

  /**
   * After runs were deleted or replaced: runs whose parent went get their
   * earlier turns as text of their own (so a search still finds them there),
   * and messages and texts no run refers to any more are removed.
   */
  settle(): void {
    for (;;) {
      const rows = this.orphans.all() as { rid: number; request_tip: number | null }[]
      if (!rows.length) break
      for (const r of rows) {
        const messages = this.messages.list<ChatMessage>(r.request_tip)
        const earlier = earlierText({ request: { messages } } as RunRecordData)
        this.adopt.run(earlier ? this.messages.holdText(earlier) : null, r.rid)
        const own = this.searchable(r.rid)
        if (!own) continue
        this.unindexStmt.run(own.seq)
        this.indexStmt.run(own.seq, own.turn(), own.output(), earlier)
      }
    }
    this.messages.sweep()
  }

  /**
   * The run whose request and answer are exactly the earlier turns this run
   * sent: its request is the chain up to the message before the last answer,
   * and that answer is its whole output, sent back as it came.
   */
  private parentOf(rid: number, sent: readonly ChatMessage[], nodes: readonly number[], start: number): number | null {
    if (start < 2) return null
    const answer = sent[start - 1]
    if (answer.role !== 'assistant' || typeof answer.content !== 'string' || Object.keys(answer).length !== 2) return null
    const tid = this.messages.findText(answer.content)
    if (tid === undefined) return null
    const candidates = this.parentCandidates.all(nodes[start - 2], rid) as { rid: number; output_tid: number }[]
    return candidates.find((c) => c.output_tid === tid)?.rid ?? null
  }
}
