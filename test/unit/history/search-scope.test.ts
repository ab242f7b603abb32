import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { HistoryStore } from '@main/services/history'
import { openDatabase, type OpenedDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import { type RunInput, SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/ipc/domains/history'
import { afterEach, describe, expect, it } from 'vitest'

import { freshDatabase, runInput } from './helpers'

// Search says what it matched: by default a run is found by its own prompt
// turn and its answer, not by the earlier turns of its chat that it sent
// again; a switch includes those. Each hit comes with the passage, the hit
// marked, and where it was found.

let opened: OpenedDatabase | undefined
afterEach(() => opened?.close())

const hit = (word: string) => `${SNIPPET_OPEN}${word}${SNIPPET_CLOSE}`

/** A chat of three turns, as the playground saves it: each run sends the turns before it again. */
function chat(): RunInput[] {
  const turns = [
    ['Tell me about otters', 'They hold hands while sleeping.'],
    ['And herons?', 'They stand still for hours.'],
    ['Which of the two eats more fish?', 'Probably the heron, by weight.'],
  ]
  const runs: RunInput[] = []
  const messages: { role: 'system' | 'user' | 'assistant'; content: string }[] = [{ role: 'system', content: 'You know animals.' }]
  turns.forEach(([user, answer], i) => {
    messages.push({ role: 'user', content: user })
    const base = runInput({ id: `turn-${i + 1}`, startedAt: 1_770_000_000_000 + i * 1000, answer })
    runs.push({ ...base, request: { ...base.request, messages: [...messages] } })
    messages.push({ role: 'assistant', content: answer })
  })
  return runs
}

describe('search scope and snippets', () => {
  it('finds a run by its own turn and answer by default, by earlier turns only when asked, and says where it matched', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    s.saveRuns(chat())
    const found = (text: string, includeEarlier = false) => s.listRuns({ text, ...(includeEarlier ? { includeEarlier } : {}) }).runs

    // "otters" is in the first prompt only: every later run sent it again, but that is not what they asked.
    expect(found('otters').map((r) => [r.id, r.matchedIn])).toEqual([['turn-1', 'prompt']])
    expect(found('otters')[0].snippet).toContain(hit('otters'))
    expect(found('otters', true).map((r) => [r.id, r.matchedIn])).toEqual([
      ['turn-3', 'earlier'],
      ['turn-2', 'earlier'],
      ['turn-1', 'prompt'],
    ])
    expect(found('otters', true)[0].snippet).toContain(hit('otters'))
    // An answer: "hours" was answered in turn 2 (sent again by turn 3 as an earlier turn).
    expect(found('hours').map((r) => [r.id, r.matchedIn])).toEqual([['turn-2', 'answer']])
    expect(found('hours')[0].snippet).toContain(hit('hours'))
    // The system prompt belongs to the first turn.
    expect(found('animals').map((r) => r.id)).toEqual(['turn-1'])
    // Without a search there is no snippet and nothing matched.
    expect(s.listRuns({}).runs.map((r) => [r.snippet, r.matchedIn])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ])
  })

  it('keeps brackets in a run’s text as text in the snippet', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    s.saveRun(runInput({ id: 'b', user: 'Write to [EMAIL_ADDRESS] about the kestrel' }))
    const [r] = s.listRuns({ text: 'kestrel' }).runs
    expect(r.snippet).toBe(`You are terse.\n\nWrite to [EMAIL_ADDRESS] about the ${hit('kestrel')}`)
  })

  it('converts a database written by schema 5 in place: runs keep their text, search and snippets work, by turn', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-search-scope-')), 'wafer.db')
    const old = openDatabase(
      file,
      migrations.filter((m) => m.version <= 5),
    )
    // Rows as the schema-5 store wrote them: the whole request in prompt_text.
    const insert = old.db.prepare(`INSERT INTO runs (rid, id, started_at, saved_at, source, group_id, model, status, is_error, error_code,
      ttft_ms, decode_tps, prompt_tokens, completion_tokens, cost_usd, prompt_preview, output_preview, prompt_text, output_text, data)
      VALUES (?, ?, ?, ?, 'playground', NULL, 'gpt-oss-120b', 'ok', 0, NULL, 120, 1800, 12, 40, NULL, ?, ?, ?, ?, ?)`)
    for (const run of chat()) {
      const all = run.request.messages.map((m) => m.content).join('\n\n')
      insert.run(run.startedAt * 1024, run.id, run.startedAt, run.startedAt + 100, 'p', 'a', all, run.response.content, JSON.stringify(run))
    }
    expect((old.db.prepare(`SELECT COUNT(*) AS n FROM runs_fts WHERE runs_fts MATCH 'otters'`).get() as { n: number }).n).toBe(3)
    old.close()

    opened = openDatabase(file, migrations)
    expect(opened.applied).toContain(6)
    const s = new HistoryStore(opened.db)
    expect(s.listRuns({ text: 'otters' }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['turn-1', 'prompt']])
    expect(s.listRuns({ text: 'otters', includeEarlier: true }).runs.map((r) => r.id)).toEqual(['turn-3', 'turn-2', 'turn-1'])
    expect(s.listRuns({ text: 'fish' }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['turn-3', 'prompt']])
    expect(s.getRun('turn-3').request.messages).toHaveLength(6)
    // Saving, replacing and deleting keep the rebuilt index in step.
    s.saveRun({ ...chat()[0], response: { ...chat()[0].response, content: 'Sea otters use stones as tools.' } })
    expect(s.listRuns({ text: 'stones' }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['turn-1', 'answer']])
    expect(s.listRuns({ text: 'sleeping', includeEarlier: true }).runs.map((r) => r.id)).toEqual(['turn-3', 'turn-2'])
    s.deleteRuns(['turn-1'])
    expect(s.listRuns({ text: 'otters', includeEarlier: true }).runs.map((r) => r.id)).toEqual(['turn-3', 'turn-2'])
  })
})
