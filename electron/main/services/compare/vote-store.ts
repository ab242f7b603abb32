import type { PairSummary, SavedVote, VoteArgs, VoteVerdict } from '@shared/ipc/domains/compare'
import type Database from 'libsql'

/**
 * Blind votes, one row each, as the user cast them (A and B as shown). The
 * summary folds every vote into its unordered pair, so votes where a model
 * was shown on the left and on the right add up. Table: compare_votes
 * (migration 'compare votes').
 */

interface VoteRow {
  id: number
  model_a: string
  model_b: string
  verdict: VoteVerdict
  group_id: string | null
  created_at: string
}

interface CountRow {
  model_a: string
  model_b: string
  verdict: VoteVerdict
  n: number
  last_at: string
}

export class VoteStore {
  private readonly insert
  private readonly byId
  private readonly counts
  private readonly pairCounts

  constructor(
    db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.insert = db.prepare('INSERT INTO compare_votes (model_a, model_b, verdict, group_id, prompt_preview, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    this.byId = db.prepare('SELECT id, model_a, model_b, verdict, group_id, created_at FROM compare_votes WHERE id = ?')
    const grouped = 'SELECT model_a, model_b, verdict, COUNT(*) AS n, MAX(created_at) AS last_at FROM compare_votes'
    this.counts = db.prepare(`${grouped} GROUP BY model_a, model_b, verdict`)
    this.pairCounts = db.prepare(`${grouped} WHERE (model_a = ? AND model_b = ?) OR (model_a = ? AND model_b = ?) GROUP BY model_a, model_b, verdict`)
  }

  record(vote: VoteArgs): { vote: SavedVote; pair: PairSummary } {
    const createdAt = this.now().toISOString()
    const info = this.insert.run(vote.modelA, vote.modelB, vote.verdict, vote.groupId ?? null, vote.promptPreview ?? null, createdAt)
    const row = this.byId.get(Number(info.lastInsertRowid)) as VoteRow
    const [first, second] = ordered(vote.modelA, vote.modelB)
    const pair = fold(this.pairCounts.all(first, second, second, first) as CountRow[])[0]
    return {
      vote: { id: row.id, modelA: row.model_a, modelB: row.model_b, verdict: row.verdict, groupId: row.group_id, createdAt: row.created_at },
      pair,
    }
  }

  summary(): { pairs: PairSummary[]; total: number } {
    const pairs = fold(this.counts.all() as CountRow[])
    pairs.sort((a, b) => b.total - a.total || b.lastVoteAt.localeCompare(a.lastVoteAt))
    return { pairs, total: pairs.reduce((n, p) => n + p.total, 0) }
  }
}

function ordered(a: string, b: string): [string, string] {
  return a <= b ? [a, b] : [b, a]
}

/** Vote counts as cast → one summary per unordered pair, from the first (by id) model's side. */
function fold(rows: readonly CountRow[]): PairSummary[] {
  const pairs = new Map<string, PairSummary>()
  for (const r of rows) {
    const [first, second] = ordered(r.model_a, r.model_b)
    const key = `${first}\n${second}`
    let p = pairs.get(key)
    if (!p) pairs.set(key, (p = { modelA: first, modelB: second, winsA: 0, winsB: 0, ties: 0, bothBad: 0, total: 0, lastVoteAt: r.last_at }))
    const shownFirst = r.model_a === first
    // A vote for the answer shown first counts for whichever model was shown first.
    const forFirst = (r.verdict === 'a') === shownFirst
    if (r.verdict === 'a' || r.verdict === 'b') {
      if (forFirst) p.winsA += r.n
      else p.winsB += r.n
    } else if (r.verdict === 'tie') p.ties += r.n
    else p.bothBad += r.n
    p.total += r.n
    if (r.last_at > p.lastVoteAt) p.lastVoteAt = r.last_at
  }
  return [...pairs.values()]
}
