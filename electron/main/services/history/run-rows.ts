import type { ChatMessage } from '@shared/ipc/domains/chat'
import type { PromptMessage, RunRecordData } from '@shared/ipc/domains/history'
import type Database from 'libsql'

import { MessageStore } from './message-store'
import { earlierText, outputPreview, outputText, ownTurnStart, promptPreview, turnText } from './run-text'

/**
 * A run's row in the layout of migration 7: the figures the list and charts
 * need as columns, its messages as a chain in `message_nodes` (the last
 * node's id), its texts in `texts`, and the rest of the record as packed JSON.
 * What a run adds is its own turn, its answer and its figures; the earlier
 * turns it sent again are the nodes an earlier run already stored.
 *
 * Search (runs_fts, over the view runs_text) indexes each run's own turn and
 * answer. The earlier turns of a chat are found through `parent_rid`: the run
 * whose request and answer are exactly this run's earlier turns; a run
 * without one (its earlier turns came from elsewhere, or that run is gone)
 * has them indexed as its own `earlier_tid` text.
 */

/** parent_rid of a run whose parent was deleted: settle() gives it its earlier turns as text of its own. */
const ORPHAN = -1

const COLUMNS = `rid, id, started_at, saved_at, source, group_id, model, status, is_error, error_code,
  ttft_ms, decode_tps, prompt_tokens, completion_tokens, cost_usd, prompt_preview, output_preview,
  turn_tid, output_tid, earlier_tid, parent_rid, request_tip, prompt_tip, data`

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

  constructor(private readonly db: Database.Database) {
    this.messages = new MessageStore(db)
    const slots = COLUMNS.split(',').map(() => '?')
    this.insertStmt = db.prepare(`INSERT INTO runs (${COLUMNS}) VALUES (${slots.join(', ')})`)
    this.parentCandidates = db.prepare('SELECT rid, output_tid FROM runs WHERE request_tip = ? AND rid < ? ORDER BY rid DESC LIMIT 50')
    this.orphans = db.prepare(`SELECT rid, request_tip FROM runs WHERE parent_rid = ${ORPHAN} LIMIT 1000`)
    this.adopt = db.prepare('UPDATE runs SET parent_rid = NULL, earlier_tid = ? WHERE rid = ?')
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
    const data = this.messages.pack({
      ...run,
      request: { ...run.request, messages: null },
      prompt: run.prompt ? { ...run.prompt, messages: null } : null,
    })
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
      this.messages.holdText(turnText(run)),
      this.messages.holdText(outputText(run)),
      earlier ? this.messages.holdText(earlier) : null,
      parent,
      nodes.at(-1) ?? null,
      promptTip,
      data,
    )
  }

  /** The record as saved (without savedAt and endpoint, which the caller adds). */
  read(row: StoredRow): RunRecordData {
    const run = this.messages.unpack<RunRecordData>(row.data)
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
